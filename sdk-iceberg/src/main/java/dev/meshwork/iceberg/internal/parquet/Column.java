package dev.meshwork.iceberg.internal.parquet;

import org.apache.iceberg.parquet.ColumnWriter;
import org.apache.iceberg.parquet.ParquetValueWriters;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.io.api.Binary;

/**
 * One Parquet leaf column. Extending Iceberg's primitive writer is the public way to reach its
 * {@link ColumnWriter}, whose typed methods write values without boxing. When the file is written
 * by Meshwork's {@link PageStore}, non-null values go straight to its column instead.
 */
abstract class Column extends ParquetValueWriters.PrimitiveWriter<Object> {
  protected final ColumnDescriptor descriptor;
  private FixedColumn fixed;
  private BinaryPageColumn binary;
  private BooleanPageColumn bool;

  Column(ColumnDescriptor descriptor) {
    super(descriptor);
    this.descriptor = descriptor;
  }

  @Override
  public void setColumnStore(ColumnWriteStore store) {
    super.setColumnStore(store);
    PageColumn page = store instanceof PageStore p ? p.column(descriptor) : null;
    fixed = page instanceof FixedColumn f ? f : null;
    binary = page instanceof BinaryPageColumn b ? b : null;
    bool = page instanceof BooleanPageColumn b ? b : null;
  }

  /** Writes a non-null value given as an object. */
  @Override
  public abstract void write(int repetitionLevel, Object value);

  /** Writes a null whose definition level is {@code dl}. */
  final void writeNullAt(int rl, int dl) {
    column.writeNull(rl, dl);
  }

  final void putLong(int rl, long v) {
    if (fixed != null) {
      fixed.writeLong(v);
    } else {
      column.writeLong(rl, v);
    }
  }

  final void putInt(int rl, int v) {
    if (fixed != null) {
      fixed.writeInt(v);
    } else {
      column.writeInteger(rl, v);
    }
  }

  final void putDouble(int rl, double v) {
    if (fixed != null) {
      fixed.writeDouble(v);
    } else {
      column.writeDouble(rl, v);
    }
  }

  final void putFloat(int rl, float v) {
    if (fixed != null) {
      fixed.writeFloat(v);
    } else {
      column.writeFloat(rl, v);
    }
  }

  // Runs of top-level (repetition level 0) non-null values, from a batch's array.

  final void putLongs(long[] a, int from, int to) {
    if (fixed != null) {
      fixed.writeLongs(a, from, to);
    } else {
      for (int i = from; i < to; i++) {
        column.writeLong(0, a[i]);
      }
    }
  }

  final void putInts(int[] a, int from, int to) {
    if (fixed != null) {
      fixed.writeInts(a, from, to);
    } else {
      for (int i = from; i < to; i++) {
        column.writeInteger(0, a[i]);
      }
    }
  }

  final void putDoubles(double[] a, int from, int to) {
    if (fixed != null) {
      fixed.writeDoubles(a, from, to);
    } else {
      for (int i = from; i < to; i++) {
        column.writeDouble(0, a[i]);
      }
    }
  }

  final void putFloats(float[] a, int from, int to) {
    if (fixed != null) {
      fixed.writeFloats(a, from, to);
    } else {
      for (int i = from; i < to; i++) {
        column.writeFloat(0, a[i]);
      }
    }
  }

  final void putBoolean(int rl, boolean v) {
    if (bool != null) {
      bool.writeBoolean(v);
    } else {
      column.writeBoolean(rl, v);
    }
  }

  final void putBinary(int rl, Binary v) {
    if (binary != null) {
      binary.write(v, rl, descriptor.getMaxDefinitionLevel());
    } else {
      column.writeBinary(rl, v);
    }
  }

  /** Writes a value that repeats: its bytes and dictionary id are looked up once per chunk. */
  final void putConstant(int rl, Constant v) {
    if (binary != null) {
      binary.writeConstant(v);
    } else {
      column.writeBinary(rl, v.binary);
    }
  }

  /** A value a column writes again and again (a category, an enum constant). */
  static final class Constant {
    final byte[] bytes;
    final Binary binary;
    BinaryPageColumn.Interned interned;

    Constant(byte[] bytes) {
      this.bytes = bytes;
      this.binary = Binary.fromConstantByteArray(bytes);
    }
  }

  /** Writes {@code bytes[0, length)}, which the caller may reuse afterwards. */
  final void putBytes(int rl, byte[] bytes, int length) {
    putBytes(rl, bytes, 0, length);
  }

  final void putBytes(int rl, byte[] bytes, int offset, int length) {
    if (binary != null) {
      binary.writeBytes(bytes, offset, length);
    } else {
      column.writeBinary(rl, Binary.fromReusedByteArray(bytes, offset, length));
    }
  }
}
