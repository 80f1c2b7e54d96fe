package dev.meshwork.iceberg.internal.parquet;

/**
 * Parquet's RLE / bit-packing hybrid encoding of small unsigned integers (definition levels and
 * dictionary ids). Runs of at least eight equal values become one run; everything else is packed in
 * groups of eight, least significant bit first. Only the last group of the input is padded, so any
 * conforming reader decodes exactly the values given.
 */
final class Rle {
  /** Shortest repetition worth a run of its own. */
  private static final int MIN_RUN = 8;

  private Rle() {}

  /** The number of bits needed for values up to {@code max}. */
  static int bitWidth(int max) {
    return 32 - Integer.numberOfLeadingZeros(max);
  }

  /** Encodes {@code n} values of at most {@code width} bits into {@code out}. */
  static void encode(int[] values, int n, int width, ByteSink out) {
    int valueBytes = (width + 7) >>> 3;
    int i = 0;
    while (i < n) {
      int run = runLength(values, i, n);
      if (run >= MIN_RUN) {
        out.putVarInt(run << 1);
        int v = values[i];
        for (int b = 0; b < valueBytes; b++) {
          out.put((byte) (v >>> (8 * b)));
        }
        i += run;
        continue;
      }
      // Pack groups of eight until a run starts on a group boundary or the input ends.
      int start = i;
      int groups = 0;
      do {
        i += 8;
        groups++;
      } while (i < n && runLength(values, i, Math.min(n, i + MIN_RUN)) < MIN_RUN);
      out.putVarInt(groups << 1 | 1);
      pack(values, start, Math.min(i, n), groups * 8, width, out);
    }
  }

  /** Encodes byte-sized values (definition levels). */
  static void encode(byte[] levels, int n, int width, int[] scratch, ByteSink out) {
    for (int i = 0; i < n; i++) {
      scratch[i] = levels[i];
    }
    encode(scratch, n, width, out);
  }

  private static int runLength(int[] values, int from, int to) {
    int v = values[from];
    int j = from + 1;
    while (j < to && values[j] == v) {
      j++;
    }
    return j - from;
  }

  /** Packs values {@code [from, to)} followed by zeros up to {@code count} values. */
  private static void pack(int[] values, int from, int to, int count, int width, ByteSink out) {
    out.ensure((count * width + 7) >>> 3);
    byte[] b = out.array();
    int p = out.size();
    long mask = width == 32 ? 0xFFFFFFFFL : (1L << width) - 1;
    long buffer = 0;
    int bits = 0;
    int full = to - from;
    // Whole words leave the buffer four bytes at a time; fewer than 64 bits are ever held.
    for (int k = 0; k < count; k++) {
      long v = k < full ? values[from + k] & mask : 0;
      buffer |= v << bits;
      bits += width;
      if (bits >= 32) {
        INT.set(b, p, (int) buffer);
        p += 4;
        buffer >>>= 32;
        bits -= 32;
      }
    }
    // count is a multiple of eight, so the packed values end on a byte boundary.
    for (; bits > 0; bits -= 8) {
      b[p++] = (byte) buffer;
      buffer >>>= 8;
    }
    out.advance(p - out.size());
  }

  private static final java.lang.invoke.VarHandle INT =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
}
