package dev.meshwork.core.internal.arrow;

import dev.meshwork.core.Change;
import dev.meshwork.core.Filter;
import dev.meshwork.core.InputPort;
import dev.meshwork.core.Row;
import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.DecimalType;
import dev.meshwork.core.schema.ListType;
import dev.meshwork.core.schema.MapType;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.ColumnBatch;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShapes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Input ports read as Arrow {@link VectorSchemaRoot} batches: the rows the port reads (with the
 * policy's masks and row filters, the read's filter and the table's row-level deletes applied, as
 * for records) filled into vectors of the contract's columns, {@value #BATCH_ROWS} rows a batch.
 * Every contract type has its vector, nested structs, lists and maps included. Each batch is a new
 * root in an allocator the stream owns: close a batch when done with it, and closing the stream
 * closes every batch it gave out that is still open.
 */
public final class ArrowReads {
  /** Rows per batch (the last one of a read holds what is left). */
  public static final int BATCH_ROWS = 8_192;

  private ArrowReads() {}

  /** Where the rows of a port read as batches come from. */
  public interface Source {
    /** The port's rows that match {@code where} (null: all), as values of {@code shape}. */
    Stream<Object[]> read(StructShape<Object[]> shape, Filter where);

    /**
     * Every row of the port as column batches decoded by the store, or empty when the store does
     * not decode columns or the policy masks or filters rows.
     */
    java.util.Optional<Stream<ColumnBatch>> columns(int batchRows);

    /** The port's change set, as values of {@code shape}. */
    Stream<Change<Object[]>> changes(StructShape<Object[]> shape);
  }

  /** The port {@code name} read as batches of the contract's columns {@code struct}. */
  public static InputPort<VectorSchemaRoot> port(
      String name, String table, OptionalLong version, StructType struct, Source source) {
    return new BatchInput(name, table, version, struct, source);
  }

  /** The Arrow schema of a contract's columns. */
  public static Schema schema(StructType struct) {
    return new Schema(struct.fields().stream().map(ArrowReads::field).toList());
  }

  private static Field field(dev.meshwork.core.schema.Field f) {
    return field(f.name(), f.type(), !f.required());
  }

  private static Field field(String name, DataType type, boolean nullable) {
    if (type instanceof StructType st) {
      return new Field(
          name,
          new FieldType(nullable, ArrowType.Struct.INSTANCE, null),
          st.fields().stream().map(ArrowReads::field).toList());
    }
    if (type instanceof ListType lt) {
      return new Field(
          name,
          new FieldType(nullable, ArrowType.List.INSTANCE, null),
          List.of(field("element", lt.element(), !lt.elementRequired())));
    }
    if (type instanceof MapType mt) {
      Field entries =
          new Field(
              MapVector.DATA_VECTOR_NAME,
              new FieldType(false, ArrowType.Struct.INSTANCE, null),
              List.of(
                  field(MapVector.KEY_NAME, mt.key(), false),
                  field(MapVector.VALUE_NAME, mt.value(), !mt.valueRequired())));
      return new Field(
          name, new FieldType(nullable, new ArrowType.Map(false), null), List.of(entries));
    }
    return new Field(name, new FieldType(nullable, scalar(type), null), null);
  }

  private static ArrowType scalar(DataType type) {
    if (type instanceof DecimalType d) {
      return new ArrowType.Decimal(d.precision(), d.scale(), 128);
    }
    return switch ((PrimitiveType) type) {
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case INT -> new ArrowType.Int(32, true);
      case LONG -> new ArrowType.Int(64, true);
      case FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case STRING -> ArrowType.Utf8.INSTANCE;
      case BINARY -> ArrowType.Binary.INSTANCE;
      case UUID -> new ArrowType.FixedSizeBinary(16);
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      case TIME -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case TIMESTAMP_TZ -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
    };
  }

  /** The shape the rows are read as: each row's column values in contract order. */
  static StructShape<Object[]> values(StructType struct) {
    List<Member<Object[]>> members = new ArrayList<>();
    List<dev.meshwork.core.schema.Field> fields = struct.fields();
    for (int i = 0; i < fields.size(); i++) {
      int at = i;
      members.add(
          new Member<>(
              fields.get(i),
              (FieldAccessor.OfObject<Object[]>) v -> v[at],
              ValueShapes.canonical(fields.get(i).type())));
    }
    // Readers hand the same array for every row: each row keeps a copy.
    return new StructShape<>(Object[].class, struct, members, Object[]::clone);
  }

  /** Sets a value (never null) at an index of a vector. */
  private interface Put {
    void set(FieldVector vector, int index, Object value);
  }

