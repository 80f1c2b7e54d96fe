package dev.meshwork.iceberg.internal.parquet;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.ListShape;
import dev.meshwork.spi.write.MapShape;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.RawValues;
import dev.meshwork.spi.write.ScalarShape;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.FieldMetrics;
import org.apache.iceberg.parquet.ParquetValueWriter;
import org.apache.iceberg.parquet.ParquetValueWriters;
import org.apache.iceberg.parquet.TripleWriter;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Writes values of a struct shape (Java records or rows) into Parquet columns for Iceberg's file
 * writer. Primitive record components go straight from their specialised accessor to the column's
 * typed write method, so the hot path neither boxes nor allocates; nested, list and map values use
 * Iceberg's level-handling writers around Meshwork's leaf columns.
 */
public final class RecordParquetWriter<T> implements ParquetValueWriter<T> {
  private final MemberWriter<T>[] members;

  private RecordParquetWriter(List<MemberWriter<T>> members) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    MemberWriter<T>[] array = members.toArray(new MemberWriter[0]);
    this.members = array;
  }

  /** The writer of a shape for a file schema produced from the same table schema. */
  public static <T> RecordParquetWriter<T> create(StructShape<T> shape, MessageType message) {
    return new Builder(message).struct(shape, message, new String[0]);
  }

  @Override
  public void write(int repetitionLevel, T value) {
    for (MemberWriter<T> m : members) {
      m.write(repetitionLevel, value);
    }
  }

  /**
   * Writes rows {@code from} to {@code to} of {@code rows} a column at a time: each member writes
   * all of them before the next member starts.
   */
  public void writeRange(dev.meshwork.spi.write.RowBatch<T> rows, int from, int to) {
    for (MemberWriter<T> m : members) {
      m.writeRange(rows, from, to);
    }
  }

  /**
   * Checks a value's top-level fields (nulls in required fields, value types of untyped rows)
   * without encoding it, so that rows held back before encoding fail when they are written.
   */
  public void validate(T value) {
    for (MemberWriter<T> m : members) {
      m.validate(value);
    }
  }

  @Override
  public List<TripleWriter<?>> columns() {
    List<TripleWriter<?>> all = new ArrayList<>();
    for (MemberWriter<T> m : members) {
      all.addAll(m.columns());
    }
    return all;
  }

  @Override
  public void setColumnStore(ColumnWriteStore store) {
    for (MemberWriter<T> m : members) {
      m.setColumnStore(store);
    }
  }

  @Override
  public Stream<FieldMetrics<?>> metrics() {
    return Arrays.stream(members).flatMap(MemberWriter::metrics);
  }

  /** The accessor's array form for runs of rows, or null if it has none. */
  @SuppressWarnings("unchecked")
  private static <T> RawValues.Columnar<T> columnar(Object accessor) {
    return accessor instanceof RawValues.Columnar<?> c ? (RawValues.Columnar<T>) c : null;
  }

  /** Writes one member of a struct, read from the struct value. */
  private abstract static class MemberWriter<T> {
    private final ParquetValueWriter<?> columns;

    MemberWriter(ParquetValueWriter<?> columns) {
      this.columns = columns;
    }

    abstract void write(int rl, T parent);

    /**
     * Writes this member of rows {@code from} to {@code to}. The members on the hot path repeat
     * this loop in their own class: one loop per class keeps its calls monomorphic, so they inline.
     */
    void writeRange(dev.meshwork.spi.write.RowBatch<T> rows, int from, int to) {
      for (int i = from; i < to; i++) {
        write(0, rows.at(i));
      }
    }

    void validate(T parent) {}

    List<TripleWriter<?>> columns() {
      return columns.columns();
    }

    void setColumnStore(ColumnWriteStore store) {
      columns.setColumnStore(store);
    }

    Stream<FieldMetrics<?>> metrics() {
      return columns.metrics();
    }
  }

  private static final class LongMember<T> extends MemberWriter<T> {
    private final FieldAccessor.OfLong<T> accessor;
    private final ScalarColumns.LongColumn column;

    private final RawValues.Columnar<T> columnar;

    LongMember(FieldAccessor.OfLong<T> accessor, ScalarColumns.LongColumn column) {
      super(column);
      this.accessor = accessor;
      this.column = column;
      this.columnar = columnar(accessor);
    }

    @Override
    void write(int rl, T parent) {
      column.writeLong(rl, accessor.getLong(parent));
    }

    @Override
    void writeRange(dev.meshwork.spi.write.RowBatch<T> rows, int from, int to) {
      long[] a = columnar == null ? null : columnar.longs(rows);
      if (a != null) {
        column.putLongs(a, from, to);
        return;
      }
      for (int i = from; i < to; i++) {
        write(0, rows.at(i));
      }
    }
  }

  private static final class IntMember<T> extends MemberWriter<T> {
    private final FieldAccessor.OfInt<T> accessor;
    private final ScalarColumns.IntColumn column;

    private final RawValues.Columnar<T> columnar;

    IntMember(FieldAccessor.OfInt<T> accessor, ScalarColumns.IntColumn column) {
      super(column);
      this.accessor = accessor;
      this.column = column;
      this.columnar = columnar(accessor);
    }

    @Override
    void write(int rl, T parent) {
      column.writeInt(rl, accessor.getInt(parent));
    }

    @Override
    void writeRange(dev.meshwork.spi.write.RowBatch<T> rows, int from, int to) {
      int[] a = columnar == null ? null : columnar.ints(rows);
      if (a != null) {
        column.putInts(a, from, to);
        return;
      }
      for (int i = from; i < to; i++) {
        write(0, rows.at(i));
      }
    }
  }

  private static final class DoubleMember<T> extends MemberWriter<T> {
    private final FieldAccessor.OfDouble<T> accessor;
    private final ScalarColumns.DoubleColumn column;

    private final RawValues.Columnar<T> columnar;

    DoubleMember(FieldAccessor.OfDouble<T> accessor, ScalarColumns.DoubleColumn column) {
      super(column);
      this.accessor = accessor;
      this.column = column;
      this.columnar = columnar(accessor);
    }

    @Override
    void write(int rl, T parent) {
      column.writeDouble(rl, accessor.getDouble(parent));
    }

    @Override
    void writeRange(dev.meshwork.spi.write.RowBatch<T> rows, int from, int to) {
      double[] a = columnar == null ? null : columnar.doubles(rows);
      if (a != null) {
        column.writeDoubles(a, from, to);
        return;
      }
      for (int i = from; i < to; i++) {
        write(0, rows.at(i));
      }
    }
  }

  private static final class FloatMember<T> extends MemberWriter<T> {
    private final FieldAccessor.OfFloat<T> accessor;
    private final ScalarColumns.FloatColumn column;

    private final RawValues.Columnar<T> columnar;

    FloatMember(FieldAccessor.OfFloat<T> accessor, ScalarColumns.FloatColumn column) {
      super(column);
      this.accessor = accessor;
      this.column = column;
      this.columnar = columnar(accessor);
    }

    @Override
    void write(int rl, T parent) {
      column.writeFloat(rl, accessor.getFloat(parent));
    }

    @Override
    void writeRange(dev.meshwork.spi.write.RowBatch<T> rows, int from, int to) {
      float[] a = columnar == null ? null : columnar.floats(rows);
      if (a != null) {
        column.writeFloats(a, from, to);
        return;
      }
      for (int i = from; i < to; i++) {
        write(0, rows.at(i));
      }
    }
  }

  private static final class BooleanMember<T> extends MemberWriter<T> {
    private final FieldAccessor.OfBoolean<T> accessor;
    private final ScalarColumns.BooleanColumn column;

    BooleanMember(FieldAccessor.OfBoolean<T> accessor, ScalarColumns.BooleanColumn column) {
      super(column);
      this.accessor = accessor;
      this.column = column;
    }

    @Override
    void write(int rl, T parent) {
      column.writeBoolean(rl, accessor.getBoolean(parent));
    }

    @Override
    void writeRange(dev.meshwork.spi.write.RowBatch<T> rows, int from, int to) {
      for (int i = from; i < to; i++) {
        write(0, rows.at(i));
      }
    }
  }

  /** A required string written from its UTF-8 bytes, without a String. */
  private static final class Utf8Member<T> extends MemberWriter<T> {
    private final RawValues.Utf8<T> accessor;
    private final ScalarColumns.StringColumn column;

    Utf8Member(RawValues.Utf8<T> accessor, ScalarColumns.StringColumn column) {
      super(column);
      this.accessor = accessor;
      this.column = column;
    }

    @Override
    void write(int rl, T parent) {
      int n = accessor.utf8(parent);
      column.writeUtf8(rl, accessor.buffer(parent), accessor.offset(parent), n);
    }

    @Override
    void writeRange(dev.meshwork.spi.write.RowBatch<T> rows, int from, int to) {
      for (int i = from; i < to; i++) {
        write(0, rows.at(i));
      }
    }
  }

  /** A required date or timestamp written from its epoch value, without a java.time object. */
  private static final class EpochMember<T> extends MemberWriter<T> {
    private final RawValues.Temporal<T> accessor;
    private final Column column;
    private final boolean days;

    private final RawValues.Columnar<T> columnar;

    EpochMember(RawValues.Temporal<T> accessor, Column column, boolean days) {
      super(column);
      this.accessor = accessor;
      this.column = column;
      this.days = days;
      this.columnar = columnar(accessor);
    }

    @Override
    void write(int rl, T parent) {
      long v = accessor.epochValue(parent);
      if (days) {
        column.putInt(rl, Math.toIntExact(v));
      } else {
        column.putLong(rl, v);
      }
    }

    @Override
    void writeRange(dev.meshwork.spi.write.RowBatch<T> rows, int from, int to) {
      if (columnar != null) {
        if (days) {
          int[] a = columnar.ints(rows);
          if (a != null) {
            column.putInts(a, from, to);
            return;
          }
        } else {
          long[] a = columnar.longs(rows);
          if (a != null) {
            column.putLongs(a, from, to);
            return;
          }
        }
      }
      for (int i = from; i < to; i++) {
        write(0, rows.at(i));
      }
    }
  }

  /** An optional number or boolean: a null is written as such, a value without boxing. */
  private static final class NullableMember<T> extends MemberWriter<T> {
    private final RawValues.Primitive<T> accessor;
    private final Column column;
    private final int nullLevel;

    private long nulls;

    NullableMember(RawValues.Primitive<T> accessor, Column column, int nullLevel) {
      super(column);
      this.accessor = accessor;
      this.column = column;
      this.nullLevel = nullLevel;
    }

    /** The column's own metrics (floats and doubles) with the nulls counted, as Iceberg's do. */
    @Override
    Stream<FieldMetrics<?>> metrics() {
      return column
          .metrics()
          .map(
              m ->
                  new FieldMetrics<>(
                      m.id(),
                      m.valueCount() + nulls,
                      m.nullValueCount() + nulls,
                      m.nanValueCount(),
                      m.lowerBound(),
                      m.upperBound()));
    }

    @Override
    void write(int rl, T parent) {
      if (accessor.isNull(parent)) {
        column.writeNullAt(rl, nullLevel);
        nulls++;
        return;
      }
      if (column instanceof ScalarColumns.LongColumn c) {
        c.writeLong(rl, accessor.longValue(parent));
      } else if (column instanceof ScalarColumns.IntColumn c) {
        c.writeInt(rl, (int) accessor.longValue(parent));
      } else if (column instanceof ScalarColumns.DoubleColumn c) {
        c.writeDouble(rl, accessor.doubleValue(parent));
      } else if (column instanceof ScalarColumns.FloatColumn c) {
        c.writeFloat(rl, (float) accessor.doubleValue(parent));
      } else {
        ((ScalarColumns.BooleanColumn) column).writeBoolean(rl, accessor.longValue(parent) != 0);
      }
    }

    @Override
    void writeRange(dev.meshwork.spi.write.RowBatch<T> rows, int from, int to) {
      for (int i = from; i < to; i++) {
        write(0, rows.at(i));
      }
    }
  }

  /** A member held as an object: null-checked, then written by an (optional-aware) value writer. */
  private static final class ObjectMember<T> extends MemberWriter<T> {
    private final FieldAccessor<T> accessor;
    private final ParquetValueWriter<Object> writer;
    private final boolean required;
    private final String path;

    ObjectMember(
        FieldAccessor<T> accessor,
        ParquetValueWriter<Object> writer,
        boolean required,
        String path) {
      super(writer);
      this.accessor = accessor;
      this.writer = writer;
      this.required = required;
      this.path = path;
    }

    @Override
    void write(int rl, T parent) {
      Object v = value(parent);
      if (v == null && required) {
        throw nullRequired();
      }
      writer.write(rl, v);
    }

    @Override
    void validate(T parent) {
      if (value(parent) == null && required) {
        throw nullRequired();
      }
    }

    private ContractViolationException nullRequired() {
      return new ContractViolationException(
          "required field '" + path + "' is null; the contract does not allow null here");
    }

    private Object value(T parent) {
      if (accessor instanceof FieldAccessor.OfObject<T> o) {
        return o.get(parent);
      }
      // Primitive accessors only reach here for columns whose type needs an object encoding.
      if (accessor instanceof FieldAccessor.OfLong<T> l) {
        return l.getLong(parent);
      }
      if (accessor instanceof FieldAccessor.OfInt<T> i) {
        return i.getInt(parent);
      }
      if (accessor instanceof FieldAccessor.OfDouble<T> d) {
        return d.getDouble(parent);
      }
      if (accessor instanceof FieldAccessor.OfFloat<T> f) {
        return f.getFloat(parent);
      }
      return ((FieldAccessor.OfBoolean<T>) accessor).getBoolean(parent);
    }
  }

  /** Walks a shape and the file's message type together, tracking column paths. */
  private static final class Builder {
    private final MessageType message;

    Builder(MessageType message) {
      this.message = message;
    }

    <T> RecordParquetWriter<T> struct(StructShape<T> shape, GroupType group, String[] prefix) {
      List<MemberWriter<T>> out = new ArrayList<>();
      for (Member<T> m : shape.members()) {
        String name = m.field().name();
        Type fieldType = group.getType(name);
        String[] path = append(prefix, name);
        out.add(member(m, fieldType, path));
      }
      return new RecordParquetWriter<>(out);
    }

    @SuppressWarnings("unchecked")
    private <T> MemberWriter<T> member(Member<T> m, Type fieldType, String[] path) {
      FieldAccessor<T> acc = m.accessor();
      if (m.shape() instanceof ScalarShape s && !(acc instanceof FieldAccessor.OfObject)) {
        Column col = leaf(s, fieldType, path);
        if (acc instanceof FieldAccessor.OfLong<T> l && col instanceof ScalarColumns.LongColumn c) {
          return new LongMember<>(l, c);
        }
        if (acc instanceof FieldAccessor.OfInt<T> i && col instanceof ScalarColumns.IntColumn c) {
          return new IntMember<>(i, c);
        }
        if (acc instanceof FieldAccessor.OfDouble<T> d
            && col instanceof ScalarColumns.DoubleColumn c) {
          return new DoubleMember<>(d, c);
        }
        if (acc instanceof FieldAccessor.OfFloat<T> f
            && col instanceof ScalarColumns.FloatColumn c) {
          return new FloatMember<>(f, c);
        }
        if (acc instanceof FieldAccessor.OfBoolean<T> b
            && col instanceof ScalarColumns.BooleanColumn c) {
          return new BooleanMember<>(b, c);
        }
      }
      // Required values that can be encoded from their stored form skip the Java object.
      if (m.shape() instanceof ScalarShape s && m.field().required()) {
        if (acc instanceof RawValues.Utf8<?> raw) {
          RawValues.Utf8<T> u = (RawValues.Utf8<T>) raw;
          Column col = leaf(s, fieldType, path);
          if (col instanceof ScalarColumns.StringColumn c) {
            return new Utf8Member<>(u, c);
          }
        }
        if (acc instanceof RawValues.Temporal<?> raw) {
          RawValues.Temporal<T> t = (RawValues.Temporal<T>) raw;
          Column col = leaf(s, fieldType, path);
          if (col instanceof ScalarColumns.DateColumn c) {
            return new EpochMember<>(t, c, true);
          }
          if (col instanceof ScalarColumns.TimestampColumn
              || col instanceof ScalarColumns.TimestampTzColumn) {
            return new EpochMember<>(t, col, false);
          }
        }
      }
      // Optional numbers and booleans that can be read without boxing.
      if (m.shape() instanceof ScalarShape s
          && !m.field().required()
          && acc instanceof RawValues.Primitive<?> raw) {
        Column col = leaf(s, fieldType, path);
        if (col instanceof ScalarColumns.LongColumn
            || col instanceof ScalarColumns.IntColumn
            || col instanceof ScalarColumns.DoubleColumn
            || col instanceof ScalarColumns.FloatColumn
            || col instanceof ScalarColumns.BooleanColumn) {
          return new NullableMember<>(
              (RawValues.Primitive<T>) raw, col, message.getMaxDefinitionLevel(path) - 1);
        }
      }
      ParquetValueWriter<Object> value =
          (ParquetValueWriter<Object>) value(m.shape(), fieldType, path);
      ParquetValueWriter<Object> optional =
          ParquetValueWriters.option(fieldType, message.getMaxDefinitionLevel(path), value);
      return new ObjectMember<>(acc, optional, m.field().required(), String.join(".", path));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ParquetValueWriter<?> value(ValueShape shape, Type type, String[] path) {
      if (shape instanceof ScalarShape s) {
        return leaf(s, type, path);
      }
      if (shape instanceof StructShape<?> st) {
        return struct(st, type.asGroupType(), path);
      }
      if (shape instanceof ListShape l) {
        GroupType repeated = type.asGroupType().getType(0).asGroupType();
        String[] repeatedPath = append(path, repeated.getName());
        Type element = repeated.getType(0);
        String[] elementPath = append(repeatedPath, element.getName());
        ParquetValueWriter elementWriter = value(l.element(), element, elementPath);
        return ParquetValueWriters.collections(
            message.getMaxDefinitionLevel(repeatedPath),
            message.getMaxRepetitionLevel(repeatedPath),
            ParquetValueWriters.option(
                element, message.getMaxDefinitionLevel(elementPath), elementWriter));
      }
      MapShape m = (MapShape) shape;
      GroupType repeated = type.asGroupType().getType(0).asGroupType();
      String[] repeatedPath = append(path, repeated.getName());
      Type key = repeated.getType(0);
      Type val = repeated.getType(1);
      String[] keyPath = append(repeatedPath, key.getName());
      String[] valuePath = append(repeatedPath, val.getName());
      ParquetValueWriter keyWriter = value(m.key(), key, keyPath);
      ParquetValueWriter valueWriter = value(m.value(), val, valuePath);
      return ParquetValueWriters.maps(
          message.getMaxDefinitionLevel(repeatedPath),
          message.getMaxRepetitionLevel(repeatedPath),
          ParquetValueWriters.option(key, message.getMaxDefinitionLevel(keyPath), keyWriter),
          ParquetValueWriters.option(val, message.getMaxDefinitionLevel(valuePath), valueWriter));
    }

    private Column leaf(ScalarShape s, Type type, String[] path) {
      int id = type.getId() == null ? 0 : type.getId().intValue();
      return ScalarColumns.forType(
          s.type(), message.getColumnDescription(path), id, String.join(".", path));
    }

    private static String[] append(String[] prefix, String name) {
      String[] out = Arrays.copyOf(prefix, prefix.length + 1);
      out[prefix.length] = name;
      return out;
    }
  }
}
