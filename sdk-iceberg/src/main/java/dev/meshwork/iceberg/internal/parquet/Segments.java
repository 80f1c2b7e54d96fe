package dev.meshwork.iceberg.internal.parquet;

import java.lang.ref.SoftReference;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Byte arrays holding compressed column chunks, handed back when a row group has been written and
 * reused by the next row group or file instead of being garbage. One pool per store ({@link
 * WriteResources}), bounded ({@link #MAX_SMALL} small and {@link #MAX_LARGE} large arrays, 80 MiB
 * at most) and holding its arrays softly, so the garbage collector takes them back when the heap
 * runs short.
 */
final class Segments {
  /** The first segment of a chunk: small, so that small files stay small. */
  static final int SMALL = 16 << 10;

  /** Every further segment of a chunk. */
  static final int LARGE = 256 << 10;

  static final int MAX_SMALL = 1024;
  static final int MAX_LARGE = 256;

  private final Pool small = new Pool(SMALL, MAX_SMALL);
  private final Pool large = new Pool(LARGE, MAX_LARGE);

  /** A segment to start a chunk with ({@code first}) or to continue it. */
  byte[] take(boolean first) {
    return (first ? small : large).take();
  }

  /** Returns a segment taken from {@link #take}. */
  void give(byte[] segment) {
    if (segment.length == SMALL) {
      small.give(segment);
    } else if (segment.length == LARGE) {
      large.give(segment);
    }
  }

  private static final class Pool {
    private final int size;
    private final int max;
    private final ConcurrentLinkedDeque<SoftReference<byte[]>> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger count = new AtomicInteger();

    Pool(int size, int max) {
      this.size = size;
      this.max = max;
    }

    byte[] take() {
      SoftReference<byte[]> ref;
      while ((ref = free.pollFirst()) != null) {
        count.decrementAndGet();
        byte[] b = ref.get();
        if (b != null) {
          return b;
        }
      }
      return new byte[size];
    }

    void give(byte[] segment) {
      if (count.incrementAndGet() > max) {
        count.decrementAndGet();
        return;
      }
      free.addFirst(new SoftReference<>(segment));
    }
  }
}
