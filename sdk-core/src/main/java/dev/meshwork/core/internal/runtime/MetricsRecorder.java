package dev.meshwork.core.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps runs' quality metrics behind the runs: a commit returns once its outputs are published, and
 * the metrics-table commit (a table open, a small data file and an Iceberg commit, about as long as
 * publishing the output itself) runs later on one thread of the mesh, in commit order. Runs that
 * commit within a short linger time of each other share one metrics commit, so frequent small runs
 * do not double the commits and files of the product. Whatever reads the metrics (a later run's
 * anomaly checks) and {@link #close()} cut the linger short and wait for what is pending, so no
 * run's metrics are missed or lost. The thread is not a daemon: a program that ends without closing
 * its mesh still keeps the metrics of its last runs (it ends up to a linger time later).
 */
public final class MetricsRecorder implements AutoCloseable {
  /** How long a batch waits for more runs before it is written. */
  static final Duration LINGER = Duration.ofSeconds(2);

  private final ThreadPoolExecutor thread;
  private final long lingerNanos;
  private final Map<Object, List<Object>> batches = new HashMap<>();
  private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
  private int hurrying;
  private boolean closed;

  /** A recorder with no thread until the first task. */
  public MetricsRecorder() {
    this(LINGER);
  }

  /** A recorder whose batches wait {@code linger} for more items. */
  MetricsRecorder(Duration linger) {
    this.lingerNanos = linger.toNanos();
    thread =
        new ThreadPoolExecutor(
            1,
            1,
            1,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> new Thread(r, "meshwork-metrics"));
    // The thread ends when idle, so a finished program exits without closing its mesh.
    thread.allowCoreThreadTimeOut(true);
  }

  /**
   * Adds {@code item} to the pending batch of {@code key}. The first item of a batch queues a task
   * that waits the linger time (less when someone awaits), then hands every item added meanwhile to
   * {@code write}, which must handle its own failures.
   */
  @SuppressWarnings("unchecked")
  synchronized <T> void add(Object key, T item, Consumer<List<T>> write) {
    List<Object> batch = batches.get(key);
    if (batch != null) {
      batch.add(item);
      return;
    }
    batch = new ArrayList<>();
    batch.add(item);
    batches.put(key, batch);
    submit(
        () -> {
          linger();
          List<Object> taken;
          synchronized (this) {
            taken = batches.remove(key);
          }
          write.accept((List<T>) taken);
        });
  }

  private void submit(Runnable task) {
    if (thread.isShutdown()) {
      // A run committed after its mesh was closed records on its own thread.
      task.run();
      return;
    }
    last = CompletableFuture.runAsync(task, thread);
  }

  private synchronized void linger() {
    long deadline = System.nanoTime() + lingerNanos;
    while (hurrying == 0 && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Writes what is pending now and waits until every batch added so far is written. */
  void awaitPending() {
    CompletableFuture<Void> pending;
    synchronized (this) {
      hurrying++;
      notifyAll();
      pending = last;
    }
    try {
      pending.join();
    } finally {
      synchronized (this) {
        hurrying--;
      }
    }
  }

  /** Writes what is pending, then stops the thread. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    awaitPending();
    thread.shutdown();
  }
}
