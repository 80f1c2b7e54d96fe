package dev.meshwork.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Rows of flat columns in Arrow's memory layout, as a store decodes them for a columnar read
 * ({@link ColumnarReads}): per column a validity bitmap (only once a null is seen), and either
 * fixed-width little-endian values, bits (booleans), or int offsets and bytes (strings, binary). A
 * store refills one batch again and again: it is valid until the next one.
 */
public final class ColumnBatch {
  /** A column's value width for {@link #ColumnBatch}: booleans as bits. */
  public static final int BITS = -1;

  /** A column's value width for {@link #ColumnBatch}: strings and binary, offsets and bytes. */
  public static final int VARIABLE = 0;

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final Column[] columns;

  /**
   * A batch of columns whose values are {@code widths[i]} bytes wide (8, 4 or 16), {@link #BITS} or
   * {@link #VARIABLE}.
   */
  public ColumnBatch(int[] widths) {
    this.columns = new Column[widths.length];
    for (int i = 0; i < widths.length; i++) {
      columns[i] = new Column(widths[i]);
    }
  }

  /** The number of columns. */
  public int columns() {
    return columns.length;
  }

  /** Column {@code i}. */
  public Column column(int i) {
    return columns[i];
  }

  /** The number of rows (every column holds as many values). */
  public int rows() {
    return columns.length == 0 ? 0 : columns[0].count;
  }

  /** Empties every column for the next batch. */
  public void clear() {
    for (Column c : columns) {
      c.clear();
    }
  }

  /** One column of a batch; a store appends its values row by row or in runs. */
  public static final class Column {
    private final int width;
    private int count;
    private byte[] validity;
    private byte[] data = new byte[64];
    private int length;
    private byte[] offsets;

    Column(int width) {
      this.width = width;
      this.offsets = width == VARIABLE ? new byte[64] : null;
    }

    void clear() {
      count = 0;
      length = 0;
      validity = null;
    }

    /** The value width: bytes, {@link #BITS} or {@link #VARIABLE}. */
    public int width() {
      return width;
    }

    /** The number of values, nulls included. */
    public int count() {
      return count;
    }

    /** Whether a value is null. */
    public boolean hasNulls() {
      return validity != null;
    }

    /** The validity bits (1: a value), or null when every value is present. */
    public byte[] validity() {
      return validity;
    }

    /** The values (fixed width or bits) or the bytes of variable-width values. */
    public byte[] data() {
      return data;
    }

    /** How many bytes of {@link #data()} hold values. */
    public int dataLength() {
      return width == BITS ? (count + 7) >>> 3 : length;
    }

    /** The {@code count + 1} little-endian int offsets of variable-width values into the data. */
    public byte[] offsets() {
      if (width == VARIABLE) {
        offsets = ensure(offsets, (count + 1) * 4);
        INT.set(offsets, count * 4, length);
      }
      return offsets;
    }

    /** A null. */
    public void appendNull() {
      if (validity == null) {
        validity = new byte[Math.max(64, (count >>> 3) + 16)];
        Arrays.fill(validity, 0, count >>> 3, (byte) -1);
        for (int i = count & ~7; i < count; i++) {
          validity[i >>> 3] |= (byte) (1 << (i & 7));
        }
      }
      ensureValidity();
      switch (width) {
        case VARIABLE -> offset();
        case BITS -> data = ensure(data, (count >>> 3) + 1);
        default -> {
          data = ensure(data, length + width);
          length += width;
        }
      }
      count++;
    }

    /** An 8-byte value (a long, epoch microseconds). */
    public void appendLong(long v) {
      data = ensure(data, length + 8);
      LONG.set(data, length, v);
      length += 8;
      present();
    }

    /** A 4-byte value (an int, epoch days). */
    public void appendInt(int v) {
      data = ensure(data, length + 4);
      INT.set(data, length, v);
      length += 4;
      present();
    }

    /** A double. */
    public void appendDouble(double v) {
      appendLong(Double.doubleToRawLongBits(v));
    }

    /** A float. */
    public void appendFloat(float v) {
      appendInt(Float.floatToRawIntBits(v));
    }

    /** A boolean, as a bit. */
    public void appendBoolean(boolean v) {
      data = ensure(data, (count >>> 3) + 1);
      int bit = 1 << (count & 7);
      if (v) {
        data[count >>> 3] |= (byte) bit;
      } else {
        data[count >>> 3] &= (byte) ~bit;
      }
      present();
    }

    /**
     * {@code n} bytes of {@code src} at {@code at}: one variable-width value, or one fixed-width
     * value of {@code n == width} bytes.
     */
    public void appendBytes(byte[] src, int at, int n) {
      if (width == VARIABLE) {
        offset();
      }
      data = ensure(data, length + n);
      System.arraycopy(src, at, data, length, n);
      length += n;
      present();
    }

    /** {@code n} present fixed-width values, packed in {@code src} at {@code at}. */
    public void appendFixed(byte[] src, int at, int n) {
      int bytes = n * width;
      data = ensure(data, length + bytes);
      System.arraycopy(src, at, data, length, bytes);
      length += bytes;
      if (validity != null) {
        for (int i = 0; i < n; i++) {
          present();
        }
      } else {
        count += n;
      }
    }

    private void offset() {
      offsets = ensure(offsets, (count + 2) * 4);
      INT.set(offsets, count * 4, length);
    }

    private void present() {
      if (validity != null) {
        ensureValidity();
        validity[count >>> 3] |= (byte) (1 << (count & 7));
      }
      count++;
    }

    private void ensureValidity() {
      validity = ensure(validity, (count >>> 3) + 1);
      if ((count & 7) == 0) {
        validity[count >>> 3] = 0;
      }
    }

    private static byte[] ensure(byte[] a, int size) {
      return size <= a.length ? a : Arrays.copyOf(a, Math.max(size, a.length * 2));
    }
  }
}
