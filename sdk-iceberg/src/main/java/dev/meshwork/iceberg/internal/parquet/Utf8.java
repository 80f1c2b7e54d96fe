package dev.meshwork.iceberg.internal.parquet;

import java.util.Arrays;

/**
 * Encodes strings as UTF-8 into a buffer the caller reuses, byte for byte as {@code
 * String.getBytes(UTF_8)} does (unpaired surrogates become {@code '?'}), so the write path
 * allocates nothing per string value.
 */
final class Utf8 {
  private byte[] buffer = new byte[64];

  /** The buffer holding the last encoded string. */
  byte[] buffer() {
    return buffer;
  }

  /** Encodes {@code s} into {@link #buffer()}; returns the number of bytes. */
  int encode(String s) {
    int n = s.length();
    if (buffer.length < n * 3) {
      buffer = Arrays.copyOf(buffer, Math.max(n * 3, buffer.length * 2));
    }
    byte[] out = buffer;
    int i = 0;
    // ASCII runs are the common case: one byte per char.
    while (i < n) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      out[i++] = (byte) c;
    }
    int p = i;
    while (i < n) {
      char c = s.charAt(i++);
      if (c < 0x80) {
        out[p++] = (byte) c;
      } else if (c < 0x800) {
        out[p++] = (byte) (0xC0 | c >> 6);
        out[p++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(s.charAt(i))) {
          int cp = Character.toCodePoint(c, s.charAt(i++));
          out[p++] = (byte) (0xF0 | cp >> 18);
          out[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
          out[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
          out[p++] = (byte) (0x80 | cp & 0x3F);
        } else {
          out[p++] = '?';
        }
      } else {
        out[p++] = (byte) (0xE0 | c >> 12);
        out[p++] = (byte) (0x80 | c >> 6 & 0x3F);
        out[p++] = (byte) (0x80 | c & 0x3F);
      }
    }
    return p;
  }
}
