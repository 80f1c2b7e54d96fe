package dev.meshwork.core.internal.arrow;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.OutputPort;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.RawValues;
import dev.meshwork.spi.write.RowBatch;
import dev.meshwork.spi.write.ScalarShape;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Output ports written with Arrow {@link VectorSchemaRoot} batches. A batch is checked against the
 * port's contract (every contract column present with its Arrow type, no extra columns, no nulls in
 * required columns), then its rows go through the same path as records — quality rules, quarantine,
 * Parquet encoding — read by a cursor from the batch's buffers, copied to the heap once per batch.
 * Nothing is boxed, and a store that encodes a column at a time takes required numbers, dates and
 * timestamps a run of rows at a time from those arrays ({@link RawValues.Columnar}).
 */
public final class ArrowBatches {
  /** The batch class, by name: Arrow is optional and must not load unless used. */
  public static final String BATCH_CLASS = "org.apache.arrow.vector.VectorSchemaRoot";

  private ArrowBatches() {}

  /** The shape of batch rows for a contract's columns; unsupported column types fail at once. */
  public static StructShape<ArrowRow> shape(StructType struct, String where) {
    List<String> problems = new ArrayList<>();
    List<Member<ArrowRow>> members = new ArrayList<>();
    List<Field> fields = struct.fields();
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      Optional<ArrowColumn> kind = ArrowColumn.of(f.type());
      if (kind.isEmpty()) {
        problems.add(
            f.name()
                + ": "
                + f.type().display()
                + " columns cannot be written from Arrow batches yet; write this port with"
                + " records or Rows");
        continue;
      }
      members.add(member(f, i, kind.get()));
    }
    if (!problems.isEmpty()) {
      throw new ContractViolationException(
          "Cannot write " + where + " with Arrow batches", problems);
    }
    return new StructShape<>(
        ArrowRow.class,
        struct,
        members,
        values -> new ArrowRow.Copy(values.clone()),
        ArrowRow::retain);
  }

  private static Member<ArrowRow> member(Field f, int c, ArrowColumn kind) {
    if (f.required()) {
      switch (kind) {
        case LONG:
          return new Member<>(f, new LongAccessor(c), scalar(f, long.class));
        case INT:
          return new Member<>(f, new IntAccessor(c), scalar(f, int.class));
        case DOUBLE:
          return new Member<>(f, new DoubleAccessor(c), scalar(f, double.class));
        case FLOAT:
          return new Member<>(f, new FloatAccessor(c), scalar(f, float.class));
        case BOOLEAN:
          return new Member<>(
              f,
              (FieldAccessor.OfBoolean<ArrowRow>) r -> r.getBoolean(c),
              scalar(f, boolean.class));
        case STRING:
          return new Member<>(
              f, new StringAccessor(c), scalar(f, ValueShapes.canonicalClass(f.type())));
        case DATE:
        case TIMESTAMP:
        case TIMESTAMP_TZ:
          return new Member<>(
              f, new TemporalAccessor(c), scalar(f, ValueShapes.canonicalClass(f.type())));
        default:
          break;
      }
    }
    if (kind == ArrowColumn.LONG
        || kind == ArrowColumn.INT
        || kind == ArrowColumn.DOUBLE
        || kind == ArrowColumn.FLOAT
        || kind == ArrowColumn.BOOLEAN) {
      return new Member<>(
          f, new PrimitiveAccessor(c, kind), scalar(f, ValueShapes.canonicalClass(f.type())));
    }
    return new Member<>(
        f,
        (FieldAccessor.OfObject<ArrowRow>) r -> r.getObject(c),
        scalar(f, ValueShapes.canonicalClass(f.type())));
  }

  /** An optional number or boolean column that also reads its values without boxing. */
  private record PrimitiveAccessor(int c, ArrowColumn kind)
      implements FieldAccessor.OfObject<ArrowRow>, RawValues.Primitive<ArrowRow> {
    @Override
    public Object get(ArrowRow r) {
      return r.getObject(c);
    }

    @Override
    public boolean isNull(ArrowRow r) {
      return r.isNull(c);
    }

    @Override
    public long longValue(ArrowRow r) {
      return switch (kind) {
        case LONG -> r.getLong(c);
        case INT -> r.getInt(c);
        default -> r.getBoolean(c) ? 1 : 0;
      };
    }

    @Override
    public double doubleValue(ArrowRow r) {
      return kind == ArrowColumn.DOUBLE ? r.getDouble(c) : r.getFloat(c);
    }
  }

  /** A string column that also hands its UTF-8 bytes straight from the vector. */
  private record StringAccessor(int c)
      implements FieldAccessor.OfObject<ArrowRow>, RawValues.Utf8<ArrowRow> {
    @Override
    public Object get(ArrowRow r) {
      return r.getObject(c);
    }

    @Override
    public int utf8(ArrowRow r) {
      return r.utf8(c);
    }

    @Override
    public byte[] buffer(ArrowRow r) {
      return r.utf8Buffer(c);
    }

    @Override
    public int offset(ArrowRow r) {
      return r.utf8Offset();
    }
  }

  /** A date or timestamp column that also hands its stored epoch values. */
  private record TemporalAccessor(int c)
      implements FieldAccessor.OfObject<ArrowRow>,
          RawValues.Temporal<ArrowRow>,
          RawValues.Columnar<ArrowRow> {
    @Override
    public Object get(ArrowRow r) {
      return r.getObject(c);
    }

    @Override
    public long epochValue(ArrowRow r) {
      return r.epochValue(c);
    }

    @Override
    public long[] longs(RowBatch<ArrowRow> rows) {
      return rows instanceof ArrowRow.Cursor k ? k.longs(c) : null;
    }

    @Override
    public int[] ints(RowBatch<ArrowRow> rows) {
      return rows instanceof ArrowRow.Cursor k ? k.ints(c) : null;
    }
  }

  // Required numbers: a value at a time from a row, or the batch's whole array for a run of rows.

  private record LongAccessor(int c)
      implements FieldAccessor.OfLong<ArrowRow>, RawValues.Columnar<ArrowRow> {
    @Override
    public long getLong(ArrowRow r) {
      return r.getLong(c);
    }

    @Override
    public long[] longs(RowBatch<ArrowRow> rows) {
      return rows instanceof ArrowRow.Cursor k ? k.longs(c) : null;
    }
  }

  private record IntAccessor(int c)
      implements FieldAccessor.OfInt<ArrowRow>, RawValues.Columnar<ArrowRow> {
    @Override
    public int getInt(ArrowRow r) {
      return r.getInt(c);
    }

    @Override
    public int[] ints(RowBatch<ArrowRow> rows) {
      return rows instanceof ArrowRow.Cursor k ? k.ints(c) : null;
    }
  }

  private record DoubleAccessor(int c)
      implements FieldAccessor.OfDouble<ArrowRow>, RawValues.Columnar<ArrowRow> {
    @Override
    public double getDouble(ArrowRow r) {
      return r.getDouble(c);
    }

    @Override
    public double[] doubles(RowBatch<ArrowRow> rows) {
      return rows instanceof ArrowRow.Cursor k ? k.doubles(c) : null;
    }
  }

  private record FloatAccessor(int c)
      implements FieldAccessor.OfFloat<ArrowRow>, RawValues.Columnar<ArrowRow> {
    @Override
    public float getFloat(ArrowRow r) {
      return r.getFloat(c);
    }

    @Override
    public float[] floats(RowBatch<ArrowRow> rows) {
      return rows instanceof ArrowRow.Cursor k ? k.floats(c) : null;
    }
  }

  private static ScalarShape scalar(Field f, Class<?> javaType) {
    return new ScalarShape(f.type(), javaType);
  }

  /**
   * An output port of batches that hands each batch to {@code columns} to be written a column at a
   * time, or, when that declines, writes each row through {@code rows}.
   */
  public static OutputPort<VectorSchemaRoot> port(
      OutputPort<ArrowRow> rows,
      java.util.function.Predicate<RowBatch<ArrowRow>> columns,
      StructType struct,
      String where) {
    ArrowColumn[] kinds =
        struct.fields().stream()
            .map(f -> ArrowColumn.of(f.type()).orElseThrow())
            .toArray(ArrowColumn[]::new);
    return new BatchPort(rows, columns, struct, kinds, where);
  }

  /** Checks a batch against the contract and returns its vectors in contract order. */
  static FieldVector[] bind(
      VectorSchemaRoot batch, StructType struct, ArrowColumn[] kinds, String where) {
    List<String> problems = new ArrayList<>();
    List<Field> fields = struct.fields();
    FieldVector[] vectors = new FieldVector[fields.size()];
    for (int c = 0; c < fields.size(); c++) {
      Field f = fields.get(c);
      FieldVector v = batch.getVector(f.name());
      if (v == null) {
        problems.add(f.name() + ": missing; the contract has it as " + f.type().display());
        continue;
      }
      if (!kinds[c].vector.isInstance(v)
          || v.getField().getType() instanceof ArrowType.Decimal d
              && d.getScale() != ((dev.meshwork.core.schema.DecimalType) f.type()).scale()) {
        problems.add(
            f.name()
                + ": is "
                + v.getField().getType()
                + " in the batch, but "
                + f.type().display()
                + " in the contract, which takes "
                + kinds[c].arrowType
                + (f.type() instanceof dev.meshwork.core.schema.DecimalType dt
                    ? " with scale " + dt.scale()
                    : ""));
        continue;
      }
      if (v.getValueCount() < batch.getRowCount()) {
        problems.add(
            f.name()
                + ": holds "
                + v.getValueCount()
                + " value(s), but the batch has "
                + batch.getRowCount()
                + " rows; set the vector's value count (setValueCount) after filling it");
        continue;
      }
      if (f.required() && v.getNullCount() > 0) {
        problems.add(
            f.name()
                + ": "
                + v.getNullCount()
                + " null value(s), but the contract requires a value");
        continue;
      }
      vectors[c] = v;
    }
    for (FieldVector v : batch.getFieldVectors()) {
      if (struct.field(v.getName()).isEmpty()) {
        problems.add(v.getName() + ": not in the contract; drop it from the batch or add it");
      }
    }
    if (!problems.isEmpty()) {
      throw new ContractViolationException(
          "Cannot write a batch of " + batch.getRowCount() + " rows to " + where, problems);
    }
    return vectors;
  }

  /** The port: binds each batch, then writes its rows through the row port with one cursor. */
  private static final class BatchPort implements OutputPort<VectorSchemaRoot> {
    private final OutputPort<ArrowRow> rows;
    private final java.util.function.Predicate<RowBatch<ArrowRow>> columns;
    private final StructType struct;
    private final ArrowColumn[] kinds;
    private final String where;
    private final ArrowRow.Cursor cursor;

    BatchPort(
        OutputPort<ArrowRow> rows,
        java.util.function.Predicate<RowBatch<ArrowRow>> columns,
        StructType struct,
        ArrowColumn[] kinds,
        String where) {
      this.rows = rows;
      this.columns = columns;
      this.struct = struct;
      this.kinds = kinds;
      this.where = where;
      this.cursor = new ArrowRow.Cursor(kinds);
    }

    @Override
    public String name() {
      return rows.name();
    }

    @Override
    public String table() {
      return rows.table();
    }

    /** Writes every row of the batch; the batch may be reused once this returns. */
    @Override
    public void write(VectorSchemaRoot batch) {
      int n = batch.getRowCount();
      cursor.bind(bind(batch, struct, kinds, where), n);
      if (n > 0 && columns.test(cursor)) {
        return;
      }
      for (int i = 0; i < n; i++) {
        cursor.index = i;
        rows.write(cursor);
      }
    }

    @Override
    public long rows() {
      return rows.rows();
    }
  }
}
