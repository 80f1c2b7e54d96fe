package dev.meshwork.iceberg.internal.parquet;

import dev.meshwork.core.StoreException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * One flat column of a row group, decoded page by page into Java values: the reverse of the write
 * path's page columns. Definition levels and dictionary ids are unpacked a page at a time, plain
 * values are read straight from the page's bytes, and a dictionary is turned into Java values once
 * per row group, so a repeated value is one object. Pages come decompressed from parquet-java.
 */
// PLAIN_DICTIONARY and BIT_PACKED are deprecated for writing; files written with them still exist.
@SuppressWarnings("deprecation")
final class ColumnDecoder {
  /** The encodings decoded here; a column chunk using any other is read another way. */
  static final Set<Encoding> ENCODINGS =
      EnumSet.of(
          Encoding.PLAIN,
          Encoding.PLAIN_DICTIONARY,
          Encoding.RLE_DICTIONARY,
          Encoding.RLE,
          Encoding.BIT_PACKED);

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** Turns physical values into a component's Java values; each maker knows its physical type. */
  interface Maker {
    /** An INT64 value. */
    default Object ofLong(long v) {
      throw new IllegalStateException("not an INT64 column");
    }

    /** An INT32 value. */
    default Object ofInt(int v) {
      throw new IllegalStateException("not an INT32 column");
    }

    /** A DOUBLE value. */
    default Object ofDouble(double v) {
      throw new IllegalStateException("not a DOUBLE column");
    }

    /** A FLOAT value. */
    default Object ofFloat(float v) {
      throw new IllegalStateException("not a FLOAT column");
    }

    /** A BOOLEAN value. */
    default Object ofBoolean(boolean v) {
      throw new IllegalStateException("not a BOOLEAN column");
    }

    /**
     * A BINARY or FIXED_LEN_BYTE_ARRAY value: {@code length} bytes of {@code bytes} at {@code at}.
     */
    default Object ofBytes(byte[] bytes, int at, int length) {
      throw new IllegalStateException("not a binary column");
    }
  }

  private final PageReader pages;
  private final int maxDef;
  private final int levelWidth;
  private final PrimitiveTypeName physical;
  private final int fixedLength;
  private final Maker maker;
  private final String what;
  private final Object[] dictionary;
  private Object[] booleans;
  private byte[] rawDictionary;
  private int[] rawStarts;

  private int left;
  private long row;
  private int[] levels = new int[0];
  private int level;
  private boolean lookedUp;
  private Object[] lookup;
  private int[] ids = new int[0];
  private int id;
  private byte[] data;
  private int pos;
  private int bit;

  ColumnDecoder(
      PageReader pages,
      int maxDef,
      PrimitiveTypeName physical,
      int fixedLength,
      Maker maker,
      String what) {
    this.pages = pages;
    this.maxDef = maxDef;
    this.levelWidth = 32 - Integer.numberOfLeadingZeros(maxDef);
    this.physical = physical;
    this.fixedLength = fixedLength;
    this.maker = maker;
    this.what = what;
    DictionaryPage d = pages.readDictionaryPage();
    if (maker == null) {
      // Filled into column batches: the dictionary stays as its bytes.
      this.dictionary = d == null ? null : new Object[0];
      if (d != null) {
        raw(d);
      }
    } else {
      this.dictionary = d == null ? null : dictionary(d);
    }
  }

  /** A dictionary kept as the page's bytes and where each entry starts in them. */
  private void raw(DictionaryPage page) {
    rawDictionary = bytes(page.getBytes());
    int n = page.getDictionarySize();
    rawStarts = new int[n];
    int at = 0;
    for (int i = 0; i < n; i++) {
      rawStarts[i] = at;
      at +=
          switch (physical) {
            case INT64, DOUBLE -> 8;
            case INT32, FLOAT -> 4;
            case BINARY -> 4 + (int) INT.get(rawDictionary, at);
            case FIXED_LEN_BYTE_ARRAY -> fixedLength;
            default -> throw unsupported(physical + " dictionaries");
          };
    }
  }

  /** How {@link #fill} stores a column's values. */
  enum Target {
    /** 8-byte values: INT64 as they are, INT32 widened. */
    LONG,
    /** 4-byte values from INT32. */
    INT,
    /** Doubles: DOUBLE as they are, FLOAT widened. */
    DOUBLE,
    /** Floats from FLOAT. */
    FLOAT,
    /** Bits from BOOLEAN. */
    BITS,
    /** Bytes as they are: BINARY (variable) or FIXED_LEN_BYTE_ARRAY (fixed). */
    BYTES
  }

