package dev.meshwork.iceberg.internal.parquet;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;

/** The compressed pages of one column chunk, in pooled segments; pages may span segments. */
final class ChunkBuffer {
  private final Segments pool;
  private final List<byte[]> segments = new ArrayList<>();
  private byte[] current;
  private int used;
  private long size;

  ChunkBuffer(Segments pool) {
    this.pool = pool;
  }

  long size() {
    return size;
  }

  long allocated() {
    long sum = 0;
    for (byte[] s : segments) {
      sum += s.length;
    }
    return sum;
  }

  /** Appends {@code src[0, length)}; returns where it starts, for {@link #slice}. */
  long append(byte[] src, int length) {
    long start = size;
    int done = 0;
    while (done < length) {
      if (current == null || used == current.length) {
        current = pool.take(segments.isEmpty());
        segments.add(current);
        used = 0;
      }
      int n = Math.min(length - done, current.length - used);
      System.arraycopy(src, done, current, used, n);
      used += n;
      done += n;
    }
    size += length;
    return start;
  }

  /** The bytes {@code [start, start + length)} without copying them. */
  BytesInput slice(long start, int length) {
    List<BytesInput> parts = null;
    long segmentStart = 0;
    for (byte[] s : segments) {
      long segmentEnd = segmentStart + s.length;
      if (start < segmentEnd && length > 0) {
        int offset = (int) (start - segmentStart);
        int n = Math.min(length, s.length - offset);
        BytesInput part = BytesInput.from(s, offset, n);
        if (n == length && parts == null) {
          return part;
        }
        if (parts == null) {
          parts = new ArrayList<>(2);
        }
        parts.add(part);
        start += n;
        length -= n;
      }
      segmentStart = segmentEnd;
    }
    return parts == null ? BytesInput.empty() : BytesInput.concat(parts);
  }

  /** Gives the segments back for the next chunk. */
  void release() {
    for (byte[] s : segments) {
      pool.give(s);
    }
    segments.clear();
    current = null;
    used = 0;
    size = 0;
  }
}
