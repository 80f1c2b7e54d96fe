package dev.meshwork.core.internal.arrow;

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

  /**
   * Makes string column {@code c}'s UTF-8 bytes available in {@link #utf8Buffer} at {@link
   * #utf8Offset}; returns their number.
   */
  abstract int utf8(int c);

  /** The array holding the bytes of the last {@link #utf8} call on column {@code c}. */
  byte[] utf8Buffer(int c) {
    return scratch;
  }

  /** Where the bytes of the last {@link #utf8} call start. */
  int utf8Offset() {
    return 0;
  }

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
  static final class Cursor extends ArrowRow implements dev.meshwork.spi.write.RowBatch<ArrowRow> {
    private final ArrowColumn[] kinds;
    private FieldVector[] vectors;
    // Per column, the batch's values as Java arrays (by kind: longs, ints, doubles, floats, bytes
    // of booleans' bits or of strings, with strings' offsets).
    private final long[][] longs;
    private final int[][] ints;
    private final double[][] doubles;
    private final float[][] floats;
    private final byte[][] bytes;
    private final int[][] offsets;
    private final byte[][] validityStore;

    /** Per column, the validity bits of the batch, or null when the column has no nulls in it. */
    private final byte[][] validity;

    int index;
    private int size;
    private int utf8Offset;

    Cursor(ArrowColumn[] kinds) {
      this.kinds = kinds;
      int n = kinds.length;
      this.longs = new long[n][0];
      this.ints = new int[n][0];
      this.doubles = new double[n][0];
      this.floats = new float[n][0];
      this.bytes = new byte[n][0];
      this.offsets = new int[n][0];
      this.validityStore = new byte[n][0];
      this.validity = new byte[n][];
    }

    /** Binds the vectors of a batch of {@code n} rows (each vector holds at least n values). */
    void bind(FieldVector[] inContractOrder, int n) {
      this.vectors = inContractOrder;
      this.size = n;
      for (int c = 0; c < kinds.length; c++) {
        FieldVector v = inContractOrder[c];
        if (n == 0 || v.getNullCount() == 0) {
          validity[c] = null;
        } else {
          validityStore[c] = bytes(validityStore[c], v.getValidityBuffer(), (n + 7) / 8);
          validity[c] = validityStore[c];
        }
        if (n == 0) {
          continue;
        }
        switch (kinds[c]) {
          case LONG, TIMESTAMP, TIMESTAMP_TZ -> {
            if (longs[c].length < n) {
              longs[c] = new long[grown(longs[c].length, n)];
            }
            view(v.getDataBuffer(), n * 8L).asLongBuffer().get(longs[c], 0, n);
          }
          case INT, DATE -> {
            if (ints[c].length < n) {
              ints[c] = new int[grown(ints[c].length, n)];
            }
            view(v.getDataBuffer(), n * 4L).asIntBuffer().get(ints[c], 0, n);
          }
          case DOUBLE -> {
            if (doubles[c].length < n) {
              doubles[c] = new double[grown(doubles[c].length, n)];
            }
            view(v.getDataBuffer(), n * 8L).asDoubleBuffer().get(doubles[c], 0, n);
          }
          case FLOAT -> {
            if (floats[c].length < n) {
              floats[c] = new float[grown(floats[c].length, n)];
            }
            view(v.getDataBuffer(), n * 4L).asFloatBuffer().get(floats[c], 0, n);
          }
          case BOOLEAN -> bytes[c] = bytes(bytes[c], v.getDataBuffer(), (n + 7) / 8);
          case STRING -> {
            if (offsets[c].length < n + 1) {
              offsets[c] = new int[grown(offsets[c].length, n + 1)];
            }
            view(v.getOffsetBuffer(), (n + 1) * 4L).asIntBuffer().get(offsets[c], 0, n + 1);
            bytes[c] = bytes(bytes[c], v.getDataBuffer(), offsets[c][n]);
          }
          case DECIMAL -> {
            // Read through the vector: rare, and its values are objects anyway.
          }
        }
      }
    }

    private static int grown(int length, int needed) {
      return Math.max(needed, length + (length >> 1));
    }

    /** The first {@code length} bytes of {@code buf} as a little-endian buffer (no copy). */
    private static java.nio.ByteBuffer view(ArrowBuf buf, long length) {
      return buf.nioBuffer(0, checked(length)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] bytes(byte[] into, ArrowBuf from, long length) {
      int n = checked(length);
      byte[] out = into.length >= n ? into : new byte[grown(into.length, n)];
      from.getBytes(0, out, 0, n);
      return out;
    }

    private static int checked(long length) {
      if (length > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "an Arrow buffer of " + length + " bytes is too large for one batch; split the batch");
      }
      return (int) length;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public ArrowRow at(int row) {
      index = row;
      return this;
    }

    /** Column {@code c}'s values, by row, for a column held as longs (numbers, timestamps). */
    long[] longs(int c) {
      return kinds[c] == ArrowColumn.LONG
              || kinds[c] == ArrowColumn.TIMESTAMP
              || kinds[c] == ArrowColumn.TIMESTAMP_TZ
          ? longs[c]
          : null;
    }

    /** Column {@code c}'s values, by row, for a column held as ints (numbers, dates). */
    int[] ints(int c) {
      return kinds[c] == ArrowColumn.INT || kinds[c] == ArrowColumn.DATE ? ints[c] : null;
    }

    /** Column {@code c}'s values, by row, for a DOUBLE column. */
    double[] doubles(int c) {
      return kinds[c] == ArrowColumn.DOUBLE ? doubles[c] : null;
    }

    /** Column {@code c}'s values, by row, for a FLOAT column. */
    float[] floats(int c) {
      return kinds[c] == ArrowColumn.FLOAT ? floats[c] : null;
    }

    @Override
    long getLong(int c) {
      return longs[c][index];
    }

    @Override
    int getInt(int c) {
      return ints[c][index];
    }

    @Override
    double getDouble(int c) {
      return doubles[c][index];
    }

    @Override
    float getFloat(int c) {
      return floats[c][index];
    }

    @Override
    boolean getBoolean(int c) {
      return (bytes[c][index >> 3] >> (index & 7) & 1) != 0;
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
        case STRING -> {
          int length = utf8(c);
          yield new String(bytes[c], utf8Offset, length, StandardCharsets.UTF_8);
        }
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

    // Strings are read in place from the batch's copy of the vector's bytes.
    @Override
    int utf8(int c) {
      int[] o = offsets[c];
      utf8Offset = o[index];
      return o[index + 1] - utf8Offset;
    }

    @Override
    byte[] utf8Buffer(int c) {
      return bytes[c];
    }

    @Override
    int utf8Offset() {
      return utf8Offset;
    }

    @Override
    long epochValue(int c) {
      return switch (kinds[c]) {
        case DATE -> ints[c][index];
        case TIMESTAMP, TIMESTAMP_TZ -> longs[c][index];
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
