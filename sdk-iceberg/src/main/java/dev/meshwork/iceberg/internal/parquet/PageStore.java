package dev.meshwork.iceberg.internal.parquet;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.bloomfilter.BlockSplitBloomFilter;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Meshwork's column store for schemas without repeated fields: its own plain, dictionary and
 * RLE/bit-packing encoders write Parquet v1 pages, so values go from the record accessors into
 * primitive arrays and leave as encoded pages without parquet-java's per-value writer stack. Lists
 * and maps, v2 pages and unusual physical types use parquet-java's store instead.
 */
final class PageStore implements ColumnWriteStore {
  private final PageColumn[] columns;
  private final Map<ColumnDescriptor, PageColumn> byDescriptor = new HashMap<>();
  private final Shared shared;

  /** Buffers and settings shared by the columns of one file (one writer thread). */
  static final class Shared {
    final ByteSink dictionaryPlain = new ByteSink(1 << 12);
    final ByteSink dictionary = new ByteSink(1 << 12);
    final PageCompressor compressor;
    final int maxDictionaryBytes;
    private int[] levels = new int[0];

    Shared(PageCompressor compressor, int maxDictionaryBytes) {
      this.compressor = compressor;
      this.maxDictionaryBytes = maxDictionaryBytes;
    }

    int[] levels(int n) {
      if (levels.length < n) {
        levels = new int[n];
      }
      return levels;
    }
  }

  /**
   * A store for {@code schema}; columns whose dotted path is in {@code plainColumns} are written
   * without dictionary.
   */
  PageStore(
      MessageType schema,
      Set<String> plainColumns,
      PageCompressor compressor,
      ParquetProperties props) {
    int pageSize = props.getPageSizeThreshold();
    int pageRowLimit = props.getPageRowCountLimit();
    this.shared = new Shared(compressor, props.getDictionaryPageSizeThreshold());
    this.columns = new PageColumn[schema.getColumns().size()];
    int i = 0;
    for (ColumnDescriptor d : schema.getColumns()) {
      boolean dictionary = !plainColumns.contains(String.join(".", d.getPath()));
      PageColumn c =
          switch (d.getPrimitiveType().getPrimitiveTypeName()) {
            case BOOLEAN -> new BooleanPageColumn(d, shared, pageRowLimit);
            case INT32, INT64, FLOAT, DOUBLE -> {
              int width = FixedColumn.width(d.getPrimitiveType().getPrimitiveTypeName());
              int rows = Math.max(1, Math.min(pageRowLimit, pageSize / width));
              yield new FixedColumn(d, shared, rows, dictionary);
            }
            case BINARY, FIXED_LEN_BYTE_ARRAY ->
                new BinaryPageColumn(d, shared, pageRowLimit, pageSize, dictionary);
            default -> throw new IllegalArgumentException("unsupported column " + d);
          };
      if (props.isBloomFilterEnabled(d)) {
        c.bloomFilters(() -> bloomFilter(props, d));
      }
      columns[i++] = c;
      byDescriptor.put(d, c);
    }
  }

  /** A column chunk's bloom filter, sized as parquet-java sizes it. */
  private static BloomFilter bloomFilter(ParquetProperties props, ColumnDescriptor d) {
    int max = props.getMaxBloomFilterBytes();
    java.util.OptionalLong ndv = props.getBloomFilterNDV(d);
    if (ndv.isPresent()) {
      int bits =
          BlockSplitBloomFilter.optimalNumOfBits(
              ndv.getAsLong(), props.getBloomFilterFPP(d).getAsDouble());
      return new BlockSplitBloomFilter(bits / 8, max);
    }
    return new BlockSplitBloomFilter(max, max);
  }

