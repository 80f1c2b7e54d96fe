package dev.meshwork.iceberg.internal.parquet;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.DecimalType;
import dev.meshwork.core.schema.PrimitiveType;
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
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.DoubleFieldMetrics;
import org.apache.iceberg.FieldMetrics;
import org.apache.iceberg.FloatFieldMetrics;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Leaf columns per schema type. Each has a typed fast method ({@code writeLong} …) used by record
 * accessors and an object method used for boxed, nested and untyped values. Float and double
 * columns count NaNs, as Iceberg's own writers do, so file metrics match Iceberg's.
 */
final class ScalarColumns {
  private ScalarColumns() {}

  static Column forType(DataType type, ColumnDescriptor desc, int fieldId, String path) {
    if (type instanceof DecimalType d) {
      return new DecimalColumn(desc, d, path);
    }
    return switch ((PrimitiveType) type) {
      case BOOLEAN -> new BooleanColumn(desc);
      case INT -> new IntColumn(desc);
      case LONG -> new LongColumn(desc);
      case FLOAT -> new FloatColumn(desc, fieldId);
      case DOUBLE -> new DoubleColumn(desc, fieldId);
      case STRING -> new StringColumn(desc);
      case BINARY -> new BinaryColumn(desc);
      case UUID -> new UuidColumn(desc);
      case DATE -> new DateColumn(desc);
      case TIME -> new TimeColumn(desc);
      case TIMESTAMP -> new TimestampColumn(desc);
      case TIMESTAMP_TZ -> new TimestampTzColumn(desc);
    };
  }

  static final class BooleanColumn extends Column {
    BooleanColumn(ColumnDescriptor d) {
      super(d);
    }

    void writeBoolean(int rl, boolean v) {
      putBoolean(rl, v);
    }

    @Override
    public void write(int rl, Object v) {
      putBoolean(rl, (Boolean) v);
    }
  }

  static final class IntColumn extends Column {
    IntColumn(ColumnDescriptor d) {
      super(d);
    }

    void writeInt(int rl, int v) {
      putInt(rl, v);
    }

    @Override
    public void write(int rl, Object v) {
      putInt(rl, ((Number) v).intValue());
    }
  }

  static final class LongColumn extends Column {
    LongColumn(ColumnDescriptor d) {
      super(d);
    }

    void writeLong(int rl, long v) {
      putLong(rl, v);
    }

    @Override
    public void write(int rl, Object v) {
      putLong(rl, ((Number) v).longValue());
    }
  }

  static final class FloatColumn extends Column {
    private final FloatFieldMetrics.Builder metrics;

    FloatColumn(ColumnDescriptor d, int fieldId) {
      super(d);
      this.metrics = new FloatFieldMetrics.Builder(fieldId);
    }

    void writeFloat(int rl, float v) {
      putFloat(rl, v);
      metrics.addValue(v);
    }

    /** Writes the top-level non-null values {@code a[from, to)}. */
    void writeFloats(float[] a, int from, int to) {
      putFloats(a, from, to);
      for (int i = from; i < to; i++) {
        metrics.addValue(a[i]);
      }
    }

    @Override
    public void write(int rl, Object v) {
      writeFloat(rl, ((Number) v).floatValue());
    }

    @Override
    public Stream<FieldMetrics<?>> metrics() {
      return Stream.of(metrics.build());
    }
  }

  static final class DoubleColumn extends Column {
    private final DoubleFieldMetrics.Builder metrics;

    DoubleColumn(ColumnDescriptor d, int fieldId) {
      super(d);
      this.metrics = new DoubleFieldMetrics.Builder(fieldId);
    }

    void writeDouble(int rl, double v) {
      putDouble(rl, v);
      metrics.addValue(v);
    }

    /** Writes the top-level non-null values {@code a[from, to)}. */
    void writeDoubles(double[] a, int from, int to) {
      putDoubles(a, from, to);
      for (int i = from; i < to; i++) {
        metrics.addValue(a[i]);
      }
    }

    @Override
    public void write(int rl, Object v) {
      writeDouble(rl, ((Number) v).doubleValue());
    }

    @Override
    public Stream<FieldMetrics<?>> metrics() {
      return Stream.of(metrics.build());
    }
  }

  /**
   * Strings without per-value copies: repeated values (enums, categories, any column with few
   * distinct strings) are encoded once and kept; others are encoded into a reused buffer, which
   * Parquet copies where it keeps a value (statistics, dictionary).
   */
  static final class StringColumn extends Column {
    /** Distinct strings kept before the column is treated as high-cardinality. */
    static final int CACHE_LIMIT = 1024;

    private final Utf8 utf8 = new Utf8();
    private java.util.HashMap<String, Constant> cache = new java.util.HashMap<>();

    StringColumn(ColumnDescriptor d) {
      super(d);
    }

