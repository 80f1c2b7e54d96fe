package dev.meshwork.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Renders JMH JSON results as a Markdown table (rows/s, error, ratio to baseline-iceberg of the
 * same codec, allocation per row) and a PNG bar chart of rows/s per benchmark and codec.
 *
 * <p>Usage: {@code ReportMain <write-path.json> <commit.json> <RESULTS.md> <chart.png> <machine>
 * [policy.json] [object-store.json]}.
 */
public final class ReportMain {
  private ReportMain() {}

  /** One measured benchmark. */
  record Row(
      String benchmark, String codec, double score, double error, String unit, Double allocPerOp) {}

  /** Renders the report. */
  public static void main(String[] args) throws IOException {
    if (args.length < 5) {
      System.err.println(
          "usage: ReportMain <write-path.json> <commit.json> <RESULTS.md> <chart.png> <machine description>");
      System.exit(2);
    }
    List<Row> write = read(Path.of(args[0]));
    List<Row> commit = Files.exists(Path.of(args[1])) ? read(Path.of(args[1])) : List.of();
    List<Row> policy =
        args.length > 5 && Files.exists(Path.of(args[5])) ? read(Path.of(args[5])) : List.of();
    List<Row> objectStore =
        args.length > 6 && Files.exists(Path.of(args[6])) ? read(Path.of(args[6])) : List.of();
    List<Row> spark =
        args.length > 7 && Files.exists(Path.of(args[7])) ? read(Path.of(args[7])) : List.of();
    List<Row> flink =
        args.length > 8 && Files.exists(Path.of(args[8])) ? read(Path.of(args[8])) : List.of();
    Files.writeString(
        Path.of(args[2]),
        markdown(write, commit, args[4], Path.of(args[3]).getFileName().toString())
            + policyTable(policy)
            + objectStoreTable(objectStore)
            + engineTable(
                "Spark `local[2]`: 1,000,000 deliveries in 4 tasks, Meshwork parts against Spark's own"
                    + " Iceberg writer (`SparkWriteBenchmark`, profile `spark`)",
                spark,
                "meshworkParts",
                "sparkIcebergWriter")
            + engineTable(
                "Flink mini cluster: the telemetry job at 1 s checkpoints, and one checkpoint's commit"
                    + " (`FlinkCheckpointBenchmark`, profile `flink`)",
                flink,
                null,
                null));
    chart(write, Path.of(args[3]));
    System.out.println("Wrote " + args[2] + " and " + args[3]);
  }

