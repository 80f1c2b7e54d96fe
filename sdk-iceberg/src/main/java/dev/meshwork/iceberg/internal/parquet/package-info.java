/**
 * Meshwork's Parquet write path: values go in, files Iceberg reads come out.
 *
 * <h2>Pipeline</h2>
 *
 * <ol>
 *   <li>{@link dev.meshwork.iceberg.internal.parquet.ParquetAppender} is the file: it takes rows
 *       (or runs of rows from Arrow batches) through the shape's accessors, rolls row groups at the
 *       table's size and hands flat tables to the page store; tables with lists, maps or v2 pages
 *       go through parquet-java's column writers instead.
 *   <li>{@code PageStore} holds one {@code PageColumn} per leaf column: values in primitive
 *       buffers, definition levels, and a dictionary with parquet-java's fallback rules. A full
 *       page is encoded (plain or dictionary ids, RLE/bit-packed levels) into a slot of the
 *       compressor.
 *   <li>{@code PageCompressor} compresses each page on the store's background threads or on the
 *       writer's, and hands it back to its column as soon as it is done; when every slot is taken
 *       the writer compresses the smallest queued page itself.
 *   <li>{@code ChunkBuffer} keeps a column chunk's compressed pages in pooled {@code Segments}; at
 *       the end of a row group the chunks go, in column order, to parquet-java's {@code
 *       ParquetFileWriter}, which writes page headers, checksums, column and offset indexes and the
 *       footer.
 * </ol>
 *
 * <p>{@link dev.meshwork.iceberg.internal.parquet.WriteResources} holds what files share — the
 * compression threads and the segment pool — and belongs to one store, which closes it: nothing
 * here is process-wide.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Rows, Iceberg metrics (value, null and NaN counts, bounds), footer statistics and bloom
 *       filters equal those of Iceberg's own writer for the same rows ({@code PageStoreParityTest},
 *       {@code BloomFilterParityTest}).
 *   <li>Values written in runs give, byte for byte, the file of the same values written one by one
 *       ({@code ColumnRunsTest}).
 *   <li>Pages reach the file in their column's order whatever order they finish in; a slot's
 *       buffers are not reused before its page has been copied into the chunk ({@code
 *       OutOfOrderPagesTest}, {@code PageCompressorTest}).
 *   <li>A codec failure fails the file and releases every slot; a codec context is closed only when
 *       no thread uses it.
 *   <li>Column checks attached to pages give exactly the results of reading every row.
 * </ul>
 */
package dev.meshwork.iceberg.internal.parquet;
