package dev.meshwork.lineage.internal;

import dev.meshwork.lineage.LineageCounters;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events on its own thread so that a slow or dead backend never slows a pipeline. The
 * pipeline thread only enqueues (waiting at most {@code maxEnqueueWait}); events that cannot be
 * sent after a few tries go to a durable spool and are replayed, oldest first, once the backend
 * answers again. While the spool holds events, new ones queue behind them, so order is kept (except
 * when the in-memory queue overflows, when the pipeline thread spools the overflow itself).
 */
public final class AsyncEmitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncEmitter.class);

  /** Sends one event synchronously; throws when the backend did not take it. */
  @FunctionalInterface
  public interface Sender {
    /** Sends the event. */
    void send(OpenLineage.RunEvent event) throws Exception;
  }

  /** Tuning of an emitter. */
  public record Settings(
      int queueCapacity,
      Duration maxEnqueueWait,
      int sendAttempts,
      Duration retryBackoff,
      Duration replayInterval) {}

  private final Sender sender;
  private final Spool spool;
  private final Settings settings;
  private final BlockingQueue<OpenLineage.RunEvent> queue;
  private final Thread worker;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicLong emitted = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong busy = new AtomicLong();
  private volatile long nextReplayNanos;

  /** Starts the worker thread; replays anything an earlier process left in the spool. */
  public AsyncEmitter(Sender sender, Path spoolDir, Settings settings) {
    this.sender = sender;
    this.spool = new Spool(spoolDir);
    this.settings = settings;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.worker = new Thread(this::loop, "meshwork-lineage-emitter");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /** Hands an event over; returns within {@code maxEnqueueWait} whatever the backend does. */
  public void submit(OpenLineage.RunEvent event) {
    if (stopping.get()) {
      spoolOrDrop(event);
      return;
    }
    try {
      if (!queue.offer(event, settings.maxEnqueueWait().toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.warn(
            "Lineage queue is full ({} events); spooling on the pipeline thread",
            settings.queueCapacity());
        spoolOrDrop(event);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      spoolOrDrop(event);
    }
  }

  /** What happened to the events so far. */
  public LineageCounters counters() {
    return new LineageCounters(
        emitted.get(), retried.get(), spooled.get(), replayed.get(), dropped.get(), spool.size());
  }

  /** The spool folder. */
  public Path spoolDirectory() {
    return spool.dir();
  }

  /**
   * Waits until every submitted event was sent or spooled and one replay was tried; true when
   * nothing is left in the spool.
   */
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    nextReplayNanos = 0;
    while (System.nanoTime() < deadline) {
      if (queue.isEmpty() && busy.get() == 0) {
        if (spool.size() == 0) {
          return true;
        }
        if (nextReplayNanos > System.nanoTime()) {
          return false;
        }
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return spool.size() == 0;
  }

  /** Flushes within the timeout, stops the worker, and spools whatever is still queued. */
  public void close(Duration timeout) {
    flush(timeout);
    stopping.set(true);
    worker.interrupt();
    try {
      worker.join(timeout.toMillis() + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<OpenLineage.RunEvent> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(this::spoolOrDrop);
    LineageCounters c = counters();
    if (c.pendingInSpool() > 0) {
      LOG.warn(
          "Lineage backend unreachable: {} events wait in {} and are replayed by the next run",
          c.pendingInSpool(),
          spool.dir());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  private void loop() {
    while (!stopping.get()) {
      OpenLineage.RunEvent event;
      try {
        event =
            queue.poll(
                Math.max(1, settings.replayInterval().toMillis() / 4), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        if (stopping.get()) {
          return;
        }
        continue;
      }
      busy.incrementAndGet();
      try {
        replayIfDue();
        if (event != null) {
          deliver(event);
        }
      } catch (RuntimeException e) {
        LOG.warn("Lineage emitter error (events are kept): {}", e.toString());
      } finally {
        busy.decrementAndGet();
      }
    }
  }

  private void deliver(OpenLineage.RunEvent event) {
    if (spool.size() > 0) {
      spoolOrDrop(event);
      return;
    }
    if (sendWithRetries(event)) {
      emitted.incrementAndGet();
    } else {
      spoolOrDrop(event);
      nextReplayNanos = System.nanoTime() + settings.replayInterval().toNanos();
    }
  }

  private boolean sendWithRetries(OpenLineage.RunEvent event) {
    for (int attempt = 1; attempt <= settings.sendAttempts(); attempt++) {
      try {
        sender.send(event);
        return true;
      } catch (Exception e) {
        if (attempt == settings.sendAttempts()) {
          LOG.info(
              "Lineage backend did not take a {} event ({}); spooling it",
              event.getEventType(),
              e.toString());
          return false;
        }
        retried.incrementAndGet();
        try {
          Thread.sleep(settings.retryBackoff().toMillis() * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  private void replayIfDue() {
    if (System.nanoTime() < nextReplayNanos) {
      return;
    }
    try {
      Optional<Path> head;
      while ((head = spool.head()).isPresent()) {
        OpenLineage.RunEvent event =
            OpenLineageClientUtils.runEventFromJson(Spool.read(head.get()));
        try {
          sender.send(event);
        } catch (Exception e) {
          nextReplayNanos = System.nanoTime() + settings.replayInterval().toNanos();
          return;
        }
        spool.remove(head.get());
        replayed.incrementAndGet();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot replay the lineage spool {}: {}", spool.dir(), e.toString());
      nextReplayNanos = System.nanoTime() + settings.replayInterval().toNanos();
    }
  }

  private void spoolOrDrop(OpenLineage.RunEvent event) {
    try {
      spool.append(OpenLineageClientUtils.toJson(event));
      spooled.incrementAndGet();
    } catch (IOException | RuntimeException e) {
      dropped.incrementAndGet();
      LOG.error(
          "Lineage event LOST: cannot write it to the spool {}: {}", spool.dir(), e.toString());
    }
  }
}
