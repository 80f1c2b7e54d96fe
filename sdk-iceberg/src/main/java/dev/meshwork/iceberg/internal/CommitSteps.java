package dev.meshwork.iceberg.internal;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the steps of an Iceberg commit (writing the new manifest, filtering and merging manifests,
 * completing manifest metadata) in the committing thread.
 *
 * <p>Iceberg hands those steps to its worker pool and then polls the futures with a 10 ms sleep
 * until all are done, so each of the four steps of an append costs at least 10 ms even when its
 * work takes microseconds: about 40 ms of every publish. A publish adds few files and merges, when
 * it merges at all, into one bin, so there is little to run in parallel; run where they are
 * submitted, the tasks are done before the first poll.
 */
final class CommitSteps extends AbstractExecutorService {
  /** The executor handed to {@code scanManifestsWith}; it is never shut down. */
  static final CommitSteps IN_CALLER = new CommitSteps();

  private CommitSteps() {}

  @Override
  public void execute(Runnable command) {
    command.run();
  }

  @Override
  public void shutdown() {
    throw new UnsupportedOperationException("the commit-step executor is shared and never stops");
  }

  @Override
  public List<Runnable> shutdownNow() {
    throw new UnsupportedOperationException("the commit-step executor is shared and never stops");
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }
}
