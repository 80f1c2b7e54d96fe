package dev.meshwork.lineage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openlineage.client.OpenLineage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emitter keeps the order of events through queue overflow, failures and the spool. */
class AsyncEmitterTest {
  private static final OpenLineage OL = new OpenLineage(URI.create("https://meshwork.dev/test"));

  @TempDir Path spool;

  private static OpenLineage.RunEvent event(UUID run, int n) {
    return OL.newRunEventBuilder()
        .eventType(OpenLineage.RunEvent.EventType.OTHER)
        .eventTime(ZonedDateTime.parse("2026-12-03T00:00:00Z").plusSeconds(n))
        .run(OL.newRunBuilder().runId(run).build())
        .job(OL.newJobBuilder().namespace("test").name("job-" + n).build())
        .build();
  }

  private static List<String> names(List<OpenLineage.RunEvent> events) {
    return events.stream().map(e -> e.getJob().getName()).toList();
  }

  @Test
  void eventsSpooledOnOverflowDoNotOvertakeEventsStillQueued() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<OpenLineage.RunEvent> sent = new CopyOnWriteArrayList<>();
    AsyncEmitter.Sender slowFirst =
        e -> {
          if (sent.isEmpty()) {
            release.await(10, TimeUnit.SECONDS);
          }
          sent.add(e);
        };
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    List<String> submitted = new ArrayList<>();
    try (AsyncEmitter emitter =
        new AsyncEmitter(
            slowFirst,
            spool,
            new AsyncEmitter.Settings(
                2, Duration.ofMillis(1), 1, Duration.ZERO, Duration.ofMillis(50)))) {
      for (int i = 0; i < 12; i++) {
        OpenLineage.RunEvent e = event(i % 2 == 0 ? a : b, i);
        emitter.submit(e);
        submitted.add(e.getJob().getName());
      }
      // The worker holds the first, two wait in the queue, the rest overflowed to the spool.
      assertThat(emitter.counters().spooled()).isGreaterThanOrEqualTo(8);
      release.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> sent.size() == 12);
      assertThat(emitter.flush(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(names(sent)).containsExactlyElementsOf(submitted);
  }

  @Test
  void afterAnOutageEveryEventArrivesOnceInSubmissionOrder() throws Exception {
    List<OpenLineage.RunEvent> sent = new CopyOnWriteArrayList<>();
    boolean[] down = {true};
    AsyncEmitter.Sender flaky =
        e -> {
          if (down[0]) {
            throw new java.io.IOException("backend down");
          }
          sent.add(e);
        };
    UUID run = UUID.randomUUID();
    List<String> submitted = new ArrayList<>();
    try (AsyncEmitter emitter =
        new AsyncEmitter(
            flaky,
            spool,
            new AsyncEmitter.Settings(
                3, Duration.ofMillis(1), 2, Duration.ofMillis(1), Duration.ofMillis(30)))) {
      for (int i = 0; i < 30; i++) {
        OpenLineage.RunEvent e = event(run, i);
        emitter.submit(e);
        submitted.add(e.getJob().getName());
        if (i == 15) {
          down[0] = false;
        }
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> sent.size() == 30);
    }
    assertThat(names(sent)).containsExactlyElementsOf(submitted);
  }
}
