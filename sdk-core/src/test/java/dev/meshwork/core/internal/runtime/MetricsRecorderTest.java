package dev.meshwork.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Batches of runs' metrics: shared per table, written in order, never lost or left waiting. */
class MetricsRecorderTest {
  private final List<String> written = new CopyOnWriteArrayList<>();

  private void write(List<Integer> batch) {
    written.add(Thread.currentThread().getName() + " " + batch);
  }

  // A linger of an hour: the test ends in time only if awaiting and closing cut it short.
  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void itemsAddedWhileABatchLingersAreWrittenTogetherWhenSomeoneAwaitsThem() {
    MetricsRecorder recorder = new MetricsRecorder(Duration.ofHours(1));
    recorder.add("orders", 1, this::write);
    recorder.add("orders", 2, this::write);
    recorder.add("returns", 3, this::write);
    assertThat(written).isEmpty();

    recorder.awaitPending();
    assertThat(written).containsExactly("meshwork-metrics [1, 2]", "meshwork-metrics [3]");

    recorder.add("orders", 4, this::write);
    recorder.close();
    assertThat(written).endsWith("meshwork-metrics [4]");

    // After close, a late run keeps its metrics on its own thread, at once.
    recorder.add("orders", 5, this::write);
    assertThat(written).endsWith(Thread.currentThread().getName() + " [5]");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aBatchIsWrittenAfterTheLingerWithoutAnyoneWaiting() {
    MetricsRecorder recorder = new MetricsRecorder(Duration.ofMillis(50));
    recorder.add("orders", 1, this::write);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(written).containsExactly("meshwork-metrics [1]"));
    recorder.close();
  }
}