  /** Whether every column of {@code schema} can be written by this store. */
  static boolean supports(MessageType schema) {
    for (ColumnDescriptor d : schema.getColumns()) {
      if (d.getMaxRepetitionLevel() > 0 || d.getMaxDefinitionLevel() > 127) {
        return false;
      }
      PrimitiveType t = d.getPrimitiveType();
      boolean ok =
          switch (t.getPrimitiveTypeName()) {
            case BOOLEAN, FLOAT, DOUBLE -> true;
            // Unsigned integers compare differently; Iceberg never writes them.
            case INT32, INT64 ->
                !(t.getLogicalTypeAnnotation()
                        instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                    && !i.isSigned());
            case BINARY, FIXED_LEN_BYTE_ARRAY -> BinaryPageColumn.supported(t);
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Runs {@code checks}, by Parquet column name, on every page of those columns. */
  void checkColumns(Map<String, java.util.List<dev.meshwork.spi.write.ColumnCheck>> checks) {
    for (PageColumn c : columns) {
      java.util.List<dev.meshwork.spi.write.ColumnCheck> forColumn =
          checks.get(String.join(".", c.descriptor.getPath()));
      if (forColumn != null && !forColumn.isEmpty()) {
        c.checks(forColumn.toArray(new dev.meshwork.spi.write.ColumnCheck[0]));
      }
    }
  }

  /**
   * The top-level Parquet column holding the Iceberg field {@code check} reads (matched by field
   * id), or null when its pages cannot be handed over in the form the check asks for.
   */
  static String checkedColumn(
      MessageType type,
      org.apache.iceberg.Schema schema,
      dev.meshwork.spi.write.ColumnCheck check) {
    org.apache.iceberg.types.Types.NestedField field = schema.asStruct().field(check.column());
    if (field == null) {
      return null;
    }
    for (org.apache.parquet.schema.Type t : type.getFields()) {
      if (t.getId() == null || t.getId().intValue() != field.fieldId() || !t.isPrimitive()) {
        continue;
      }
      PrimitiveType p = t.asPrimitiveType();
      LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
      boolean ok =
          switch (check.form()) {
            case INTEGER ->
                (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32
                        || p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64)
                    && (logical == null
                        || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                            && i.isSigned()
                        || logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
                        || logical
                                instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
                            && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS);
            case FLOATING ->
                p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FLOAT
                    || p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.DOUBLE;
            case UTF8 ->
                p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
                    && logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation;
          };
      return ok ? t.getName() : null;
    }
    return null;
  }

  /** The column for {@code descriptor}, for writers that call it directly. */
  PageColumn column(ColumnDescriptor descriptor) {
    return byDescriptor.get(descriptor);
  }

  /** Writes the buffered row group's column chunks, in schema order, to {@code file}. */
  void writeRowGroup(ParquetFileWriter file, CompressionCodecName codec) throws IOException {
    for (PageColumn c : columns) {
      c.flushPage();
    }
    shared.compressor.drain();
    for (PageColumn c : columns) {
      c.writeChunk(file, codec);
    }
  }

  @Override
  public ColumnWriter getColumnWriter(ColumnDescriptor descriptor) {
    PageColumn c = byDescriptor.get(descriptor);
    if (c == null) {
      throw new IllegalArgumentException("no column " + descriptor + " in this file's schema");
    }
    return c;
  }

  @Override
  public void flush() {
    // Row groups are written by writeRowGroup, which needs the file writer.
  }

  @Override
  public void endRecord() {}

  @Override
  public long getAllocatedSize() {
    long sum = 0;
    for (PageColumn c : columns) {
      sum += c.allocatedSize();
    }
    return sum;
  }

  @Override
  public long getBufferedSize() {
    long sum = 0;
    for (PageColumn c : columns) {
      sum += c.bufferedSize();
    }
    return sum;
  }

  @Override
  public String memUsageString() {
    return "Meshwork page store: " + getBufferedSize() + " bytes buffered";
  }

  @Override
  public void close() {
    // Background compression must be finished before the chunk segments go back to the pool.
    shared.compressor.close();
    for (PageColumn c : columns) {
      c.release();
    }
  }
}
