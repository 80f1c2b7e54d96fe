package dev.meshwork.iceberg.internal.parquet;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.parquet.bytes.ByteBufferAllocator;

/**
 * Heap buffers that Parquet's column and page buffers give back when a page is written, handed out
 * again for the next page of the same file instead of being garbage. Page buffers grow in the same
 * size steps page after page, so exact-size reuse hits. One file writer, one thread; the pool keeps
 * at most {@link #LIMIT} bytes.
 */
final class BufferPool implements ByteBufferAllocator {
  static final long LIMIT = 16L << 20;

  private final Map<Integer, ArrayDeque<ByteBuffer>> free = new HashMap<>();
  private long pooled;

  @Override
  public ByteBuffer allocate(int size) {
    ArrayDeque<ByteBuffer> same = free.get(size);
    if (same != null && !same.isEmpty()) {
      pooled -= size;
      return same.pop().clear();
    }
    return ByteBuffer.allocate(size);
  }

  @Override
  public void release(ByteBuffer buffer) {
    int size = buffer.capacity();
    if (buffer.isDirect() || pooled + size > LIMIT) {
      return;
    }
    free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(buffer);
    pooled += size;
  }

  @Override
  public boolean isDirect() {
    return false;
  }
}
