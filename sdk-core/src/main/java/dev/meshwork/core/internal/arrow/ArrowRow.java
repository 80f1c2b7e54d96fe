package dev.meshwork.core.internal.arrow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;

/**
 * One row of an Arrow batch as the write path sees it: the live cursor reads the batch's vectors at
 * its current index without copying; {@link #retain()} copies the row out for writers that hold
 * rows beyond the batch.
 */
public abstract class ArrowRow {
  /** Holds the UTF-8 bytes of the last string asked for by {@link #utf8}. */
  byte[] scratch = new byte[64];

  /** Puts string column {@code c}'s UTF-8 bytes in {@link #scratch}; returns their number. */
  abstract int utf8(int c);

  /** Date column {@code c} as epoch days, or timestamp column {@code c} as epoch microseconds. */
  abstract long epochValue(int c);

  final byte[] room(int length) {
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, scratch.length * 2)];
    }
    return scratch;
  }

  abstract long getLong(int c);

  abstract int getInt(int c);

  abstract double getDouble(int c);

  abstract float getFloat(int c);

  abstract boolean getBoolean(int c);

  /** Whether column {@code c} is null. */
  abstract boolean isNull(int c);

  /** Column {@code c} as its canonical Java value (String, LocalDate, Instant, …), or null. */
  abstract Object getObject(int c);

  /** A copy that stays valid after the batch changes. */
  abstract ArrowRow retain();

  /**
   * The cursor over a bound batch: column {@code c} is the contract's field {@code c}. Binding
   * copies each vector's buffers to the heap once per batch, so reading a value is an array read,
   * without Arrow's per-call bounds and reference-count checks (a fifth of the write path's time
   * before).
   */
  static final class Cursor extends ArrowRow {
    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLES =
        MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOATS =
        MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private final ArrowColumn[] kinds;
    private FieldVector[] vectors;
    private final byte[][] data;
    private final byte[][] offsets;
    private final byte[][] validityStore;

    /** Per column, the validity bits of the batch, or null when the column has no nulls in it. */
    private final byte[][] validity;

    int index;

    Cursor(ArrowColumn[] kinds) {
      this.kinds = kinds;
      int n = kinds.length;
      this.data = new byte[n][0];
      this.offsets = new byte[n][0];
      this.validityStore = new byte[n][0];
      this.validity = new byte[n][];
    }

    /** Binds the vectors of a batch of {@code n} rows (each vector holds at least n values). */
    void bind(FieldVector[] inContractOrder, int n) {
      this.vectors = inContractOrder;
      for (int c = 0; c < kinds.length; c++) {
        FieldVector v = inContractOrder[c];
        if (n == 0 || v.getNullCount() == 0) {
          validity[c] = null;
        } else {
          validityStore[c] = copy(validityStore[c], v.getValidityBuffer(), 0, (n + 7) / 8);
          validity[c] = validityStore[c];
        }
        if (n == 0) {
          continue;
        }
        switch (kinds[c]) {
          case LONG, DOUBLE, TIMESTAMP, TIMESTAMP_TZ ->
              data[c] = copy(data[c], v.getDataBuffer(), 0, n * 8L);
          case INT, FLOAT, DATE -> data[c] = copy(data[c], v.getDataBuffer(), 0, n * 4L);
          case BOOLEAN -> data[c] = copy(data[c], v.getDataBuffer(), 0, (n + 7) / 8);
          case STRING -> {
            offsets[c] = copy(offsets[c], v.getOffsetBuffer(), 0, (n + 1) * 4L);
            int end = n == 0 ? 0 : (int) INTS.get(offsets[c], n * 4);
            data[c] = copy(data[c], v.getDataBuffer(), 0, end);
          }
          case DECIMAL -> {
            // Read through the vector: rare, and its values are objects anyway.
          }
        }
      }
    }

    private static byte[] copy(byte[] into, ArrowBuf from, long start, long length) {
      if (length > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "an Arrow buffer of " + length + " bytes is too large for one batch; split the batch");
      }
      int n = (int) length;
      byte[] out =
          into.length >= n ? into : new byte[Math.max(n, into.length + (into.length >> 1))];
      from.getBytes(start, out, 0, n);
      return out;
    }

    @Override
    long getLong(int c) {
      return (long) LONGS.get(data[c], index << 3);
    }

    @Override
    int getInt(int c) {
      return (int) INTS.get(data[c], index << 2);
    }

    @Override
    double getDouble(int c) {
      return (double) DOUBLES.get(data[c], index << 3);
    }

    @Override
    float getFloat(int c) {
      return (float) FLOATS.get(data[c], index << 2);
    }

    @Override
    boolean getBoolean(int c) {
      return (data[c][index >> 3] >> (index & 7) & 1) != 0;
    }

    @Override
    boolean isNull(int c) {
      byte[] bits = validity[c];
      return bits != null && (bits[index >> 3] >> (index & 7) & 1) == 0;
    }

    @Override
    Object getObject(int c) {
      if (isNull(c)) {
        return null;
      }
      return switch (kinds[c]) {
        case LONG -> getLong(c);
        case INT -> getInt(c);
        case DOUBLE -> getDouble(c);
        case FLOAT -> getFloat(c);
        case BOOLEAN -> getBoolean(c);
        case STRING -> new String(scratch, 0, utf8(c), StandardCharsets.UTF_8);
        case DATE -> LocalDate.ofEpochDay(epochValue(c));
        case TIMESTAMP -> {
          long micros = epochValue(c);
          yield LocalDateTime.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L),
              (int) Math.floorMod(micros, 1_000_000L) * 1_000,
              ZoneOffset.UTC);
        }
        case TIMESTAMP_TZ -> {
          long micros = epochValue(c);
          yield Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
        }
        case DECIMAL -> ((DecimalVector) vectors[c]).getObject(index);
      };
    }

    @Override
    int utf8(int c) {
      byte[] o = offsets[c];
      int start = (int) INTS.get(o, index << 2);
      int length = (int) INTS.get(o, (index + 1) << 2) - start;
      System.arraycopy(data[c], start, room(length), 0, length);
      return length;
    }

    @Override
    long epochValue(int c) {
      return switch (kinds[c]) {
        case DATE -> (int) INTS.get(data[c], index << 2);
        case TIMESTAMP, TIMESTAMP_TZ -> (long) LONGS.get(data[c], index << 3);
        default -> throw new IllegalStateException("column " + c + " is not a date or timestamp");
      };
    }

    @Override
    ArrowRow retain() {
      Object[] values = new Object[kinds.length];
      for (int c = 0; c < values.length; c++) {
        values[c] = getObject(c);
      }
      return new Copy(values);
    }
  }

  /** A row copied out of its batch. */
  static final class Copy extends ArrowRow {
    private final Object[] values;

    Copy(Object[] values) {
      this.values = values;
    }

    @Override
    long getLong(int c) {
      return (Long) values[c];
    }

    @Override
    int getInt(int c) {
      return (Integer) values[c];
    }

    @Override
    double getDouble(int c) {
      return (Double) values[c];
    }

    @Override
    float getFloat(int c) {
      return (Float) values[c];
    }

    @Override
    boolean getBoolean(int c) {
      return (Boolean) values[c];
    }

    @Override
    boolean isNull(int c) {
      return values[c] == null;
    }

    @Override
    Object getObject(int c) {
      return values[c];
    }

    @Override
    ArrowRow retain() {
      return this;
    }

    @Override
    int utf8(int c) {
      byte[] bytes = ((String) values[c]).getBytes(StandardCharsets.UTF_8);
      System.arraycopy(bytes, 0, room(bytes.length), 0, bytes.length);
      return bytes.length;
    }

    @Override
    long epochValue(int c) {
      Object v = values[c];
      if (v instanceof LocalDate d) {
        return d.toEpochDay();
      }
      Instant at = v instanceof LocalDateTime t ? t.toInstant(ZoneOffset.UTC) : (Instant) v;
      return Math.addExact(
          Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }
  }
}
