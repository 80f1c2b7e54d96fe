package dev.meshwork.iceberg.internal.parquet;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Compresses a file's pages, inline or on shared background threads. Compression is most of the
 * cost of writing Parquet (ZSTD alone is over half of it), so by default pages are compressed on
 * another core while the writer encodes the next ones: the same codec, level and bytes, in the same
 * order. Each page is encoded into one of a few slots with its own buffers and codec context, and
 * is handed back as soon as it is compressed, whatever its column and whatever pages are still
 * compressing: its column keeps the page's place in the chunk, so only the slot count bounds the
 * work in flight, and a slow page holds up nothing but its own slot. When every slot is taken, the
 * writer compresses the smallest queued page no thread has started instead of waiting, and waits
 * only when all are already being compressed: with a slower codec (ZSTD) both cores compress, with
 * a faster one (Snappy) the writer only encodes.
 *
 * <p>The background threads belong to the store's {@link WriteResources} (the setting {@code
 * meshwork.parquet.compression-threads}); with none, pages are compressed on the writer's thread.
 */
final class PageCompressor implements AutoCloseable {

  /** Pages smaller than this are compressed on the writer's thread. */
  static final int SMALL_PAGE = 8 << 10;

  /** Slots beyond one per thread: pages that can wait for a thread while the writer encodes. */
  private static final int QUEUED_SLOTS = 3;

  private static final FutureTask<Void> DONE = new FutureTask<>(() -> {}, null);

  static {
    DONE.run();
  }

  /** Receives a compressed page, on the writer's thread, once it is compressed. */
  interface Sink {
    void accept(byte[] bytes, int length);
  }

  private final Supplier<PageCodec> codecs;
  private final PageCodec inline;
  private final ArrayDeque<Slot> free = new ArrayDeque<>();
  private final ArrayDeque<Slot> busy = new ArrayDeque<>();
  private final ExecutorService pool;
  private final WriteResources resources;
  private Slot current;

  /** A compressor using the store's threads, or the writer's thread only when {@code inline}. */
  PageCompressor(WriteResources resources, Supplier<PageCodec> codecs, boolean inline) {
    this.resources = resources;
    this.codecs = codecs;
    this.inline = codecs.get();
    // parquet-java's own compressors are shared per codec and not safe to use concurrently.
    this.pool = inline || !this.inline.concurrent() ? null : resources.pool();
    if (pool != null) {
      for (int i = 0; i < resources.threads() + QUEUED_SLOTS; i++) {
        free.add(new Slot());
      }
    }
  }

  /** The segments the file's column chunks are kept in. */
  Segments segments() {
    return resources.segments();
  }

  /** The codec for compressing on the writer's thread (dictionary pages). */
  PageCodec inline() {
    return inline;
  }

  /** An empty buffer to encode the next page into. */
  ByteSink begin() {
    if (pool == null) {
      if (current == null) {
        current = new Slot();
        current.codec = inline;
      }
    } else {
      while (free.isEmpty()) {
        if (!handBackFinished() && !compressQueuedPage()) {
          // Every page is being compressed: wait for the oldest.
          finish(busy.removeFirst());
        }
      }
      current = free.removeFirst();
      if (current.codec == null) {
        current.codec = codecs.get();
      }
    }
    current.raw.reset();
    return current.raw;
  }

  /**
   * Compresses the page just encoded; {@code sink} gets it before {@link #drain} returns, not
   * necessarily after the pages handed in before it.
   */
  void submit(Sink sink) {
    Slot s = current;
    s.sink = sink;
    if (pool == null) {
      s.compress();
      s.sink.accept(s.out.array(), s.length);
      return;
    }
    if (s.raw.size() < SMALL_PAGE) {
      // Too small to be worth handing over.
      s.compress();
      s.task = DONE;
    } else {
      s.tried = false;
      s.task = new FutureTask<>(s::compress, null);
      try {
        pool.execute(s.task);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // The store is closing: the writer compresses the page itself when it is handed back.
      }
    }
    busy.addLast(s);
    current = null;
    handBackFinished();
  }

  /** Hands back every compressed page; true if a slot came free. */
  private boolean handBackFinished() {
    boolean freed = false;
    for (var pages = busy.iterator(); pages.hasNext(); ) {
      Slot s = pages.next();
      if (s.task.isDone()) {
        pages.remove();
        finish(s);
        freed = true;
      }
    }
    return freed;
  }

  /**
   * Compresses on this thread the smallest queued page no thread has started; false if every queued
   * page is already being compressed or done. The smallest, because the writer is then back to
   * encoding soonest while the larger pages stay queued for the background threads, which so run
   * dry less often (Arrow batches, zstd: a million rows in a median 469 ms instead of 524 when
   * taking the oldest, over seven JVMs each).
   */
  private boolean compressQueuedPage() {
    while (true) {
      Slot smallest = null;
      for (Slot s : busy) {
        if (!s.tried
            && !s.task.isDone()
            && (smallest == null || s.raw.size() < smallest.raw.size())) {
          smallest = s;
        }
      }
      if (smallest == null) {
        return false;
      }
      smallest.tried = true;
      // Runs the task unless a thread has started it; the pool's later run is then a no-op.
      smallest.task.run();
      if (smallest.task.isDone()) {
        return true;
      }
    }
  }

  /**
   * Passes every page handed in to its sink, compressing queued pages on this thread rather than
   * waiting for them.
   */
  void drain() {
    while (!busy.isEmpty()) {
      if (!handBackFinished() && !compressQueuedPage()) {
        // Every page left is being compressed by a thread.
        finish(busy.removeFirst());
      }
    }
  }

  private void finish(Slot s) {
    try {
      // Not started yet: compressed here rather than waited for.
      s.task.run();
      s.task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compressing a Parquet page", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("cannot compress a Parquet page: " + e.getCause(), e);
    } finally {
      s.task = null;
      free.addLast(s);
    }
    s.sink.accept(s.out.array(), s.length);
    s.sink = null;
  }

  @Override
  public void close() {
    // Codec contexts are native: no task may still be using one when it is closed. A task that
    // failed belongs to a file being abandoned, whose error has already been reported.
    boolean interrupted = false;
    while (!busy.isEmpty()) {
      Slot s = busy.removeFirst();
      s.task.run();
      while (true) {
        try {
          s.task.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          break;
        }
      }
      free.add(s);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (current != null && pool != null) {
      // Taken for a page whose encoding failed.
      free.add(current);
      current = null;
    }
    for (Slot s : free) {
      if (s.codec != null && s.codec != inline) {
        s.codec.close();
      }
    }
    inline.close();
  }

  private static final class Slot {
    final ByteSink raw = new ByteSink(1 << 12);
    final ByteSink out = new ByteSink(1 << 12);
    PageCodec codec;
    Sink sink;
    FutureTask<Void> task;
    int length;

    /** Whether the writer has tried to compress this page itself (a thread may have had it). */
    boolean tried;

    void compress() {
      out.reset();
      length = codec.compress(raw.array(), raw.size(), out);
    }
  }
}