    @Override
    public void write(int rl, Object v) {
      String s = v instanceof Enum<?> e ? e.name() : v.toString();
      if (cache != null) {
        Constant known = cache.get(s);
        if (known != null) {
          putConstant(rl, known);
          return;
        }
        if (cache.size() < CACHE_LIMIT) {
          Constant constant = new Constant(s.getBytes(StandardCharsets.UTF_8));
          cache.put(s, constant);
          putConstant(rl, constant);
          return;
        }
        cache = null;
      }
      int length = utf8.encode(s);
      putBytes(rl, utf8.buffer(), length);
    }

    /** Writes a string given as UTF-8 bytes in a buffer the caller reuses. */
    void writeUtf8(int rl, byte[] bytes, int offset, int length) {
      putBytes(rl, bytes, offset, length);
    }
  }

  static final class BinaryColumn extends Column {
    BinaryColumn(ColumnDescriptor d) {
      super(d);
    }

    @Override
    public void write(int rl, Object v) {
      Binary b =
          v instanceof byte[] bytes
              ? Binary.fromConstantByteArray(bytes)
              : Binary.fromConstantByteBuffer(((ByteBuffer) v).duplicate());
      putBinary(rl, b);
    }
  }

  /** UUIDs as 16 big-endian bytes, encoded into a buffer reused for every value. */
  static final class UuidColumn extends Column {
    private final ByteBuffer bytes = ByteBuffer.allocate(16);

    UuidColumn(ColumnDescriptor d) {
      super(d);
    }

    @Override
    public void write(int rl, Object v) {
      UUID u = (UUID) v;
      bytes.putLong(0, u.getMostSignificantBits()).putLong(8, u.getLeastSignificantBits());
      putBytes(rl, bytes.array(), 16);
    }
  }

  static final class DateColumn extends Column {
    DateColumn(ColumnDescriptor d) {
      super(d);
    }

    @Override
    public void write(int rl, Object v) {
      putInt(rl, Math.toIntExact(((LocalDate) v).toEpochDay()));
    }
  }

  static final class TimeColumn extends Column {
    TimeColumn(ColumnDescriptor d) {
      super(d);
    }

    @Override
    public void write(int rl, Object v) {
      putLong(rl, ((LocalTime) v).toNanoOfDay() / 1_000);
    }
  }

  static final class TimestampColumn extends Column {
    TimestampColumn(ColumnDescriptor d) {
      super(d);
    }

    @Override
    public void write(int rl, Object v) {
      LocalDateTime t = (LocalDateTime) v;
      putLong(rl, micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano()));
    }
  }

  static final class TimestampTzColumn extends Column {
    TimestampTzColumn(ColumnDescriptor d) {
      super(d);
    }

    @Override
    public void write(int rl, Object v) {
      Instant i = v instanceof OffsetDateTime o ? o.toInstant() : (Instant) v;
      putLong(rl, micros(i.getEpochSecond(), i.getNano()));
    }
  }

  static long micros(long epochSecond, int nano) {
    return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), nano / 1_000);
  }

  /**
   * Decimals as Iceberg lays them out: int32 up to 9 digits, int64 up to 18, fixed bytes beyond.
   */
  static final class DecimalColumn extends Column {
    private final DecimalType type;
    private final String path;
    private final PrimitiveTypeName physical;
    private final int length;

    DecimalColumn(ColumnDescriptor d, DecimalType type, String path) {
      super(d);
      this.type = type;
      this.path = path;
      this.physical = d.getPrimitiveType().getPrimitiveTypeName();
      this.length = d.getPrimitiveType().getTypeLength();
    }

    @Override
    public void write(int rl, Object v) {
      BigDecimal value = (BigDecimal) v;
      BigDecimal scaled;
      try {
        scaled = value.setScale(type.scale(), RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw new ContractViolationException(
            "Cannot write "
                + path
                + ": "
                + value.toPlainString()
                + " has more than "
                + type.scale()
                + " decimal places, the scale of "
                + type.display()
                + ". Round it before writing.");
      }
      if (scaled.precision() > type.precision()) {
        throw new ContractViolationException(
            "Cannot write "
                + path
                + ": "
                + value.toPlainString()
                + " does not fit "
                + type.display()
                + ".");
      }
      switch (physical) {
        case INT32 -> putInt(rl, scaled.unscaledValue().intValue());
        case INT64 -> putLong(rl, scaled.unscaledValue().longValue());
        default -> {
          byte[] unscaled = scaled.unscaledValue().toByteArray();
          byte[] fixed = new byte[length];
          byte pad = (byte) (scaled.signum() < 0 ? 0xFF : 0x00);
          int offset = length - unscaled.length;
          for (int i = 0; i < offset; i++) {
            fixed[i] = pad;
          }
          System.arraycopy(unscaled, 0, fixed, offset, unscaled.length);
          putBinary(rl, Binary.fromConstantByteArray(fixed));
        }
      }
    }
  }
}