  /**
   * Appends the next {@code n} rows' values to {@code out} in Arrow's layout, without making Java
   * values (the decoder was made without a maker).
   */
  void fill(dev.meshwork.spi.ColumnBatch.Column out, int n, Target target) {
    while (n > 0) {
      if (left == 0) {
        page();
      }
      int take = Math.min(n, left);
      if (maxDef == 0
          && !lookedUp
          && out.width() > 0
          && physical != PrimitiveTypeName.BINARY
          && same(target)) {
        // Present values of the width the batch keeps: one copy.
        int width = physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY ? fixedLength : width();
        out.appendFixed(data, pos, take);
        pos += take * width;
      } else {
        for (int k = 0; k < take; k++) {
          if (maxDef > 0 && levels[level++] < maxDef) {
            out.appendNull();
          } else if (lookedUp) {
            int at = ids[id++];
            if (lookup == booleans) {
              out.appendBoolean(at == 1);
            } else {
              append(out, target, rawDictionary, rawStarts[at]);
            }
          } else if (physical == PrimitiveTypeName.BOOLEAN) {
            out.appendBoolean((data[pos + (bit >>> 3)] & (1 << (bit & 7))) != 0);
            bit++;
          } else {
            pos = append(out, target, data, pos);
          }
        }
      }
      left -= take;
      row += take;
      n -= take;
    }
  }

  private boolean same(Target target) {
    return switch (physical) {
      case INT64 -> target == Target.LONG;
      case INT32 -> target == Target.INT;
      case DOUBLE -> target == Target.DOUBLE;
      case FLOAT -> target == Target.FLOAT;
      case FIXED_LEN_BYTE_ARRAY -> target == Target.BYTES;
      default -> false;
    };
  }

  private int width() {
    return physical == PrimitiveTypeName.INT64 || physical == PrimitiveTypeName.DOUBLE ? 8 : 4;
  }

  /** Appends the plain value at {@code at} of {@code bytes}; returns where the next one starts. */
  private int append(dev.meshwork.spi.ColumnBatch.Column out, Target target, byte[] bytes, int at) {
    switch (physical) {
      case INT64 -> {
        out.appendLong((long) LONG.get(bytes, at));
        return at + 8;
      }
      case INT32 -> {
        int v = (int) INT.get(bytes, at);
        if (target == Target.LONG) {
          out.appendLong(v);
        } else {
          out.appendInt(v);
        }
        return at + 4;
      }
      case DOUBLE -> {
        out.appendLong((long) LONG.get(bytes, at));
        return at + 8;
      }
      case FLOAT -> {
        int v = (int) INT.get(bytes, at);
        if (target == Target.DOUBLE) {
          out.appendDouble(Float.intBitsToFloat(v));
        } else {
          out.appendInt(v);
        }
        return at + 4;
      }
      case BINARY -> {
        int length = (int) INT.get(bytes, at);
        out.appendBytes(bytes, at + 4, length);
        return at + 4 + length;
      }
      case FIXED_LEN_BYTE_ARRAY -> {
        out.appendBytes(bytes, at, fixedLength);
        return at + fixedLength;
      }
      default -> throw unsupported(physical + " values");
    }
  }