  static List<Row> read(Path json) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (JsonNode b : new ObjectMapper().readTree(json.toFile())) {
      String name = b.path("benchmark").asText();
      name = name.substring(name.lastIndexOf('.') + 1);
      String codec = b.path("params").path("codec").asText(b.path("params").path("io").asText("-"));
      JsonNode m = b.path("primaryMetric");
      Double alloc = null;
      JsonNode norm = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
      if (!norm.isMissingNode()) {
        alloc = norm.path("score").asDouble();
      }
      rows.add(
          new Row(
              name,
              codec,
              m.path("score").asDouble(),
              m.path("scoreError").asDouble(),
              m.path("scoreUnit").asText(),
              alloc));
      if (b.path("mode").asText().equals("sample")) {
        JsonNode p = m.path("scorePercentiles");
        rows.add(
            new Row(
                name + " p50",
                codec,
                p.path("50.0").asDouble(),
                0,
                m.path("scoreUnit").asText(),
                null));
        rows.add(
            new Row(
                name + " p99",
                codec,
                p.path("99.0").asDouble(),
                0,
                m.path("scoreUnit").asText(),
                null));
      }
    }
    return rows;
  }

  static String label(String benchmark) {
    return switch (benchmark) {
      case "baselineIceberg" -> "baseline-iceberg";
      case "baselineParquet" -> "baseline-parquet";
      case "meshworkRecords" -> "meshwork-records";
      case "meshworkRecordsOneThread" -> "meshwork-records (one thread)";
      case "meshworkWithLineage" -> "meshwork-records + lineage (file)";
      case "meshworkArrow" -> "meshwork-arrow";
      case "meshworkWithQuality" -> "meshwork-records + 10-rule quality suite";
      case "meshworkWithPolicy" -> "meshwork-records + policy (grants, governance, decision log)";
      case "codecAlone" -> "the codec alone over Meshwork's encoded pages (one thread)";
      default -> benchmark;
    };
  }

  static String markdown(List<Row> write, List<Row> commit, String machine, String chartName) {
    StringBuilder md = new StringBuilder("# Benchmark results\n\n");
    md.append("Machine: ").append(machine).append("\n\n");
    md.append(
            "Produced by `bench/run` (JMH, two forks of 2 warm-up and 5 measured iterations each; ± is JMH's 99.9 % confidence error, and a row whose error exceeds 15 % of its score is marked *noisy*). Rows/s of writing and publishing ")
        .append(
            "1,000,000 seeded rows of the 11-column benchmark table; ratios are against baseline-iceberg with the same codec, ")
        .append(
            "in the same run. Allocation is bytes per row from `-prof gc`. Meshwork compresses pages on ")
        .append(
            "another core while it encodes (its default); \"(one thread)\" keeps everything on the ")
        .append(
            "writer's thread (`-Dmeshwork.parquet.compression-threads=0`). The baselines use one thread. ")
        .append(
            "Every table is on the embedded warehouse (SQLite catalog, local files through the same FileIO for ")
        .append(
            "the baseline and Meshwork), and each invocation's data files are deleted after it, outside the ")
        .append(
            "measurement (on this VM, writing to memory the guest has not used lately is several times slower).\n\n");
    md.append(
        "| benchmark | codec | rows/s | ± error | ratio vs baseline-iceberg | alloc B/row |\n|---|---|---:|---:|---:|---:|\n");
    Map<String, Double> baseline = new LinkedHashMap<>();
    write.stream()
        .filter(r -> r.benchmark().equals("baselineIceberg"))
        .forEach(r -> baseline.put(r.codec(), r.score()));
    for (Row r : write) {
      Double base = baseline.get(r.codec());
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,.0f | %,.0f%s | %s | %s |%n",
              label(r.benchmark()),
              r.codec(),
              r.score(),
              r.error(),
              noisy(r) ? " *noisy*" : "",
              base == null ? "-" : String.format(Locale.ROOT, "%.2f×", r.score() / base),
              r.allocPerOp() == null ? "-" : String.format(Locale.ROOT, "%.0f", r.allocPerOp())));
    }
    if (!commit.isEmpty()) {
      md.append(
          "\nCommit latency of a small append (100 rows) on the embedded SQLite catalog:\n\n| benchmark | ms | ± error |\n|---|---:|---:|\n");
      for (Row r : commit) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %.2f | %s |%n",
                r.benchmark(),
                r.score(),
                r.error() == 0
                    ? "-"
                    : String.format(Locale.ROOT, "%.2f%s", r.error(), noisy(r) ? " *noisy*" : "")));
      }
    }
    md.append(targets(write));
    md.append("\n![rows per second](").append(chartName).append(")\n");
    return md.toString();
  }

  /** Whether a row's 99.9 % error exceeds 15 % of its score (or is unknown). */
  static boolean noisy(Row r) {
    return !(r.error() <= 0.15 * Math.abs(r.score()));
  }

  /**
   * A figure of this run and the range its rows' errors allow: a target is met only when the whole
   * range meets it, missed only when none of it does, and unclear otherwise.
   */
  record Figure(double value, double low, double high) {
    /** {@code a / b}, from the lowest to the highest ratio the errors allow. */
    static Figure ratio(Row a, Row b) {
      double low = (a.score() - a.error()) / (b.score() + b.error());
      double high =
          b.score() - b.error() > 0
              ? (a.score() + a.error()) / (b.score() - b.error())
              : Double.POSITIVE_INFINITY;
      return new Figure(a.score() / b.score(), low, high);
    }

    /** The extra time per row, in percent, of {@code slower} against {@code faster} (rows/s). */
    static Figure overhead(Row faster, Row slower) {
      Figure r = ratio(faster, slower);
      return new Figure(100 * (r.value() - 1), 100 * (r.low() - 1), 100 * (r.high() - 1));
    }

    String atLeast(double target) {
      return low >= target ? "yes" : high < target ? "no" : "unclear";
    }

    String atMost(double target) {
      return high <= target ? "yes" : low > target ? "no" : "unclear";
    }
  }

  /** The targets, each with the figure of this run and whether it is met. */
  static String targets(List<Row> write) {
    StringBuilder md =
        new StringBuilder(
            "\nTargets (ratios within this run; met only when the whole range the errors allow meets"
                + " the target, unclear when only part of it does):\n\n"
                + "| target | codec | figure | range | met |\n|---|---|---:|---:|---|\n");
    for (String codec : write.stream().map(Row::codec).distinct().toList()) {
      Row base = row(write, "baselineIceberg", codec);
      Row parquet = row(write, "baselineParquet", codec);
      Row records = row(write, "meshworkRecords", codec);
      Row arrow = row(write, "meshworkArrow", codec);
      Row quality = row(write, "meshworkWithQuality", codec);
      Row lineage = row(write, "meshworkWithLineage", codec);
      Row oneThread = row(write, "meshworkRecordsOneThread", codec);
      if (base != null && records != null) {
        Figure f = Figure.ratio(records, base);
        target(md, "meshwork-records ≥ 2.0× baseline-iceberg", codec, f, "%.2f×", f.atLeast(2.0));
      }
      if (base != null && oneThread != null) {
        Figure f = Figure.ratio(oneThread, base);
        target(
            md,
            "same, compression on the writer's thread (one core) ≥ 2.0× baseline-iceberg",
            codec,
            f,
            "%.2f×",
            f.atLeast(2.0));
      }
      if (parquet != null && records != null) {
        Figure f = Figure.ratio(records, parquet);
        target(
            md,
            "stretch: meshwork-records ≥ 2.0× baseline-parquet",
            codec,
            f,
            "%.2f×",
            f.atLeast(2.0));
      }
      if (base != null && arrow != null) {
        Figure f = Figure.ratio(arrow, base);
        target(md, "meshwork-arrow ≥ 3.0× baseline-iceberg", codec, f, "%.2f×", f.atLeast(3.0));
      }
      Row codecAlone = row(write, "codecAlone", codec);
      if (base != null && codecAlone != null) {
        md.append(
            String.format(
                Locale.ROOT,
                "| (for arrow 3×: the codec alone takes %.0f ms of one core per million rows; 3×"
                    + " baseline-iceberg leaves %.0f ms per million rows for everything — encoding,"
                    + " compressing, closing the file, committing) | %s | - | - | - |%n",
                1e9 / codecAlone.score(),
                1e9 / (3 * base.score()),
                codec));
      }
      if (records != null && quality != null) {
        Figure f = Figure.overhead(records, quality);
        target(
            md,
            "10-rule quality suite adds ≤ 15 % (time per row)",
            codec,
            f,
            "%+.0f %%",
            f.atMost(15));
      }
      if (records != null && lineage != null) {
        Figure f = Figure.overhead(records, lineage);
        target(
            md, "lineage to a file adds ≤ 2 % (time per row)", codec, f, "%+.0f %%", f.atMost(2));
      }
      if (records != null && records.allocPerOp() != null) {
        double a = records.allocPerOp();
        target(
            md,
            "meshwork-records allocates ≤ 64 B/row",
            codec,
            new Figure(a, a, a),
            "%.0f B/row",
            a <= 64 ? "yes" : "no");
      }
    }
    return md.toString();
  }

  private static Row row(List<Row> rows, String benchmark, String codec) {
    return rows.stream()
        .filter(r -> r.benchmark().equals(benchmark) && r.codec().equals(codec))
        .findFirst()
        .orElse(null);
  }

  private static void target(
      StringBuilder md, String what, String codec, Figure f, String format, String met) {
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | " + format + " | " + format + " … " + format + " | %s |%n",
            what,
            codec,
            f.value(),
            f.low(),
            f.high(),
            met));
  }

  /**
   * The rows of an engine's benchmark with their errors, and the ratio of {@code mine} to {@code
   * theirs} with the range the errors allow when both are given.
   */
  static String engineTable(String title, List<Row> rows, String mine, String theirs) {
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder md =
        new StringBuilder(
            "\n" + title + ":\n\n| benchmark | score | unit | ± error |\n|---|---:|---|---:|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.1f | %s | %s |%n",
              r.benchmark(),
              r.score(),
              r.unit(),
              r.error() == 0
                  ? "-"
                  : String.format(Locale.ROOT, "%,.1f%s", r.error(), noisy(r) ? " *noisy*" : "")));
    }
    Row a = mine == null ? null : row(rows, mine, "-");
    Row b = theirs == null ? null : row(rows, theirs, "-");
    if (a != null && b != null) {
      Figure f = Figure.ratio(a, b);
      md.append(
          String.format(
              Locale.ROOT,
              "%n%s / %s in the same run: %.2f× (%.2f× … %.2f× within the errors)%n",
              mine,
              theirs,
              f.value(),
              f.low(),
              f.high()));
    }
    return md.toString();
  }

  static String policyTable(List<Row> policy) {
    if (policy.isEmpty()) {
      return "";
    }
    StringBuilder md =
        new StringBuilder(
            "\nBuilt-in policy decisions (a READ with a CEL condition, a usage contract, a mask and a"
                + " row filter), per second on one thread:\n\n| benchmark | decisions/s | ± error |\n"
                + "|---|---:|---:|\n");
    for (Row r : policy) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f%s |%n",
              r.benchmark(),
              r.score(),
              r.error(),
              noisy(r) ? " *noisy*" : ""));
    }
    return md.toString();
  }

  static String objectStoreTable(List<Row> rows) {
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder md =
        new StringBuilder(
            "\nPublishing 200,000 rows to an S3 warehouse on S3Proxy (file-system backend, same JVM,"
                + " 127.0.0.1), by object-store path:\n\n| path | rows/s | ± error |\n|---|---:|---:|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f%s |%n",
              r.codec(),
              r.score(),
              r.error(),
              noisy(r) ? " *noisy*" : ""));
    }
    return md.toString();
  }

  /** A bar's label: the table's longer explanations in parentheses are dropped, then the codec. */
  private static String chartLabel(Row r) {
    return label(r.benchmark()).replaceAll(" \\([^)]{16,}\\)", "") + " [" + r.codec() + "]";
  }

  static void chart(List<Row> all, Path png) throws IOException {
    // The codec alone is a floor under the write paths, not one of them; it stays in the table.
    List<Row> rows = all.stream().filter(r -> !r.benchmark().equals("codecAlone")).toList();
    int barH = 26;
    Font labels = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    List<String> names = rows.stream().map(ReportMain::chartLabel).toList();
    // The bars start right of the widest label, measured in the font it is drawn in.
    Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    int widest = names.stream().mapToInt(probe.getFontMetrics(labels)::stringWidth).max().orElse(0);
    probe.dispose();
    int left = 10 + widest + 12;
    int width = left + 670;
    int height = 60 + rows.size() * (barH + 8);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("Rows per second (higher is better)", 20, 28);
    double max = rows.stream().mapToDouble(Row::score).max().orElse(1);
    g.setFont(labels);
    int y = 50;
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      g.setColor(Color.DARK_GRAY);
      g.drawString(names.get(i), 10, y + 18);
      int w = (int) ((width - left - 120) * r.score() / max);
      g.setColor(
          r.benchmark().startsWith("baseline")
              ? new Color(150, 150, 150)
              : new Color(40, 110, 200));
      g.fillRect(left, y, w, barH);
      g.setColor(Color.DARK_GRAY);
      g.setStroke(new BasicStroke(1));
      g.drawString(String.format(Locale.ROOT, "%,.0f", r.score()), left + w + 6, y + 18);
      y += barH + 8;
    }
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }
}
