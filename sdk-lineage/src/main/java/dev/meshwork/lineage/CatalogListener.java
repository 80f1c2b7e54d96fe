package dev.meshwork.lineage;

import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.RunListener;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every completed run to a data catalog. By default in the background, retried with a
 * growing backoff, and a failure is logged and counted but never fails the run; with {@link
 * Delivery#REQUIRED} the publish happens before {@code commit()} returns and its failure makes
 * {@code commit()} throw (the data itself is already published).
 */
public final class CatalogListener implements RunListener {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogListener.class);

  /** Whether the run waits for, and depends on, the catalog. */
  public enum Delivery {
    /** Publish on a background thread; failures are logged and counted. */
    BACKGROUND,
    /** Publish before commit returns; a failure fails the commit call. */
    REQUIRED
  }

  private final CatalogPublisher publisher;
  private final Delivery delivery;
  private final int attempts;
  private final Duration backoff;
  private final ExecutorService executor;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  private CatalogListener(Builder b) {
    this.publisher = b.publisher;
    this.delivery = b.delivery;
    this.attempts = b.attempts;
    this.backoff = b.backoff;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "meshwork-catalog-publisher");
              t.setDaemon(true);
              return t;
            });
  }

  /** A builder around a publisher, such as {@link OpenMetadataPublisher}. */
  public static Builder builder(CatalogPublisher publisher) {
    return new Builder(publisher);
  }

  @Override
  public void onEvent(RunEvent event) {
    if (event.type() != RunEvent.Type.COMPLETE) {
      return;
    }
    if (delivery == Delivery.REQUIRED) {
      publishWithRetries(event);
      return;
    }
    executor.submit(
        () -> {
          try {
            publishWithRetries(event);
          } catch (RuntimeException e) {
            LOG.warn(
                "Run {} was not published to {}: {}",
                event.runId(),
                publisher.describe(),
                e.getMessage());
          }
        });
  }

  private void publishWithRetries(RunEvent event) {
    for (int attempt = 1; ; attempt++) {
      try {
        publisher.publish(event);
        published.incrementAndGet();
        return;
      } catch (RuntimeException e) {
        if (attempt >= attempts) {
          failed.incrementAndGet();
          throw e;
        }
        retried.incrementAndGet();
        try {
          Thread.sleep(backoff.toMillis() * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          failed.incrementAndGet();
          throw e;
        }
      }
    }
  }

  @Override
  public boolean failsRunOnError() {
    return delivery == Delivery.REQUIRED;
  }

  /** Publications so far. */
  public CatalogCounters counters() {
    return new CatalogCounters(published.get(), retried.get(), failed.get());
  }

  /** Waits up to {@code timeout} for background publications; true when all finished. */
  public boolean flush(Duration timeout) {
    try {
      return executor.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS) == null;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("Catalog publications still running after 30 s were abandoned");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    publisher.close();
  }

  @Override
  public String toString() {
    return "catalog "
        + publisher.describe()
        + " ("
        + delivery.name().toLowerCase(java.util.Locale.ROOT)
        + ")";
  }

  /** Builds a {@link CatalogListener}. */
  public static final class Builder {
    private final CatalogPublisher publisher;
    private Delivery delivery = Delivery.BACKGROUND;
    private int attempts = 3;
    private Duration backoff = Duration.ofSeconds(1);

    private Builder(CatalogPublisher publisher) {
      this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /** Background (default) or required delivery. */
    public Builder delivery(Delivery mode) {
      this.delivery = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Tries per run (default 3) and the backoff between them, growing linearly (default 1 s). */
    public Builder attempts(int tries, Duration firstBackoff) {
      if (tries < 1) {
        throw new IllegalArgumentException("attempts must be at least 1, but was " + tries);
      }
      if (firstBackoff == null || firstBackoff.isNegative()) {
        throw new IllegalArgumentException(
            "backoff must be zero or positive, but was " + firstBackoff);
      }
      this.attempts = tries;
      this.backoff = firstBackoff;
      return this;
    }

    /** The listener. */
    public CatalogListener build() {
      return new CatalogListener(this);
    }
  }
}