  private Object[] dictionary(DictionaryPage page) {
    byte[] bytes = bytes(page.getBytes());
    Object[] values = new Object[page.getDictionarySize()];
    data = bytes;
    pos = 0;
    bit = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = plain();
    }
    data = null;
    return values;
  }

  private byte[] bytes(org.apache.parquet.bytes.BytesInput in) {
    try {
      // A page PageDecompressors made is a whole array: read it in place.
      java.nio.ByteBuffer b = PageDecompressors.heap(in);
      if (b.hasArray()
          && b.arrayOffset() == 0
          && b.position() == 0
          && b.remaining() == b.array().length) {
        return b.array();
      }
      byte[] copy = new byte[b.remaining()];
      b.duplicate().get(copy);
      return copy;
    } catch (java.io.IOException e) {
      throw new StoreException("Cannot read a page of " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Moves to row {@code target} of the row group (at or after the current one): pages a filter left
   * out are not there, the values of rows before it in its page are passed over.
   */
  void seek(long target) {
    while (left == 0 || target >= row + left) {
      page();
    }
    while (row < target) {
      skip();
    }
  }

  /** The next row's value, null for a null. */
  Object next() {
    if (left == 0) {
      page();
    }
    left--;
    row++;
    if (maxDef > 0 && levels[level++] < maxDef) {
      return null;
    }
    return lookedUp ? lookup[ids[id++]] : plain();
  }

  /** Passes over the next row's value without making it (a row a filter dropped). */
  void skip() {
    if (left == 0) {
      page();
    }
    left--;
    row++;
    if (maxDef > 0 && levels[level++] < maxDef) {
      return;
    }
    if (lookedUp) {
      id++;
      return;
    }
    switch (physical) {
      case INT64, DOUBLE -> pos += 8;
      case INT32, FLOAT -> pos += 4;
      case BOOLEAN -> bit++;
      case BINARY -> pos += 4 + (int) INT.get(data, pos);
      case FIXED_LEN_BYTE_ARRAY -> pos += fixedLength;
      default -> throw new StoreException("Cannot read " + what + ": " + physical + " values");
    }
  }

  private Object plain() {
    switch (physical) {
      case INT64 -> {
        long v = (long) LONG.get(data, pos);
        pos += 8;
        return maker.ofLong(v);
      }
      case INT32 -> {
        int v = (int) INT.get(data, pos);
        pos += 4;
        return maker.ofInt(v);
      }
      case DOUBLE -> {
        double v = Double.longBitsToDouble((long) LONG.get(data, pos));
        pos += 8;
        return maker.ofDouble(v);
      }
      case FLOAT -> {
        float v = Float.intBitsToFloat((int) INT.get(data, pos));
        pos += 4;
        return maker.ofFloat(v);
      }
      case BOOLEAN -> {
        boolean v = (data[pos + (bit >>> 3)] & (1 << (bit & 7))) != 0;
        bit++;
        return maker.ofBoolean(v);
      }
      case BINARY -> {
        int length = (int) INT.get(data, pos);
        Object v = maker.ofBytes(data, pos + 4, length);
        pos += 4 + length;
        return v;
      }
      case FIXED_LEN_BYTE_ARRAY -> {
        Object v = maker.ofBytes(data, pos, fixedLength);
        pos += fixedLength;
        return v;
      }
      default -> throw new StoreException("Cannot read " + what + ": " + physical + " values");
    }
  }

  private void page() {
    DataPage page = pages.readPage();
    if (page == null) {
      throw new StoreException("Cannot read " + what + ": the column chunk ends before its rows");
    }
    int n = page.getValueCount();
    // Without a filter pages follow each other; with one, a page says where it starts.
    row = page.getFirstRowIndex().orElse(row);
    Encoding encoding;
    if (page instanceof DataPageV1 v1) {
      data = bytes(v1.getBytes());
      pos = 0;
      if (maxDef > 0) {
        if (v1.getDlEncoding() != Encoding.RLE) {
          throw unsupported(v1.getDlEncoding() + " definition levels");
        }
        int length = (int) INT.get(data, 0);
        levels = grow(levels, n);
        rle(data, 4, levelWidth, levels, n);
        pos = 4 + length;
      }
      encoding = v1.getValueEncoding();
    } else {
      DataPageV2 v2 = (DataPageV2) page;
      if (maxDef > 0) {
        byte[] defs = bytes(v2.getDefinitionLevels());
        levels = grow(levels, n);
        rle(defs, 0, levelWidth, levels, n);
      }
      data = bytes(v2.getData());
      pos = 0;
      encoding = v2.getDataEncoding();
    }
    int present = n;
    if (maxDef > 0) {
      present = 0;
      for (int i = 0; i < n; i++) {
        if (levels[i] == maxDef) {
          present++;
        }
      }
    }
    level = 0;
    id = 0;
    bit = 0;
    left = n;
    if (encoding == Encoding.PLAIN_DICTIONARY || encoding == Encoding.RLE_DICTIONARY) {
      if (dictionary == null) {
        throw unsupported("dictionary ids without a dictionary page");
      }
      ids = grow(ids, present);
      if (present > 0) {
        rle(data, pos + 1, data[pos] & 0xff, ids, present);
      }
      lookup = dictionary;
      lookedUp = true;
    } else if (encoding == Encoding.RLE && physical == PrimitiveTypeName.BOOLEAN) {
      ids = grow(ids, present);
      rle(data, pos + 4, 1, ids, present);
      if (booleans == null) {
        booleans =
            maker == null
                ? new Object[] {false, true}
                : new Object[] {maker.ofBoolean(false), maker.ofBoolean(true)};
      }
      lookup = booleans;
      lookedUp = true;
    } else if (encoding == Encoding.PLAIN) {
      lookedUp = false;
    } else {
      throw unsupported(encoding + " values");
    }
  }

  private StoreException unsupported(String what) {
    return new StoreException(
        "Cannot read " + this.what + ": a page holds " + what + ", which Meshwork does not decode");
  }

  private static int[] grow(int[] a, int n) {
    return a.length >= n ? a : new int[Math.max(n, a.length * 2)];
  }

  /**
   * Decodes {@code n} values of the RLE/bit-packed hybrid encoding of {@code width}-bit values
   * starting at {@code at}; returns the position after them.
   */
  static int rle(byte[] in, int at, int width, int[] out, int n) {
    int p = at;
    int i = 0;
    int valueBytes = (width + 7) >>> 3;
    int mask = width == 32 ? -1 : (1 << width) - 1;
    while (i < n) {
      int header = 0;
      int shift = 0;
      int b;
      do {
        b = in[p++];
        header |= (b & 0x7f) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      if ((header & 1) == 0) {
        int count = header >>> 1;
        int v = 0;
        for (int k = 0; k < valueBytes; k++) {
          v |= (in[p++] & 0xff) << (8 * k);
        }
        int end = Math.min(n, i + count);
        java.util.Arrays.fill(out, i, end, v);
        i = end;
      } else {
        int count = (header >>> 1) * 8;
        long acc = 0;
        int bits = 0;
        for (int k = 0; k < count; k++) {
          if (i >= n && bits < width && p >= in.length) {
            break; // a last group whose padding was not written
          }
          while (bits < width) {
            acc |= (long) (in[p++] & 0xff) << bits;
            bits += 8;
          }
          int v = (int) (acc & mask);
          acc >>>= width;
          bits -= width;
          if (i < n) {
            out[i++] = v;
          }
        }
      }
    }
    return p;
  }
}
