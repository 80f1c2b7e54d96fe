package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.RunEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run writing many rows tells its listeners how far it got, at most once a second by the mesh's
 * clock, between its START and its COMPLETE.
 */
class ProgressEventsTest {
  record Entry(long entryId, LocalDate day, String account, double amount) {}

  /** A clock that moves 100 ms each time it is read. */
  static final class Ticking extends Clock {
    private final AtomicLong millis =
        new AtomicLong(Instant.parse("2026-12-07T00:00:00Z").toEpochMilli());

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.addAndGet(100));
    }
  }

  @TempDir Path warehouse;

  @Test
  void aLongWriteReportsRowsSoFarAtMostOnceASecond() {
    List<RunEvent> events = new ArrayList<>();
    try (Mesh mesh =
        Mesh.builder()
            .store(IcebergStore.embedded(warehouse))
            .listener(events::add)
            .clock(new Ticking())
            .build()) {
      try (Run run =
          mesh.start(
              DataProduct.load(Path.of("src/test/resources/modes/ledger.yaml")),
              Principal.service("progress-test"))) {
        var out = run.output("entries", Entry.class);
        LongStream.range(0, 200_000)
            .forEach(i -> out.write(new Entry(i, LocalDate.of(2026, 3, 1), "a", i)));
        run.commit();
      }
    }
    assertThat(events.get(0).type()).isEqualTo(RunEvent.Type.START);
    assertThat(events.get(events.size() - 1).type()).isEqualTo(RunEvent.Type.COMPLETE);
    List<RunEvent> progress =
        events.stream().filter(e -> e.type() == RunEvent.Type.PROGRESS).toList();
    // A tick every 16,384 rows (12 in all); the clock moves 100 ms at every reading, so only the
    // ticks a second of readings apart say so.
    assertThat(progress).isNotEmpty().hasSizeLessThan(12);
    long previous = 0;
    for (RunEvent e : progress) {
      long rows = e.outputs().get(0).rows();
      assertThat(rows).isGreaterThan(previous).isLessThan(200_000);
      previous = rows;
    }
    for (int i = 1; i < progress.size(); i++) {
      assertThat(
              java.time.Duration.between(progress.get(i - 1).time(), progress.get(i).time())
                  .toMillis())
          .isGreaterThanOrEqualTo(1000);
    }
  }
}
