package dev.meshwork.samples;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.Settings;
import dev.meshwork.lineage.LineageTrail;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The main demo job. Options: {@code --batch YYYY-MM-DD} (default today, UTC), {@code --rows N}
 * (rows per source product, default 600000), {@code --warehouse DIR} (default {@code ./warehouse}),
 * {@code --lineage} (print the lineage graph of the runs so far instead of running), {@code
 * --restate} (after the batch, restate its deliveries with late confirmations and re-derive its
 * statistics), {@code --erase EMAIL} (erase one customer from the demo mesh instead of running, and
 * print the report).
 */
public final class DemoMain {
  private DemoMain() {}

  /** Runs the demo and prints the summary. */
  public static void main(String[] args) {
    LocalDate batch = LocalDate.now(Clock.systemUTC());
    int rows = 600_000;
    boolean showLineage = false;
    boolean restate = false;
    String erase = null;
    Settings settings = Settings.fromEnvironment();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--batch" -> batch = LocalDate.parse(value(args, ++i, "--batch"));
        case "--rows" -> rows = Integer.parseInt(value(args, ++i, "--rows"));
        case "--warehouse" ->
            settings = settings.with(Settings.WAREHOUSE, value(args, ++i, "--warehouse"));
        case "--lineage" -> showLineage = true;
        case "--restate" -> restate = true;
        case "--erase" -> erase = value(args, ++i, "--erase");
        default -> {
          System.err.println(
              "Unknown option "
                  + args[i]
                  + "; use --batch YYYY-MM-DD, --rows N, --warehouse DIR, --lineage, --restate,"
                  + " --erase EMAIL");
          System.exit(2);
        }
      }
    }
    if (showLineage) {
      LineageTrail.read(settings.localFolder().resolve("lineage/openlineage.jsonl"))
          .print(System.out);
      return;
    }
    Demo.Config config = new Demo.Config(MeshFiles.locate(), batch, rows, rows);
    long start = System.nanoTime();
    Path decisionLog = settings.localFolder().resolve("policy/decision-log.jsonl");
    try (Mesh mesh =
        Mesh.builder()
            .settings(settings)
            .policy(Demo.policies(config, decisionLog))
            // Progress on stderr, beside the lineage file and the product pages found as always.
            .listener(
                new ProgressPrinter(System.err, ProgressPrinter.Terminal.ofThisProcess())
                    .expecting(
                        java.util.Map.of(
                            "deliveries", (long) config.deliveries(),
                            "drone-telemetry", (long) config.telemetry())))
            .discover(Mesh.Component.STORE, Mesh.Component.LISTENERS, Mesh.Component.QUALITY_GATE)
            .build()) {
      if (erase != null) {
        System.out.print(Demo.erase(mesh, config, erase).describe());
        System.out.println("Policy decisions are logged to " + decisionLog);
        return;
      }
      List<Demo.ProductRun> runs = Demo.run(mesh, config);
      if (restate) {
        runs.addAll(Demo.restate(mesh, config));
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      Optional<String> denied = Demo.tryMarketingRead(mesh, config);
      print(System.out, mesh.store().describe(), batch, runs, millis);
      Demo.describeReaders(settings, config);
      denied.ifPresent(
          d ->
              System.out.println("Policy: the same consumer asking for purpose 'marketing': " + d));
      System.out.println("Policy decisions are logged to " + decisionLog);
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /** Prints one line per published output, then where the data is. */
  static void print(
      PrintStream out,
      String store,
      LocalDate batch,
      List<Demo.ProductRun> runs,
      long totalMillis) {
    out.println();
    out.println("Meshwork demo, batch " + batch);
    out.printf(
        Locale.ROOT,
        "%-22s %-22s %-50s %20s %10s %6s %10s %8s%n",
        "product",
        "port",
        "table",
        "snapshot",
        "rows",
        "files",
        "bytes",
        "time");
    for (Demo.ProductRun r : runs) {
      for (RunResult.Output o : r.result().outputs()) {
        out.printf(
            Locale.ROOT,
            "%-22s %-22s %-50s %20d %,10d %6d %10s %6.1f s%s%n",
            r.product(),
            o.port(),
            o.table(),
            o.version(),
            o.rows(),
            o.files(),
            bytes(o.bytes()),
            r.millis() / 1000.0,
            o.alreadyPublished()
                ? "  (already published by this batch's run: nothing appended)"
                : o.mode() instanceof dev.meshwork.core.WriteMode.Append
                    ? ""
                    : String.format(
                        Locale.ROOT, "  (%s: %,d rows replaced)", o.mode(), o.removedRows()));
      }
      for (RunResult.Output o : r.result().outputs()) {
        if (o.quality() != null) {
          out.printf(
              Locale.ROOT,
              "%-22s   quality of %s: %s, %d warning(s)%s%n",
              "",
              o.port(),
              o.quality().allowsPublish() ? "passed" : "FAILED",
              o.quality().warnings().size(),
              o.quarantined() > 0 ? ", " + o.quarantined() + " rows quarantined" : "");
          o.quality()
              .warnings()
              .forEach(w -> out.printf(Locale.ROOT, "%-22s     warning: %s%n", "", w));
        }
      }
      r.notes().forEach(n -> out.printf(Locale.ROOT, "%-22s   %s%n", "", n));
      for (RunResult.Input i : r.result().inputs()) {
        out.printf(
            Locale.ROOT,
            "%-22s   reads %-14s %s %s: %,d rows (%s)%n",
            "",
            i.port(),
            i.table(),
            i.appendedAfter() == null
                ? "at snapshot " + i.version()
                : "after snapshot " + i.appendedAfter() + " up to " + i.version(),
            i.rows(),
            i.read());
      }
    }
    out.printf(Locale.ROOT, "Total %.1f s. Store: %s%n", totalMillis / 1000.0, store);
    out.println(
        "Run again with the same --batch to see an idempotent rerun; use another --batch to append a day.");
  }

  private static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    if (b < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
  }
}
