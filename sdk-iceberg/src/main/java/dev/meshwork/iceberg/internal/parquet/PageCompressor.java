package dev.meshwork.iceberg.internal.parquet;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Compresses a file's pages, inline or on shared background threads. Compression is most of the
 * cost of writing Parquet (ZSTD alone is over half of it), so by default pages are compressed on
 * another core while the writer encodes the next ones: the same codec, level and bytes, in the same
 * order. Each page is encoded into one of a few slots with its own buffers and codec context; pages
 * are taken back strictly in the order they were handed in, so every column's pages stay in order.
 * When the threads have a backlog, the writer compresses the page itself instead of queueing it.
 *
 * <p>The number of background threads comes from the system property {@value #THREADS_PROPERTY}
 * (default: one fewer than the processors, at most 4); 0 compresses inline on the writer's thread.
 */
final class PageCompressor implements AutoCloseable {
  /** System property: background compression threads (0 = compress on the writer's thread). */
  static final String THREADS_PROPERTY = "meshwork.parquet.compression-threads";

  private static final int THREADS = threads();
  private static final ExecutorService POOL = THREADS == 0 ? null : pool(THREADS);

  /** Pages smaller than this are compressed on the writer's thread. */
  static final int SMALL_PAGE = 8 << 10;

  /** Pages handed to the threads that none has started on yet (all files). */
  private static final AtomicInteger WAITING = new AtomicInteger();

  private static final Future<?> DONE =
      java.util.concurrent.CompletableFuture.completedFuture(null);

  /** Receives a compressed page, on the writer's thread, in hand-in order. */
  interface Sink {
    void accept(byte[] bytes, int length);
  }

  private final Supplier<PageCodec> codecs;
  private final PageCodec inline;
  private final ArrayDeque<Slot> free = new ArrayDeque<>();
  private final ArrayDeque<Slot> busy = new ArrayDeque<>();
  private final ExecutorService pool;
  private Slot current;

  /** A compressor using the shared threads, or the writer's thread only when {@code inline}. */
  PageCompressor(Supplier<PageCodec> codecs, boolean inline) {
    this.codecs = codecs;
    this.inline = codecs.get();
    // parquet-java's own compressors are shared per codec and not safe to use concurrently.
    this.pool = inline || !this.inline.concurrent() ? null : POOL;
    if (pool != null) {
      for (int i = 0; i < THREADS + 2; i++) {
        free.add(new Slot());
      }
    }
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
      if (free.isEmpty()) {
        finish(busy.removeFirst());
      }
      current = free.removeFirst();
      if (current.codec == null) {
        current.codec = codecs.get();
      }
    }
    current.raw.reset();
    return current.raw;
  }

  /** Compresses the page just encoded; {@code sink} gets it, in order, before {@link #drain}. */
  void submit(Sink sink) {
    Slot s = current;
    s.sink = sink;
    if (pool == null) {
      s.compress();
      s.sink.accept(s.out.array(), s.length);
      return;
    }
    if (WAITING.get() > 0 || s.raw.size() < SMALL_PAGE) {
      // The compression threads have a backlog, or the page is too small to be worth handing
      // over: it is compressed here, and the writer's thread takes a share of the work.
      s.compress();
      s.task = DONE;
    } else {
      WAITING.incrementAndGet();
      s.task =
          pool.submit(
              () -> {
                WAITING.decrementAndGet();
                s.compress();
              });
    }
    busy.addLast(s);
    current = null;
    // Hand finished pages back as soon as they are done, keeping the order.
    while (!busy.isEmpty() && busy.peekFirst().task.isDone()) {
      finish(busy.removeFirst());
    }
  }

  /** Waits for every page handed in and passes each to its sink. */
  void drain() {
    while (!busy.isEmpty()) {
      finish(busy.removeFirst());
    }
  }

  private void finish(Slot s) {
    try {
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
    Future<?> task;
    int length;

    void compress() {
      out.reset();
      length = codec.compress(raw.array(), raw.size(), out);
    }
  }

  private static int threads() {
    String v = System.getProperty(THREADS_PROPERTY);
    if (v != null) {
      try {
        return Math.max(0, Integer.parseInt(v.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "System property "
                + THREADS_PROPERTY
                + " must be a whole number of threads (0 compresses on the writer's thread), not '"
                + v
                + "'",
            e);
      }
    }
    return Math.min(4, Runtime.getRuntime().availableProcessors() - 1);
  }

  private static ExecutorService pool(int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, "meshwork-page-compression-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
