package dev.meshwork.iceberg.internal.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A growable little-endian byte buffer, reused page after page. */
final class ByteSink {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] bytes;
  private int size;

  ByteSink(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  byte[] array() {
    return bytes;
  }

  int size() {
    return size;
  }

  void reset() {
    size = 0;
  }

  /** Makes room for {@code n} more bytes. */
  void ensure(int n) {
    int need = size + n;
    if (need > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(need, bytes.length + (bytes.length >> 1)));
    }
  }

  /** Advances the size after {@code n} bytes were written directly into {@link #array()}. */
  void advance(int n) {
    size += n;
  }

  void put(byte b) {
    ensure(1);
    bytes[size++] = b;
  }

  void putInt(int v) {
    ensure(4);
    INT.set(bytes, size, v);
    size += 4;
  }

  void putIntAt(int position, int v) {
    INT.set(bytes, position, v);
  }

  void putLong(long v) {
    ensure(8);
    LONG.set(bytes, size, v);
    size += 8;
  }

  void put(byte[] src, int offset, int length) {
    ensure(length);
    System.arraycopy(src, offset, bytes, size, length);
    size += length;
  }

  /** Unsigned LEB128, as Parquet's run headers use. */
  void putVarInt(int v) {
    ensure(5);
    while ((v & ~0x7F) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  /** Plain-encodes {@code n} values as 8-byte little-endian words. */
  void putLongs(long[] values, int n) {
    ensure(n * 8);
    byte[] b = bytes;
    int p = size;
    for (int i = 0; i < n; i++) {
      LONG.set(b, p, values[i]);
      p += 8;
    }
    size = p;
  }

  /** Plain-encodes the low 32 bits of {@code n} values as 4-byte little-endian words. */
  void putInts(long[] values, int n) {
    ensure(n * 4);
    byte[] b = bytes;
    int p = size;
    for (int i = 0; i < n; i++) {
      INT.set(b, p, (int) values[i]);
      p += 4;
    }
    size = p;
  }
}
