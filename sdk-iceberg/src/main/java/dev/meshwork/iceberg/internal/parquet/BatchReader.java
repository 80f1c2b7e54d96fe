package dev.meshwork.iceberg.internal.parquet;

import dev.meshwork.core.StoreException;
import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.ColumnBatch;
import dev.meshwork.spi.ColumnarReads;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes flat columns of Parquet data files a batch at a time into {@link ColumnBatch}es (Arrow's
 * layout) without making a Java value: plain values are copied in runs, dictionary ids looked up in
 * the dictionary page's bytes, definition levels turned into validity bits. Files whose columns
 * have other physical types or encodings are read as {@link #read} says.
 */
public final class BatchReader {
  private final int[] fieldIds;
  private final DataType[] types;
  private final int[] widths;

  private BatchReader(int[] fieldIds, DataType[] types, int[] widths) {
    this.fieldIds = fieldIds;
    this.types = types;
    this.widths = widths;
  }

  /**
   * A reader of {@code columns} over files of {@code schema}, or empty when a column is not a
   * top-level scalar column of the schema with a batch width.
   */
  public static Optional<BatchReader> of(StructType columns, org.apache.iceberg.Schema schema) {
    int n = columns.fields().size();
    int[] ids = new int[n];
    DataType[] types = new DataType[n];
    int[] widths = new int[n];
    for (int i = 0; i < n; i++) {
      dev.meshwork.core.schema.Field f = columns.fields().get(i);
      org.apache.iceberg.types.Types.NestedField column = schema.findField(f.name());
      java.util.OptionalInt width = ColumnarReads.widthOf(f.type());
      if (column == null
          || !column.type().isPrimitiveType()
          || width.isEmpty()
          || schema.findColumnName(column.fieldId()).contains(".")) {
        return Optional.empty();
      }
      ids[i] = column.fieldId();
      types[i] = f.type();
      widths[i] = width.getAsInt();
    }
    return Optional.of(new BatchReader(ids, types, widths));
  }

  /** The widths of the batches' columns, for {@link ColumnBatch#ColumnBatch(int[])}. */
  public int[] widths() {
    return widths.clone();
  }

  /**
   * The rows of the row groups of {@code file} whose middle lies in [{@code start}, {@code start +
   * length}), appended to {@code batch} (cleared first) at most {@code batchRows} at a time; the
   * same batch is handed out again for each run of rows. Empty when a column of the file cannot be
   * decoded here (the caller reads the file another way). Close the stream.
   */
  public Optional<Stream<ColumnBatch>> read(
      org.apache.iceberg.io.InputFile file,
      long start,
      long length,
      ColumnBatch batch,
      int batchRows,
      String what) {
    Optional<FileColumns<ColumnDecoder.Target>> opened =
        FileColumns.open(
            file,
            start,
            length,
            fieldIds,
            (i, physical) -> target(types[i], physical),
            ColumnDecoder.Target[]::new,
            what);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    FileColumns<ColumnDecoder.Target> f = opened.get();
    try {
      f.reader.setRequestedSchema(f.projection);
      Batches batches =
          new Batches(f.reader, f.descriptors, f.physical, f.how, batch, batchRows, what);
      return Optional.of(FileColumns.stream(batches, batches::close));
    } catch (RuntimeException e) {
      ShapeReader.closeQuietly(f.reader, e);
      throw e;
    }
  }

  /**
   * Generic records (a file this reader does not decode) appended to {@code batch} at most {@code
   * batchRows} at a time, the same batch handed out for each run. Close the stream.
   */
  public static Stream<ColumnBatch> fromRecords(
      Stream<org.apache.iceberg.data.Record> records,
      StructType columns,
      ColumnBatch batch,
      int batchRows) {
    List<dev.meshwork.core.schema.Field> fields = columns.fields();
    Iterator<org.apache.iceberg.data.Record> it = records.iterator();
    Iterator<ColumnBatch> batches =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public ColumnBatch next() {
            if (!it.hasNext()) {
              throw new NoSuchElementException();
            }
            batch.clear();
            for (int n = 0; n < batchRows && it.hasNext(); n++) {
              org.apache.iceberg.data.Record r = it.next();
              for (int c = 0; c < fields.size(); c++) {
                append(
                    batch.column(c),
                    (PrimitiveType) fields.get(c).type(),
                    r.getField(fields.get(c).name()));
              }
            }
            return batch;
          }
        };
    return FileColumns.stream(batches, records::close);
  }

  /** Appends one of Iceberg's generic values. */
  private static void append(ColumnBatch.Column out, PrimitiveType type, Object v) {
    if (v == null) {
      out.appendNull();
      return;
    }
    switch (type) {
      case LONG -> out.appendLong(((Number) v).longValue());
      case INT -> out.appendInt(((Number) v).intValue());
      case DOUBLE -> out.appendDouble(((Number) v).doubleValue());
      case FLOAT -> out.appendFloat(((Number) v).floatValue());
      case BOOLEAN -> out.appendBoolean((Boolean) v);
      case STRING -> {
        byte[] b = v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.appendBytes(b, 0, b.length);
      }
      case BINARY -> {
        java.nio.ByteBuffer b = ((java.nio.ByteBuffer) v).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        out.appendBytes(bytes, 0, bytes.length);
      }
      case UUID -> {
        java.util.UUID u = (java.util.UUID) v;
        byte[] b =
            java.nio.ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits())
                .array();
        out.appendBytes(b, 0, 16);
      }
      case DATE -> out.appendInt((int) ((java.time.LocalDate) v).toEpochDay());
      case TIME -> out.appendLong(((java.time.LocalTime) v).toNanoOfDay() / 1_000);
      case TIMESTAMP ->
          out.appendLong(micros(((java.time.LocalDateTime) v).toInstant(java.time.ZoneOffset.UTC)));
      case TIMESTAMP_TZ -> out.appendLong(micros(((java.time.OffsetDateTime) v).toInstant()));
    }
  }

  private static long micros(java.time.Instant i) {
    return java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, i);
  }

  /** How a column of {@code physical} type is kept for {@code type}; null when not here. */
  private static ColumnDecoder.Target target(
      DataType type, org.apache.parquet.schema.PrimitiveType physical) {
    PrimitiveTypeName p = physical.getPrimitiveTypeName();
    return switch ((PrimitiveType) type) {
      case LONG ->
          p == PrimitiveTypeName.INT64 || p == PrimitiveTypeName.INT32
              ? ColumnDecoder.Target.LONG
              : null;
      case INT, DATE -> p == PrimitiveTypeName.INT32 ? ColumnDecoder.Target.INT : null;
      case DOUBLE ->
          p == PrimitiveTypeName.DOUBLE || p == PrimitiveTypeName.FLOAT
              ? ColumnDecoder.Target.DOUBLE
              : null;
      case FLOAT -> p == PrimitiveTypeName.FLOAT ? ColumnDecoder.Target.FLOAT : null;
      case BOOLEAN -> p == PrimitiveTypeName.BOOLEAN ? ColumnDecoder.Target.BITS : null;
      case STRING -> p == PrimitiveTypeName.BINARY ? ColumnDecoder.Target.BYTES : null;
      case BINARY ->
          p == PrimitiveTypeName.BINARY || p == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
              ? ColumnDecoder.Target.BYTES
              : null;
      case UUID ->
          p == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY && physical.getTypeLength() == 16
              ? ColumnDecoder.Target.BYTES
              : null;
      case TIME, TIMESTAMP, TIMESTAMP_TZ ->
          p == PrimitiveTypeName.INT64 && ShapeReader.micros(physical.getLogicalTypeAnnotation())
              ? ColumnDecoder.Target.LONG
              : null;
    };
  }

  /** The batches of one file, row group by row group. */
  private static final class Batches implements Iterator<ColumnBatch> {
    private final ParquetFileReader reader;
    private final ColumnDescriptor[] columns;
    private final org.apache.parquet.schema.PrimitiveType[] physical;
    private final ColumnDecoder.Target[] targets;
    private final ColumnBatch batch;
    private final int batchRows;
    private final String what;
    private final ColumnDecoder[] decoders;
    private final PagesAhead[] ahead;
    private long left;
    private boolean done;
    private boolean closed;

    Batches(
        ParquetFileReader reader,
        ColumnDescriptor[] columns,
        org.apache.parquet.schema.PrimitiveType[] physical,
        ColumnDecoder.Target[] targets,
        ColumnBatch batch,
        int batchRows,
        String what) {
      this.reader = reader;
      this.columns = columns;
      this.physical = physical;
      this.targets = targets;
      this.batch = batch;
      this.batchRows = batchRows;
      this.what = what;
      this.decoders = new ColumnDecoder[columns.length];
      this.ahead = new PagesAhead[columns.length];
    }

    /** Opens the next row group; false at the end of the file. */
    private boolean group() {
      PageReadStore group;
      try {
        group = reader.readNextRowGroup();
      } catch (IOException e) {
        throw new StoreException("Cannot read " + what + ": " + e.getMessage(), e);
      }
      release();
      if (group == null) {
        return false;
      }
      for (int i = 0; i < columns.length; i++) {
        if (columns[i] == null) {
          decoders[i] = null;
          continue;
        }
        org.apache.parquet.column.page.PageReader pages =
            PagesAhead.of(group.getPageReader(columns[i]));
        if (pages instanceof PagesAhead a) {
          ahead[i] = a;
        }
        decoders[i] =
            new ColumnDecoder(
                pages,
                columns[i].getMaxDefinitionLevel(),
                physical[i].getPrimitiveTypeName(),
                physical[i].getTypeLength(),
                null,
                what);
      }
      left = group.getRowCount();
      return true;
    }

    private void release() {
      for (int i = 0; i < ahead.length; i++) {
        if (ahead[i] != null) {
          ahead[i].close();
          ahead[i] = null;
        }
      }
    }

    @Override
    public boolean hasNext() {
      while (left == 0 && !done) {
        if (!group()) {
          done = true;
          close();
        }
      }
      return left > 0;
    }

    @Override
    public ColumnBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      batch.clear();
      int rows = 0;
      while (rows < batchRows && hasNext()) {
        int take = (int) Math.min(batchRows - rows, left);
        for (int c = 0; c < decoders.length; c++) {
          ColumnBatch.Column out = batch.column(c);
          if (decoders[c] == null) {
            for (int k = 0; k < take; k++) {
              out.appendNull();
            }
          } else {
            decoders[c].fill(out, take, targets[c]);
          }
        }
        rows += take;
        left -= take;
      }
      return batch;
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      release();
      ShapeReader.close(reader, what);
    }
  }
}
