package dev.meshwork.iceberg.internal.parquet;

import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.ScalarShape;
import dev.meshwork.spi.write.StructShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;

/**
 * Meshwork's Parquet file writer: the same file layout, codec, page and row-group settings and
 * Iceberg metrics as Iceberg's own writer, with one difference that matters for speed. Dictionary
 * encoding is chosen per column from a sample of the first rows: a column whose sample is mostly
 * distinct (ids, measurements, timestamps, free text) is written plain instead of first filling a
 * dictionary that parquet-java would throw away.
 */
public final class ParquetAppender<T> implements FileAppender<T> {
  /** Rows sampled before choosing encodings. */
  static final int SAMPLE = 4096;

  /** Above this share of distinct values in the sample, a column is written without dictionary. */
  static final double DISTINCT_LIMIT = 0.5;

  private static final String SCHEMA_KEY = "iceberg.schema";
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ParquetAppender.class);

  /** parquet-java's default ZSTD level, used by Iceberg unless the table sets one. */
  private static final int DEFAULT_ZSTD_LEVEL = 3;

  private final StructShape<T> shape;
  private final Schema schema;
  private final MessageType type;
  private final MetricsConfig metricsConfig;
  private final Map<String, String> props;
  private final long rowGroupSize;
  private final CodecFactory codecs;
  private final CompressionCodecName codec;
  private final ParquetFileWriter file;
  private final List<T> sample = new ArrayList<>(SAMPLE);
  private final RecordParquetWriter<T> validator;
  private RecordParquetWriter<T> writer;
  private ParquetProperties parquetProps;
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore columns;
  private long rowsInGroup;
  private long nextCheck = 100;
  private ParquetMetadata footer;
  private long closedLength = -1;
  private List<String> plainColumns = List.of();
  private final BufferPool buffers = new BufferPool();
  private final WriteResources resources;
  private PageStore pageStore;
  private boolean released;
  private boolean inlineCompression;
  private final boolean ownPages;
  private Map<String, List<dev.meshwork.spi.write.ColumnCheck>> columnChecks = Map.of();

  /**
   * An appender writing {@code shape}'s values to {@code out} with the table's properties, using
   * the store's compression threads and buffers.
   */
  public ParquetAppender(
      OutputFile out,
      Schema schema,
      StructShape<T> shape,
      Map<String, String> tableProps,
      MetricsConfig metricsConfig,
      WriteResources resources) {
    this.resources = resources;
    this.shape = shape;
    this.schema = schema;
    this.type = ParquetSchemaUtil.convert(schema, "table");
    this.validator = RecordParquetWriter.create(shape, type);
    this.ownPages = ownPages(type, tableProps);
    this.metricsConfig = metricsConfig;
    this.props = tableProps;
    this.rowGroupSize =
        PropertyUtil.propertyAsLong(
            tableProps,
            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT);
    this.codec =
        CompressionCodecName.fromConf(
            tableProps
                .getOrDefault(
                    TableProperties.PARQUET_COMPRESSION,
                    TableProperties.PARQUET_COMPRESSION_DEFAULT_SINCE_1_4_0)
                .toUpperCase(Locale.ROOT));
    Configuration conf = new Configuration(false);
    String level = tableProps.get(TableProperties.PARQUET_COMPRESSION_LEVEL);
    if (level != null && codec == CompressionCodecName.ZSTD) {
      conf.set("parquet.compression.codec.zstd.level", level);
    }
    this.codecs = new CodecFactory(conf, pageSize(tableProps));
    try {
      this.file =
          new ParquetFileWriter(
              OutputFiles.of(out),
              type,
              ParquetFileWriter.Mode.OVERWRITE,
              rowGroupSize,
              0,
              ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
              ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH,
              ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED);
      file.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create Parquet file " + out.location() + ": " + e.getMessage(), e);
    }
  }

  private static int pageSize(Map<String, String> p) {
    return PropertyUtil.propertyAsInt(
        p,
        TableProperties.PARQUET_PAGE_SIZE_BYTES,
        TableProperties.PARQUET_PAGE_SIZE_BYTES_DEFAULT);
  }

  /**
   * Whether files of {@code schema} with table properties {@code props} are written by Meshwork's
   * own page encoders, which can run column checks (see {@link #checkColumns}).
   */
  public static boolean encodesOwnPages(Schema schema, Map<String, String> props) {
    return ownPages(ParquetSchemaUtil.convert(schema, "table"), props);
  }

  // The one place that decides: column checks, batches and the page store all follow it.
  private static boolean ownPages(MessageType type, Map<String, String> props) {
    return !"v2".equalsIgnoreCase(props.get(TableProperties.PARQUET_PAGE_VERSION))
        && PageStore.supports(type);
  }

  /**
   * The Parquet column a check of a top-level column reads, or null when this store cannot hand
   * that column's pages to it in the form it asks for.
   */
  public static String checkedColumn(Schema schema, dev.meshwork.spi.write.ColumnCheck check) {
    return PageStore.checkedColumn(ParquetSchemaUtil.convert(schema, "table"), schema, check);
  }

  /**
   * Runs column checks, by Parquet column, on every page this file encodes (before the first row;
   * the file must be one {@link #encodesOwnPages} is true for).
   */
  public void checkColumns(Map<String, List<dev.meshwork.spi.write.ColumnCheck>> checks) {
    this.columnChecks = checks;
  }

  /** Compresses this file's pages on the writer's thread (before the first row; for tests). */
  void compressOnWriterThread() {
    inlineCompression = true;
  }

  /** Whether this file is written by Meshwork's own page encoders (known once writing starts). */
  boolean meshworkPages() {
    return pageStore != null;
  }

  /** Columns written without dictionary (known once the sample is taken). */
  public List<String> plainColumns() {
    return plainColumns;
  }

  @Override
  public void add(T value) {
    if (writer == null) {
      validator.validate(value);
      sample.add(shape.retain(value));
      if (sample.size() < SAMPLE) {
        return;
      }
      startWriting();
      return;
    }
    writeRow(value);
  }

  private void startWriting() {
    plainColumns = choosePlainColumns();
    boolean v2 = "v2".equalsIgnoreCase(props.get(TableProperties.PARQUET_PAGE_VERSION));
    ParquetProperties.Builder b =
        ParquetProperties.builder()
            .withWriterVersion(
                v2
                    ? ParquetProperties.WriterVersion.PARQUET_2_0
                    : ParquetProperties.WriterVersion.PARQUET_1_0)
            .withPageSize(pageSize(props))
            .withPageRowCountLimit(
                PropertyUtil.propertyAsInt(
                    props,
                    TableProperties.PARQUET_PAGE_ROW_LIMIT,
                    TableProperties.PARQUET_PAGE_ROW_LIMIT_DEFAULT))
            .withAllocator(buffers)
            // parquet-java's default factories are shared instances that keep the properties of
            // the last writer built: concurrent files would use each other's allocator and
            // dictionary choices. Each file gets its own.
            .withValuesWriterFactory(
                v2
                    ? new org.apache.parquet.column.values.factory.DefaultV2ValuesWriterFactory()
                    : new org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory())
            .withDictionaryEncoding(true)
            .withDictionaryPageSize(
                PropertyUtil.propertyAsInt(
                    props,
                    TableProperties.PARQUET_DICT_SIZE_BYTES,
                    TableProperties.PARQUET_DICT_SIZE_BYTES_DEFAULT));
    for (String column : plainColumns) {
      b.withDictionaryEncoding(column, false);
    }
    bloomFilters(b);
    parquetProps = b.build();
    if (ownPages) {
      String level = props.get(TableProperties.PARQUET_COMPRESSION_LEVEL);
      int zstdLevel = level == null ? DEFAULT_ZSTD_LEVEL : Integer.parseInt(level.trim());
      pageStore =
          new PageStore(
              type,
              Set.copyOf(plainColumns),
              new PageCompressor(
                  resources,
                  () ->
                      PageCodec.of(
                          codec,
                          zstdLevel,
                          (org.apache.parquet.compression.CompressionCodecFactory
                                  .BytesInputCompressor)
                              codecs.getCompressor(codec)),
                  inlineCompression),
              parquetProps);
      pageStore.checkColumns(columnChecks);
    } else if (!columnChecks.isEmpty()) {
      throw new IllegalStateException(
          "column checks were attached to a file written by parquet-java's encoders");
    }
    writer = validator;
    newRowGroup();
    for (int i = 0; i < sample.size(); i++) {
      try {
        writeRow(sample.get(i));
      } catch (RuntimeException e) {
        throw new HeldRowException(i, e);
      }
    }
    sample.clear();
  }

  /**
   * The table's bloom filter settings, as Iceberg's writer applies them: per column by Iceberg name
   * (mapped to its Parquet column through the field id), false-positive rate, expected distinct
   * values, and the size limit.
   */
  private void bloomFilters(ParquetProperties.Builder b) {
    b.withMaxBloomFilterBytes(
        PropertyUtil.propertyAsInt(
            props,
            TableProperties.PARQUET_BLOOM_FILTER_MAX_BYTES,
            TableProperties.PARQUET_BLOOM_FILTER_MAX_BYTES_DEFAULT));
    PropertyUtil.propertiesWithPrefix(
            props, TableProperties.PARQUET_BLOOM_FILTER_COLUMN_ENABLED_PREFIX)
        .forEach(
            (column, on) ->
                parquetPath(column, TableProperties.PARQUET_BLOOM_FILTER_COLUMN_ENABLED_PREFIX)
                    .ifPresent(path -> b.withBloomFilterEnabled(path, Boolean.parseBoolean(on))));
    PropertyUtil.propertiesWithPrefix(props, TableProperties.PARQUET_BLOOM_FILTER_COLUMN_FPP_PREFIX)
        .forEach(
            (column, fpp) ->
                parquetPath(column, TableProperties.PARQUET_BLOOM_FILTER_COLUMN_FPP_PREFIX)
                    .ifPresent(path -> b.withBloomFilterFPP(path, fpp(column, fpp))));
    PropertyUtil.propertiesWithPrefix(props, TableProperties.PARQUET_BLOOM_FILTER_COLUMN_NDV_PREFIX)
        .forEach(
            (column, ndv) ->
                parquetPath(column, TableProperties.PARQUET_BLOOM_FILTER_COLUMN_NDV_PREFIX)
                    .ifPresent(path -> b.withBloomFilterNDV(path, ndv(column, ndv))));
  }

  private static double fpp(String column, String value) {
    try {
      double fpp = Double.parseDouble(value.trim());
      if (fpp > 0 && fpp < 1) {
        return fpp;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Table property "
            + TableProperties.PARQUET_BLOOM_FILTER_COLUMN_FPP_PREFIX
            + column
            + " is '"
            + value
            + "': set a false-positive rate between 0 and 1, such as 0.01.");
  }

  private static long ndv(String column, String value) {
    try {
      long ndv = Long.parseLong(value.trim());
      if (ndv > 0) {
        return ndv;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Table property "
            + TableProperties.PARQUET_BLOOM_FILTER_COLUMN_NDV_PREFIX
            + column
            + " is '"
            + value
            + "': set the expected number of distinct values, a whole number above 0.");
  }

  private java.util.Optional<String> parquetPath(String column, String prefix) {
    org.apache.iceberg.types.Types.NestedField field = schema.findField(column);
    if (field != null) {
      for (org.apache.parquet.column.ColumnDescriptor d : type.getColumns()) {
        org.apache.parquet.schema.Type.ID id = d.getPrimitiveType().getId();
        if (id != null && id.intValue() == field.fieldId()) {
          return java.util.Optional.of(String.join(".", d.getPath()));
        }
      }
    }
    LOG.warn(
        "Table property {}{} names no primitive column of the table; no bloom filter is written"
            + " for it. Check the column name.",
        prefix,
        column);
    return java.util.Optional.empty();
  }

  /** Top-level scalar columns whose sampled values are mostly distinct. */
  private List<String> choosePlainColumns() {
    List<String> plain = new ArrayList<>();
    int n = sample.size();
    if (n < 64) {
      return plain;
    }
    for (Member<T> m : shape.members()) {
      if (!(m.shape() instanceof ScalarShape)) {
        continue;
      }
      Set<Object> distinct = new HashSet<>();
      FieldAccessor<T> a = m.accessor();
      for (T v : sample) {
        distinct.add(FieldAccessor.readBoxed(a, v));
      }
      if (distinct.size() > n * DISTINCT_LIMIT) {
        plain.add(m.field().name());
      }
    }
    return plain;
  }

  private void newRowGroup() {
    rowsInGroup = 0;
    if (pageStore != null) {
      columns = pageStore;
      writer.setColumnStore(pageStore);
      return;
    }
    pages =
        new ColumnChunkPageWriteStore(
            (org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor)
                codecs.getCompressor(codec),
            type,
            HeapByteBufferAllocator.getInstance(),
            ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
            ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED);
    columns = parquetProps.newColumnWriteStore(type, pages, pages);
    writer.setColumnStore(columns);
    rowsInGroup = 0;
  }

  /**
   * Encodes the batch a column at a time when this file writes its own pages (rows that complete
   * the sample choosing the encodings are added one by one first); otherwise returns false, having
   * written nothing. Row groups end at the same rows as when the rows are added one by one, so the
   * file is the same.
   */
  public boolean writeBatch(dev.meshwork.spi.write.RowBatch<T> batch) {
    if (!ownPages) {
      return false;
    }
    int n = batch.size();
    int from = 0;
    // Rows before the encodings are chosen go into the sample, as add puts them.
    while (writer == null && from < n) {
      add(batch.at(from++));
    }
    while (from < n) {
      int to = (int) Math.min(n, from + Math.max(1, nextCheck - rowsInGroup));
      writer.writeRange(batch, from, to);
      rowsInGroup += to - from;
      from = to;
      checkRowGroup();
    }
    return true;
  }

  private void writeRow(T value) {
    writer.write(0, value);
    columns.endRecord();
    rowsInGroup++;
    checkRowGroup();
  }

  /** Ends the row group when its buffered size has reached the target, checked now and then. */
  private void checkRowGroup() {
    if (rowsInGroup >= nextCheck) {
      long buffered = columns.getBufferedSize();
      if (buffered >= rowGroupSize) {
        flushRowGroup();
        newRowGroup();
        nextCheck = 100;
      } else {
        // Check again about when the group should be full, as Iceberg's writer does.
        long perRow = Math.max(1, buffered / rowsInGroup);
        nextCheck =
            rowsInGroup + Math.max(100, Math.min(10_000, (rowGroupSize - buffered) / perRow / 2));
      }
    }
  }

  private void flushRowGroup() {
    if (rowsInGroup == 0) {
      return;
    }
    if (pageStore != null) {
      try {
        file.startBlock(rowsInGroup);
        pageStore.writeRowGroup(file, codec);
        file.endBlock();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot write a row group to " + file + ": " + e.getMessage(), e);
      }
      rowsInGroup = 0;
      return;
    }
    try {
      file.startBlock(rowsInGroup);
      columns.flush();
      pages.flushToFileWriter(file);
      file.endBlock();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write a row group to " + file + ": " + e.getMessage(), e);
    } finally {
      columns.close();
      pages.close();
    }
    rowsInGroup = 0;
  }

  /**
   * A row held back for the encoding sample failed when it was encoded; says which row of the file.
   */
  public static final class HeldRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int fileRow;

    HeldRowException(int fileRow, RuntimeException cause) {
      super(cause.getMessage(), cause);
      this.fileRow = fileRow;
    }

    /** The 0-based row of the file that failed. */
    public int fileRow() {
      return fileRow;
    }
  }

  @Override
  public Metrics metrics() {
    if (footer == null) {
      throw new IllegalStateException("metrics are known after close()");
    }
    return ParquetUtil.footerMetrics(footer, writer.metrics(), metricsConfig);
  }

  @Override
  public long length() {
    if (closedLength >= 0) {
      // After close the column store may still report its last buffer; the file is what counts.
      return closedLength;
    }
    try {
      return file.getPos() + (columns == null ? 0 : columns.getBufferedSize());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<Long> splitOffsets() {
    return footer == null ? null : ParquetUtil.getSplitOffsets(footer);
  }

  @Override
  public void close() throws IOException {
    if (footer != null || released) {
      // Closed, or a close that failed already gave the buffers and codecs back: an abort after a
      // failed close has nothing left to finish.
      return;
    }
    try {
      if (writer == null) {
        startWriting();
      }
      flushRowGroup();
      file.end(Map.of(SCHEMA_KEY, SchemaParser.toJson(schema)));
      footer = file.getFooter();
      closedLength = file.getPos();
    } finally {
      release();
    }
  }

  private void release() {
    if (released) {
      return;
    }
    released = true;
    codecs.release();
    if (pageStore != null) {
      pageStore.close();
    }
  }
}
