package dev.meshwork.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Principal;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.RunEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress as a person sees it: a line per stage in a log, a progress bar on a terminal. */
class ProgressPrinterTest {
  private static final DataProduct DELIVERIES =
      DataProduct.load(Demo.Config.defaults(LocalDate.now()).meshDir().resolve("deliveries.yaml"));
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  private static RunEvent event(RunEvent.Type type, long seconds, long rows) {
    List<RunEvent.OutputInfo> outputs =
        type == RunEvent.Type.PROGRESS
            ? List.of(
                new RunEvent.OutputInfo(
                    "deliveries", null, null, null, null, null, rows, 0, 0, null, null, 0))
            : List.of();
    return new RunEvent(
        type,
        T0.plusSeconds(seconds),
        "run-1",
        DELIVERIES,
        Principal.service("test"),
        RunOptions.defaults(),
        List.of(),
        outputs,
        List.of(),
        null);
  }

  private static String print(ProgressPrinter.Terminal terminal) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressPrinter p =
        new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal)
            .expecting(java.util.Map.of("deliveries", 700_000L));
    p.onEvent(event(RunEvent.Type.START, 0, 0));
    for (int s = 1; s <= 7; s++) {
      p.onEvent(event(RunEvent.Type.PROGRESS, s, s * 100_000L));
    }
    p.onEvent(event(RunEvent.Type.COMPLETE, 8, 0));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aLogGetsALinePerStageAndAProgressLineEveryFiveSeconds() {
    assertThat(print(ProgressPrinter.Terminal.NO))
        .isEqualTo(
            "  deliveries: run started\n"
                + "  deliveries: deliveries 100,000 rows (100,000 rows/s, 1.0 s)\n"
                + "  deliveries: deliveries 600,000 rows (100,000 rows/s, 6.0 s)\n"
                + "  deliveries: published in 8000 ms\n");
  }

  @Test
  void aTerminalGetsABarFilledToTheExpectedRowsAndALineWhenTheRunEnds() {
    String out = print(ProgressPrinter.Terminal.YES);
    assertThat(out).doesNotContain("run started");
    assertThat(out)
        .as("the bar, rewritten in place, full when the run published")
        .contains("\r", "deliveries", "100%", "700000/700000 rows", "█")
        .endsWith("  deliveries: published in 8000 ms\n");
  }
}
