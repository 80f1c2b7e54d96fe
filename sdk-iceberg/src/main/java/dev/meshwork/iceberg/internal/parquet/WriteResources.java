package dev.meshwork.iceberg.internal.parquet;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the files of one store share: the threads that compress pages beside the writers and the
 * pool of chunk segments. A store creates one and closes it with itself, so nothing outlives the
 * store and two stores in one process never share threads or buffers.
 */
public final class WriteResources implements AutoCloseable {
  private static final AtomicInteger STORES = new AtomicInteger();

  private final int threads;
  private final ExecutorService pool;
  private final Segments segments = new Segments();

  /** Resources with {@code threads} compression threads (0: compress on the writers' threads). */
  public WriteResources(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("compression threads must be 0 or more, not " + threads);
    }
    this.threads = threads;
    this.pool = threads == 0 ? null : pool(threads, STORES.incrementAndGet());
  }

  /** The number of background compression threads. */
  public int threads() {
    return threads;
  }

  /** The background threads, or null when pages are compressed on the writers' threads. */
  ExecutorService pool() {
    return pool;
  }

  Segments segments() {
    return segments;
  }

  /** Stops the compression threads; files still being written compress on their own thread. */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
      try {
        pool.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return threads + " page-compression thread(s)";
  }

  private static ExecutorService pool(int threads, int store) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t =
              new Thread(r, "meshwork-page-compression-" + store + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
