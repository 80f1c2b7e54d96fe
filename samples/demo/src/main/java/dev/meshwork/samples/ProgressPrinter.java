package dev.meshwork.samples;

import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.RunListener;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shows runs under way: on a terminal one status line rewritten in place (rows per output port and
 * the rate), elsewhere (a log, CI) a line per stage and a progress line every five seconds.
 */
public final class ProgressPrinter implements RunListener {
  private final PrintStream out;
  private final boolean terminal;
  private final Map<String, Instant> started = new ConcurrentHashMap<>();
  private final Map<String, Instant> printed = new ConcurrentHashMap<>();

  /** Prints to {@code out}; {@code terminal} when it is one (a line rewritten in place). */
  public ProgressPrinter(PrintStream out, Terminal terminal) {
    this.out = out;
    this.terminal = terminal == Terminal.YES;
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
        if (!terminal) {
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
        if (terminal) {
          out.print("\r" + line + "   ");
          out.flush();
        } else {
          Instant last = printed.get(e.runId());
          if (last == null || Duration.between(last, e.time()).toSeconds() >= 5) {
            printed.put(e.runId(), e.time());
            out.println(line);
          }
        }
      }
      case COMPLETE, FAIL, ABORT -> {
        Instant first = started.remove(e.runId());
        printed.remove(e.runId());
        long ms = first == null ? 0 : Duration.between(first, e.time()).toMillis();
        String end =
            switch (e.type()) {
              case COMPLETE -> "published in " + ms + " ms";
              case FAIL -> "failed after " + ms + " ms";
              default -> "closed without publishing";
            };
        out.print(
            (terminal ? "\r" : "")
                + "  "
                + product
                + ": "
                + end
                + (terminal ? "          \n" : "\n"));
        out.flush();
      }
    }
  }

  @Override
  public String toString() {
    return "progress on the console";
  }
}
