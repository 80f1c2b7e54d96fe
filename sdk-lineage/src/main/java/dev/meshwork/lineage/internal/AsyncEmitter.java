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
 * sent after a few tries go to a durable spool and are replayed once the backend answers again.
 *
 * <p>Order is kept, per run and overall: every event gets a sequence number when it is submitted,
 * the spool is ordered by it whichever thread wrote an entry (the pipeline thread spools overflow
 * itself), and the worker always sends the oldest event it knows of first — a spooled one older
 * than the one in hand, else the one in hand, which is spooled instead while older ones wait.
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

  /** An event and its place in the order of submission. */
  private record Pending(long sequence, OpenLineage.RunEvent event) {}

  private final BlockingQueue<Pending> queue;
  private final AtomicLong sequence;
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
    this.sequence = new AtomicLong(spool.nextSequence());
    this.worker = new Thread(this::loop, "meshwork-lineage-emitter");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /** Hands an event over; returns within {@code maxEnqueueWait} whatever the backend does. */
  public void submit(OpenLineage.RunEvent event) {
    Pending p = new Pending(sequence.getAndIncrement(), event);
    if (stopping.get()) {
      spoolOrDrop(p);
      return;
    }
    try {
      if (!queue.offer(p, settings.maxEnqueueWait().toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.warn(
            "Lineage queue is full ({} events); spooling on the pipeline thread",
            settings.queueCapacity());
        spoolOrDrop(p);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      spoolOrDrop(p);
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

  /**
   * Sends what is queued within the timeout while the backend takes events; once it has refused one
   * (the spool holds events), spools the rest at once instead of waiting, stops the worker, and
   * spools whatever is still queued.
   */
  public void close(Duration timeout) {
    if (spool.size() == 0) {
      flush(timeout);
    }
    stopping.set(true);
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(this::spoolOrDrop);
    worker.interrupt();
    try {
      // The event in the worker's hand is spooled by the worker when its send fails.
      worker.join(timeout.toMillis() + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
      Pending p;
      try {
        p =
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
        process(p);
      } catch (RuntimeException e) {
        LOG.warn("Lineage emitter error (events are kept): {}", e.toString());
        if (p != null) {
          spoolOrDrop(p);
        }
      } finally {
        busy.decrementAndGet();
      }
    }
  }

  /** Sends the spooled events older than {@code p} first, then {@code p}, keeping the order. */
  private void process(Pending p) {
    long limit = p == null ? Long.MAX_VALUE : p.sequence();
    boolean olderWait = replayIfDue(limit);
    if (p == null) {
      return;
    }
    if (olderWait) {
      spoolOrDrop(p);
      return;
    }
    if (sendWithRetries(p.event())) {
      emitted.incrementAndGet();
    } else {
      spoolOrDrop(p);
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

  /**
   * Replays spooled events older than {@code limit} when a replay is due; true when some older than
   * {@code limit} are still spooled (the backend refused, or no replay was due).
   */
  private boolean replayIfDue(long limit) {
    try {
      Optional<Path> head;
      while ((head = spool.head()).isPresent() && Spool.sequenceOf(head.get()) < limit) {
        if (System.nanoTime() < nextReplayNanos) {
          return true;
        }
        OpenLineage.RunEvent event =
            OpenLineageClientUtils.runEventFromJson(Spool.read(head.get()));
        try {
          sender.send(event);
        } catch (Exception e) {
          nextReplayNanos = System.nanoTime() + settings.replayInterval().toNanos();
          return true;
        }
        spool.remove(head.get());
        replayed.incrementAndGet();
      }
      return false;
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot replay the lineage spool {}: {}", spool.dir(), e.toString());
      nextReplayNanos = System.nanoTime() + settings.replayInterval().toNanos();
      return true;
    }
  }

  private void spoolOrDrop(Pending p) {
    try {
      spool.append(p.sequence(), OpenLineageClientUtils.toJson(p.event()));
      spooled.incrementAndGet();
    } catch (IOException | RuntimeException e) {
      dropped.incrementAndGet();
      LOG.error(
          "Lineage event LOST: cannot write it to the spool {}: {}", spool.dir(), e.toString());
    }
  }
}