  /** How values of {@code type} go into its vector; nulls are handled by {@link #put}. */
  private static Put put(DataType type) {
    if (type instanceof StructType st) {
      List<dev.meshwork.core.schema.Field> fields = st.fields();
      Put[] children = fields.stream().map(f -> put(f.type())).toArray(Put[]::new);
      String[] names =
          fields.stream().map(dev.meshwork.core.schema.Field::name).toArray(String[]::new);
      return (v, i, value) -> {
        StructVector s = (StructVector) v;
        Row row = (Row) value;
        s.setIndexDefined(i);
        for (int c = 0; c < children.length; c++) {
          put(children[c], s.getChildrenFromFields().get(c), i, row.get(names[c]));
        }
      };
    }
    if (type instanceof MapType mt) {
      Put key = put(mt.key());
      Put val = put(mt.value());
      return (v, i, value) -> {
        MapVector m = (MapVector) v;
        Map<?, ?> map = (Map<?, ?>) value;
        StructVector entries = (StructVector) m.getDataVector();
        FieldVector keys = entries.getChildrenFromFields().get(0);
        FieldVector values = entries.getChildrenFromFields().get(1);
        int at = m.startNewValue(i);
        for (Map.Entry<?, ?> e : map.entrySet()) {
          entries.setIndexDefined(at);
          put(key, keys, at, e.getKey());
          put(val, values, at, e.getValue());
          at++;
        }
        m.endValue(i, map.size());
      };
    }
    if (type instanceof ListType lt) {
      Put element = put(lt.element());
      return (v, i, value) -> {
        ListVector l = (ListVector) v;
        List<?> list = (List<?>) value;
        FieldVector data = l.getDataVector();
        int at = l.startNewValue(i);
        for (Object e : list) {
          put(element, data, at++, e);
        }
        l.endValue(i, list.size());
      };
    }
    if (type instanceof DecimalType d) {
      return (v, i, value) ->
          ((DecimalVector) v)
              .setSafe(i, ((BigDecimal) value).setScale(d.scale(), RoundingMode.UNNECESSARY));
    }
    return switch ((PrimitiveType) type) {
      case BOOLEAN -> (v, i, value) -> ((BitVector) v).setSafe(i, (Boolean) value ? 1 : 0);
      case INT -> (v, i, value) -> ((IntVector) v).setSafe(i, ((Number) value).intValue());
      case LONG -> (v, i, value) -> ((BigIntVector) v).setSafe(i, ((Number) value).longValue());
      case FLOAT -> (v, i, value) -> ((Float4Vector) v).setSafe(i, ((Number) value).floatValue());
      case DOUBLE -> (v, i, value) -> ((Float8Vector) v).setSafe(i, ((Number) value).doubleValue());
      case STRING ->
          (v, i, value) ->
              ((VarCharVector) v).setSafe(i, value.toString().getBytes(StandardCharsets.UTF_8));
      case BINARY -> (v, i, value) -> ((VarBinaryVector) v).setSafe(i, bytes(value));
      case UUID ->
          (v, i, value) -> {
            UUID u = (UUID) value;
            byte[] b =
                ByteBuffer.allocate(16)
                    .putLong(u.getMostSignificantBits())
                    .putLong(u.getLeastSignificantBits())
                    .array();
            ((FixedSizeBinaryVector) v).setSafe(i, b);
          };
      case DATE ->
          (v, i, value) -> ((DateDayVector) v).setSafe(i, (int) ((LocalDate) value).toEpochDay());
      case TIME ->
          (v, i, value) ->
              ((TimeMicroVector) v).setSafe(i, ((LocalTime) value).toNanoOfDay() / 1_000);
      case TIMESTAMP ->
          (v, i, value) ->
              ((TimeStampMicroVector) v)
                  .setSafe(i, micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
      case TIMESTAMP_TZ ->
          (v, i, value) ->
              ((TimeStampMicroTZVector) v)
                  .setSafe(
                      i,
                      micros(value instanceof OffsetDateTime o ? o.toInstant() : (Instant) value));
    };
  }

  private static void put(Put put, FieldVector vector, int index, Object value) {
    if (value == null) {
      vector.setNull(index);
    } else {
      put.set(vector, index, value);
    }
  }

  private static long micros(Instant i) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, i);
  }

  private static byte[] bytes(Object value) {
    if (value instanceof byte[] b) {
      return b;
    }
    ByteBuffer b = ((ByteBuffer) value).duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** Fills batches from rows; owns the allocator and the batches it made. */
  private static final class Filler implements AutoCloseable {
    private final Schema schema;
    private final Put[] puts;
    private final BufferAllocator allocator = new RootAllocator();
    private final List<VectorSchemaRoot> made = new ArrayList<>();

    Filler(StructType struct) {
      this.schema = schema(struct);
      this.puts = struct.fields().stream().map(f -> put(f.type())).toArray(Put[]::new);
    }

    VectorSchemaRoot start() {
      VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
      made.add(root);
      for (FieldVector v : root.getFieldVectors()) {
        v.setInitialCapacity(BATCH_ROWS);
      }
      root.allocateNew();
      return root;
    }

    /** A new batch holding a copy of {@code batch}'s columns. */
    VectorSchemaRoot copy(ColumnBatch batch) {
      VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
      made.add(root);
      int rows = batch.rows();
      List<FieldVector> vectors = root.getFieldVectors();
      for (int c = 0; c < vectors.size(); c++) {
        copy(batch.column(c), vectors.get(c), rows);
      }
      root.setRowCount(rows);
      return root;
    }

    private static void copy(ColumnBatch.Column column, FieldVector vector, int rows) {
      int validityBytes = (rows + 7) >>> 3;
      if (vector instanceof BaseVariableWidthVector v) {
        v.allocateNew(Math.max(1, column.dataLength()), rows);
        v.getOffsetBuffer().setBytes(0, column.offsets(), 0, (rows + 1) * 4L);
        v.getDataBuffer().setBytes(0, column.data(), 0, column.dataLength());
        v.setLastSet(rows - 1);
      } else {
        BaseFixedWidthVector v = (BaseFixedWidthVector) vector;
        v.allocateNew(rows);
        v.getDataBuffer().setBytes(0, column.data(), 0, column.dataLength());
      }
      if (column.hasNulls()) {
        vector.getValidityBuffer().setBytes(0, column.validity(), 0, validityBytes);
      } else {
        vector.getValidityBuffer().setOne(0L, (long) validityBytes);
      }
      vector.setValueCount(rows);
    }

    void add(VectorSchemaRoot root, int index, Object[] row) {
      List<FieldVector> vectors = root.getFieldVectors();
      for (int c = 0; c < puts.length; c++) {
        put(puts[c], vectors.get(c), index, row[c]);
      }
    }

    @Override
    public void close() {
      made.forEach(VectorSchemaRoot::close);
      made.clear();
      allocator.close();
    }
  }

  private static <T> Stream<T> stream(Iterator<T> it, Runnable onClose) {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(onClose);
  }

  /** Closes {@code first}, then {@code then}, even when the first fails. */
  private static void closeBoth(AutoCloseable first, AutoCloseable then) {
    try (then) {
      first.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class BatchInput implements InputPort<VectorSchemaRoot> {
    private final String name;
    private final String table;
    private final OptionalLong version;
    private final StructType struct;
    private final Source source;

    BatchInput(String name, String table, OptionalLong version, StructType struct, Source source) {
      this.name = name;
      this.table = table;
      this.version = version;
      this.struct = struct;
      this.source = source;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String table() {
      return table;
    }

    @Override
    public OptionalLong version() {
      return version;
    }

    @Override
    public Stream<VectorSchemaRoot> read() {
      return batches(null);
    }

    @Override
    public Stream<VectorSchemaRoot> read(Filter where) {
      java.util.Objects.requireNonNull(where, "where");
      return batches(where);
    }

    private Stream<VectorSchemaRoot> batches(Filter where) {
      if (where == null) {
        java.util.Optional<Stream<ColumnBatch>> columns = source.columns(BATCH_ROWS);
        if (columns.isPresent()) {
          Filler filler = new Filler(struct);
          Stream<ColumnBatch> decoded = columns.get();
          return decoded.map(filler::copy).onClose(() -> closeBoth(decoded, filler));
        }
      }
      Stream<Object[]> rows = source.read(values(struct), where);
      Filler filler = new Filler(struct);
      Iterator<Object[]> it = rows.iterator();
      Iterator<VectorSchemaRoot> batches =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public VectorSchemaRoot next() {
              if (!it.hasNext()) {
                throw new NoSuchElementException();
              }
              VectorSchemaRoot root = filler.start();
              int n = 0;
              while (n < BATCH_ROWS && it.hasNext()) {
                filler.add(root, n++, it.next());
              }
              root.setRowCount(n);
              return root;
            }
          };
      return stream(batches, () -> closeBoth(rows, filler));
    }

    @Override
    public Stream<Change<VectorSchemaRoot>> changes() {
      Stream<Change<Object[]>> changes = source.changes(values(struct));
      Filler filler = new Filler(struct);
      Iterator<Change<Object[]>> it = changes.iterator();
      Iterator<Change<VectorSchemaRoot>> batches =
          new Iterator<>() {
            private Change<Object[]> pending;

            @Override
            public boolean hasNext() {
              return pending != null || it.hasNext();
            }

            @Override
            public Change<VectorSchemaRoot> next() {
              if (!hasNext()) {
                throw new NoSuchElementException();
              }
              Change<Object[]> first = pending != null ? pending : it.next();
              pending = null;
              VectorSchemaRoot root = filler.start();
              filler.add(root, 0, first.row());
              int n = 1;
              // A batch holds changes of one kind and version, in order.
              while (n < BATCH_ROWS && it.hasNext()) {
                Change<Object[]> c = it.next();
                if (c.kind() != first.kind() || c.version() != first.version()) {
                  pending = c;
                  break;
                }
                filler.add(root, n++, c.row());
              }
              root.setRowCount(n);
              return new Change<>(first.kind(), root, first.version());
            }
          };
      return stream(batches, () -> closeBoth(changes, filler));
    }
  }
}
