package dev.meshwork.quality.internal;

import dev.meshwork.quality.Measure;

/** The numeric bounds of an invalid-values check, tested without boxing. */
final class Bounds {
  private final boolean hasMin;
  private final boolean hasMax;
  private final double min;
  private final double max;
  private final boolean exclusiveMin;
  private final boolean exclusiveMax;

  private Bounds(Measure.InvalidValues m) {
    this.hasMin = m.minimum() != null;
    this.hasMax = m.maximum() != null;
    this.min = hasMin ? m.minimum() : 0;
    this.max = hasMax ? m.maximum() : 0;
    this.exclusiveMin = m.exclusiveMinimum();
    this.exclusiveMax = m.exclusiveMaximum();
  }

  /** The bounds of {@code m}, or null when it has none. */
  static Bounds of(Measure.InvalidValues m) {
    return m.minimum() == null && m.maximum() == null ? null : new Bounds(m);
  }

  /** Whether {@code d} lies within the bounds. */
  boolean test(double d) {
    if (hasMin && (exclusiveMin ? d <= min : d < min)) {
      return false;
    }
    return !hasMax || (exclusiveMax ? d < max : d <= max);
  }
}
