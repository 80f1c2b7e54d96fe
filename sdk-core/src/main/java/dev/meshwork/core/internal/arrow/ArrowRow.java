package dev.meshwork.core.internal.arrow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;

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

  /** The cursor over a bound batch: column {@code c} is the contract's field {@code c}. */
  static final class Cursor extends ArrowRow {
    private final ArrowColumn[] kinds;
    private FieldVector[] vectors;
    int index;

    Cursor(ArrowColumn[] kinds) {
      this.kinds = kinds;
    }

    void bind(FieldVector[] inContractOrder) {
      this.vectors = inContractOrder;
    }

    @Override
    long getLong(int c) {
      return ((BigIntVector) vectors[c]).get(index);
    }

    @Override
    int getInt(int c) {
      return ((IntVector) vectors[c]).get(index);
    }

    @Override
    double getDouble(int c) {
      return ((Float8Vector) vectors[c]).get(index);
    }

    @Override
    float getFloat(int c) {
      return ((Float4Vector) vectors[c]).get(index);
    }

    @Override
    boolean getBoolean(int c) {
      return ((BitVector) vectors[c]).get(index) != 0;
    }

    @Override
    boolean isNull(int c) {
      return vectors[c].isNull(index);
    }

    @Override
    Object getObject(int c) {
      FieldVector v = vectors[c];
      if (v.isNull(index)) {
        return null;
      }
      return switch (kinds[c]) {
        case LONG -> ((BigIntVector) v).get(index);
        case INT -> ((IntVector) v).get(index);
        case DOUBLE -> ((Float8Vector) v).get(index);
        case FLOAT -> ((Float4Vector) v).get(index);
        case BOOLEAN -> ((BitVector) v).get(index) != 0;
        case STRING -> string((VarCharVector) v);
        case DATE -> LocalDate.ofEpochDay(((DateDayVector) v).get(index));
        case TIMESTAMP -> {
          long micros = ((TimeStampMicroVector) v).get(index);
          yield LocalDateTime.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L),
              (int) Math.floorMod(micros, 1_000_000L) * 1_000,
              ZoneOffset.UTC);
        }
        case TIMESTAMP_TZ -> {
          long micros = ((TimeStampMicroTZVector) v).get(index);
          yield Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
        }
        case DECIMAL -> ((DecimalVector) v).getObject(index);
      };
    }

    // One copy, straight from the Arrow buffer into the String.
    private String string(VarCharVector v) {
      int length = copyUtf8(v);
      return new String(scratch, 0, length, StandardCharsets.UTF_8);
    }

    private int copyUtf8(VarCharVector v) {
      int start = v.getStartOffset(index);
      int length = v.getEndOffset(index) - start;
      ArrowBuf data = v.getDataBuffer();
      data.getBytes(start, room(length), 0, length);
      return length;
    }

    @Override
    int utf8(int c) {
      return copyUtf8((VarCharVector) vectors[c]);
    }

    @Override
    long epochValue(int c) {
      FieldVector v = vectors[c];
      return switch (kinds[c]) {
        case DATE -> ((DateDayVector) v).get(index);
        case TIMESTAMP -> ((TimeStampMicroVector) v).get(index);
        case TIMESTAMP_TZ -> ((TimeStampMicroTZVector) v).get(index);
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
