package dev.meshwork.iceberg.internal.parquet;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;

/**
 * A column's pages, each decompressed on another core while the reader decodes the one before: a
 * row group's compressed bytes are in memory already, so decompression is the only work left to
 * share, and on a full read it is a third of the time. Whichever thread comes first takes a page:
 * the reader never waits for a helper that has not started, so a busy pool only loses the overlap.
 * One page is in flight per column; the page reader underneath is only ever used by one thread at a
 * time.
 */
final class PagesAhead implements PageReader {
  /** The pool pages are decompressed in, or null when this machine has one core. */
  private static final Executor POOL =
      Runtime.getRuntime().availableProcessors() > 1 && ForkJoinPool.getCommonPoolParallelism() > 0
          ? ForkJoinPool.commonPool()
          : null;

  private final PageReader pages;
  private Next next;
  private boolean started;

  private PagesAhead(PageReader pages) {
    this.pages = pages;
  }

  /** {@code pages}, read one page ahead where there is another core to do it. */
  static PageReader of(PageReader pages) {
    return POOL == null ? pages : new PagesAhead(pages);
  }

  @Override
  public DictionaryPage readDictionaryPage() {
    if (started) {
      throw new IllegalStateException("the dictionary is read before the first data page");
    }
    return pages.readDictionaryPage();
  }

  @Override
  public long getTotalValueCount() {
    return pages.getTotalValueCount();
  }

  @Override
  public DataPage readPage() {
    DataPage page;
    if (!started) {
      started = true;
      page = pages.readPage();
    } else {
      page = next == null ? null : next.take();
    }
    next = page == null ? null : ahead();
    return page;
  }

  /** Waits for the page in flight, if any, so that nothing uses the row group after it closes. */
  void close() {
    if (next != null) {
      next.takeQuietly();
      next = null;
    }
  }

  private Next ahead() {
    Next n = new Next();
    try {
      POOL.execute(n);
    } catch (RejectedExecutionException e) {
      // The reader takes it itself.
    }
    return n;
  }

  /** The next page: read by the helper or, if it has not started, by the reader. */
  private final class Next implements Runnable {
    private boolean claimed;
    private boolean done;
    private DataPage page;
    private Throwable failure;

    @Override
    public void run() {
      if (claim()) {
        produce();
      }
    }

    private synchronized boolean claim() {
      if (claimed) {
        return false;
      }
      claimed = true;
      return true;
    }

    private void produce() {
      DataPage p = null;
      Throwable f = null;
      try {
        p = pages.readPage();
      } catch (RuntimeException | Error e) {
        f = e;
      }
      synchronized (this) {
        page = p;
        failure = f;
        done = true;
        notifyAll();
      }
    }

    DataPage take() {
      if (claim()) {
        produce();
      }
      synchronized (this) {
        boolean interrupted = false;
        while (!done) {
          try {
            wait();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return page;
    }

    void takeQuietly() {
      synchronized (this) {
        if (!claimed) {
          claimed = true;
          done = true;
          return;
        }
      }
      try {
        take();
      } catch (RuntimeException | Error e) {
        // The reader is closing; a page it no longer wants may fail.
      }
    }
  }
}
