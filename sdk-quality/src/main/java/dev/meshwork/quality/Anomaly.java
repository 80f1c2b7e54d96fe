package dev.meshwork.quality;

import java.util.List;
import java.util.Locale;

/**
 * How far a metric may move from its history: against the previous run (absolute or relative
 * change) or against the mean of the last runs (in standard deviations).
 */
public record Anomaly(Kind kind, double limit, int runs) {

  /** The kinds of comparison. */
  public enum Kind {
    ABSOLUTE_CHANGE,
    RELATIVE_CHANGE,
    STANDARD_DEVIATIONS
  }

  /** Validates the limit and the number of runs. */
  public Anomaly {
    if (limit < 0 || Double.isNaN(limit)) {
      throw new IllegalArgumentException(
          "anomaly limit must be zero or positive, but was " + limit);
    }
    if (runs < 1) {
      throw new IllegalArgumentException("anomaly runs must be at least 1, but was " + runs);
    }
  }

  /** At most {@code maxDelta} away from the previous run's value. */
  public static Anomaly absoluteChange(double maxDelta) {
    return new Anomaly(Kind.ABSOLUTE_CHANGE, maxDelta, 1);
  }

  /** At most {@code maxFraction} (0.5 = 50%) away from the previous run's value. */
  public static Anomaly relativeChange(double maxFraction) {
    return new Anomaly(Kind.RELATIVE_CHANGE, maxFraction, 1);
  }

  /**
   * Within {@code k} standard deviations of the mean of the last {@code runs} runs (at least 2
   * needed).
   */
  public static Anomaly withinStandardDeviations(double k, int runs) {
    return new Anomaly(Kind.STANDARD_DEVIATIONS, k, runs);
  }

  /**
   * Whether {@code current} is normal given {@code history} (newest first); true without enough
   * history.
   */
  public boolean accepts(double current, List<Double> history) {
    if (history.isEmpty() || kind == Kind.STANDARD_DEVIATIONS && history.size() < 2) {
      return true;
    }
    double previous = history.get(0);
    return switch (kind) {
      case ABSOLUTE_CHANGE -> Math.abs(current - previous) <= limit;
      case RELATIVE_CHANGE ->
          previous == 0 ? current == 0 : Math.abs(current - previous) / Math.abs(previous) <= limit;
      case STANDARD_DEVIATIONS -> {
        List<Double> window = history.subList(0, Math.min(runs, history.size()));
        double mean = window.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double var =
            window.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (window.size() - 1);
        double sd = Math.sqrt(var);
        yield sd == 0 ? current == mean : Math.abs(current - mean) <= limit * sd;
      }
    };
  }

  /** A readable description of the rule on a metric. */
  public String describe(String metric) {
    return switch (kind) {
      case ABSOLUTE_CHANGE ->
          metric + " changes by at most " + Threshold.num(limit) + " from the previous run";
      case RELATIVE_CHANGE ->
          metric
              + " changes by at most "
              + String.format(Locale.ROOT, "%.0f%%", limit * 100)
              + " from the previous run";
      case STANDARD_DEVIATIONS ->
          metric
              + " is within "
              + Threshold.num(limit)
              + " standard deviations of the last "
              + runs
              + " runs";
    };
  }
}
