package dev.meshwork.core.internal.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Keeps runs' quality metrics behind the runs: a commit returns once its outputs are published, and
 * the metrics-table commit (a table open, a small data file and an Iceberg commit, about as long as
 * publishing the output itself) runs next on one thread of the mesh, in commit order. Whatever
 * reads the metrics (a later run's anomaly checks) and {@link #close()} wait for what is pending,
 * so no run's metrics are missed or lost. The thread is not a daemon: a program that ends without
 * closing its mesh still keeps the metrics of its last run.
 */
public final class MetricsRecorder implements AutoCloseable {
  private final ThreadPoolExecutor thread;
  private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

  /** A recorder with no thread until the first task. */
  public MetricsRecorder() {
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

  /** Queues {@code task}, which must handle its own failures; tasks run in submission order. */
  synchronized void submit(Runnable task) {
    if (thread.isShutdown()) {
      // A run committed after its mesh was closed records on its own thread.
      task.run();
      return;
    }
    last = CompletableFuture.runAsync(task, thread);
  }

  /** Waits until every task submitted so far is done. */
  void awaitPending() {
    CompletableFuture<Void> pending;
    synchronized (this) {
      pending = last;
    }
    pending.join();
  }

  /** Waits for pending tasks, then stops the thread. */
  @Override
  public void close() {
    awaitPending();
    thread.shutdown();
  }
}
