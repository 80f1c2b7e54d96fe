package dev.meshwork.samples;

import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.RunListener;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows runs under way: on a terminal a progress bar per run (drawn by the progressbar library:
 * rows written against the rows expected, rows per port, rate and time left; without an expected
 * count it shows rows and rate), elsewhere (a log, CI) a line per stage and a progress line every
 * five seconds. Colours only on a terminal and without {@code NO_COLOR}.
 */
public final class ProgressPrinter implements RunListener {
  private final PrintStream out;
  private final boolean terminal;
  private final Map<String, Long> expected;
  private final Map<String, Instant> started = new ConcurrentHashMap<>();
  private final Map<String, Instant> printed = new ConcurrentHashMap<>();
  private final Map<String, ProgressBar> bars = new ConcurrentHashMap<>();

  /** Prints to {@code out}; {@code terminal} when it is one (a progress bar per run). */
  public ProgressPrinter(PrintStream out, Terminal terminal) {
    this(out, terminal == Terminal.YES, Map.of());
  }

  private ProgressPrinter(PrintStream out, boolean terminal, Map<String, Long> expected) {
    this.out = out;
    this.terminal = terminal;
    this.expected = Map.copyOf(expected);
  }

  /** This printer, with the rows each product's run is expected to write (its bar's 100 %). */
  public ProgressPrinter expecting(Map<String, Long> rowsByProduct) {
    return new ProgressPrinter(out, terminal, rowsByProduct);
  }

  /** Whether the output is a terminal. */
  public enum Terminal {
    YES,
    NO;

    /** This process's: a terminal when it has a console. */
    public static Terminal ofThisProcess() {
      return System.console() != null ? YES : NO;
    }
  }

  @Override
  public void onEvent(RunEvent e) {
    String product = e.product().displayName();
    switch (e.type()) {
      case START -> {
        started.put(e.runId(), e.time());
        if (terminal) {
          bars.put(e.runId(), bar(product));
        } else {
          out.println("  " + product + ": run started");
        }
      }
      case PROGRESS -> {
        Instant first = started.getOrDefault(e.runId(), e.time());
        double seconds = Math.max(0.001, Duration.between(first, e.time()).toMillis() / 1000.0);
        StringBuilder line = new StringBuilder("  " + product + ":");
        long total = 0;
        for (RunEvent.OutputInfo o : e.outputs()) {
          line.append(String.format(Locale.ROOT, " %s %,d rows", o.port(), o.rows()));
          total += o.rows();
        }
        line.append(
            String.format(Locale.ROOT, " (%,.0f rows/s, %.1f s)", total / seconds, seconds));
        ProgressBar bar = bars.get(e.runId());
        if (bar != null) {
          if (bar.getMax() > 0 && total > bar.getMax()) {
            bar.maxHint(total);
          }
          bar.stepTo(total);
          // The rows per port, when there is more than one (the bar counts them all).
          if (e.outputs().size() > 1) {
            StringBuilder ports = new StringBuilder();
            for (RunEvent.OutputInfo o : e.outputs()) {
              ports.append(String.format(Locale.ROOT, " %s %,d", o.port(), o.rows()));
            }
            bar.setExtraMessage(ports.toString().strip());
          }
        } else if (!terminal) {
          Instant last = printed.get(e.runId());
          if (last == null || Duration.between(last, e.time()).toSeconds() >= 5) {
            printed.put(e.runId(), e.time());
            out.println(line);
          }
        }
      }
      case COMPLETE, FAIL, ABORT -> {
        ProgressBar bar = bars.remove(e.runId());
        if (bar != null) {
          if (e.type() == RunEvent.Type.COMPLETE && bar.getMax() > 0) {
            bar.stepTo(bar.getMax());
          }
          bar.close();
        }
        Instant first = started.remove(e.runId());
        printed.remove(e.runId());
        long ms = first == null ? 0 : Duration.between(first, e.time()).toMillis();
        String end =
            switch (e.type()) {
              case COMPLETE -> "published in " + ms + " ms";
              case FAIL -> "failed after " + ms + " ms";
              default -> "closed without publishing";
            };
        out.println("  " + product + ": " + end);
        out.flush();
      }
    }
  }

  private ProgressBar bar(String product) {
    boolean colour = dev.meshwork.core.Settings.fromEnvironment().variable("NO_COLOR").isEmpty();
    return new ProgressBarBuilder()
        .setTaskName("  " + product)
        .setInitialMax(expected.getOrDefault(product, -1L))
        .setUnit(" rows", 1)
        .showSpeed()
        .setStyle(colour ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.UNICODE_BLOCK)
        .setConsumer(new ConsoleProgressBarConsumer(out))
        .setUpdateIntervalMillis(200)
        .build();
  }

  @Override
  public String toString() {
    return "progress on the console";
  }
}
