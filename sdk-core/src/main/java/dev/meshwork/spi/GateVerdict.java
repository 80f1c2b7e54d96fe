package dev.meshwork.spi;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a quality gate for one output: blocking failures stop the publish, warnings are
 * recorded; {@code assertions} and {@code metrics} are the detail lineage and reports show, {@code
 * summary} goes into the published snapshot's summary, {@code report} is the JSON report and {@code
 * observations} (metric name to value) are kept in the product's metrics history.
 */
public record GateVerdict(
    List<String> blockingFailures,
    List<String> warnings,
    List<AssertionResult> assertions,
    Metrics metrics,
    Map<String, String> summary,
    String report,
    Map<String, Double> observations) {

  /** Copies the collections. */
  public GateVerdict {
    blockingFailures = List.copyOf(blockingFailures);
    warnings = List.copyOf(warnings);
    assertions = List.copyOf(assertions);
    summary = summary == null ? Map.of() : Map.copyOf(summary);
    observations = observations == null ? Map.of() : Map.copyOf(observations);
  }

  /** A verdict with failures, warnings, assertions and metrics, without summary or report. */
  public GateVerdict(
      List<String> blockingFailures,
      List<String> warnings,
      List<AssertionResult> assertions,
      Metrics metrics) {
    this(blockingFailures, warnings, assertions, metrics, Map.of(), null, Map.of());
  }

  /** A verdict with failures and warnings only. */
  public GateVerdict(List<String> blockingFailures, List<String> warnings) {
    this(blockingFailures, warnings, List.of(), null);
  }

  /** A verdict with nothing to report. */
  public static GateVerdict passed() {
    return new GateVerdict(List.of(), List.of());
  }

  /** This verdict with {@code more} blocking failures added (the same when there are none). */
  public GateVerdict withBlockingFailures(List<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<String> blocking = new java.util.ArrayList<>(blockingFailures);
    blocking.addAll(more);
    return new GateVerdict(blocking, warnings, assertions, metrics, summary, report, observations);
  }

  /** Whether the output may be published. */
  public boolean allowsPublish() {
    return blockingFailures.isEmpty();
  }

  /** One checked rule: what was asserted, on which column (null: the table), and the outcome. */
  public record AssertionResult(
      String assertion,
      String column,
      boolean success,
      String severity,
      String observed,
      String expected) {}

  /** Metrics computed while the output was written. */
  public record Metrics(long rowCount, Long bytes, Map<String, ColumnMetrics> columns) {

    /** Copies the columns. */
    public Metrics {
      columns = Map.copyOf(columns);
    }
  }

  /** Metrics of one column; null where not computed. */
  public record ColumnMetrics(
      Long nullCount, Long distinctCount, Double sum, Long count, Double min, Double max) {}
}
