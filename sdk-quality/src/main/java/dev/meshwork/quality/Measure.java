package dev.meshwork.quality;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a {@link Check} measures: a closed family with one type per kind of check, each holding only
 * the values its kind needs. Code that treats kinds differently implements {@link Visitor}, so a
 * new kind cannot be forgotten:
 *
 * <pre>{@code
 * String metric = check.measure().accept(new Measure.Visitor<String>() { ... });
 * }</pre>
 */
public sealed interface Measure
    permits Measure.NullValues,
        Measure.MissingValues,
        Measure.InvalidValues,
        Measure.DuplicateValues,
        Measure.RowCount,
        Measure.Freshness,
        Measure.RowPredicate,
        Measure.RowExpression,
        Measure.MetricExpression,
        Measure.AnomalyOf,
        Measure.Reference,
        Measure.NotExecutable {

  /**
   * The kind's stable name in quality reports ({@code NULL_VALUES}, {@code INVALID_VALUES}, …); its
   * lower-case, hyphenated form starts default check ids.
   */
  String kind();

  /** What a check of this measure over {@code columns} asserts, for reports. */
  String describe(List<String> columns);

  /** The threshold a check of this measure meets unless it says otherwise. */
  default Threshold defaultThreshold() {
    return Threshold.mustBe(0);
  }

  /** Calls the visitor's method for this kind. */
  <R> R accept(Visitor<R> visitor);

  /** One method per kind of measure. */
  interface Visitor<R> {
    /** Nulls. */
    R nullValues(NullValues m);

    /** Nulls and missing values. */
    R missingValues(MissingValues m);

    /** Invalid values. */
    R invalidValues(InvalidValues m);

    /** Duplicates. */
    R duplicateValues(DuplicateValues m);

    /** The row count. */
    R rowCount(RowCount m);

    /** The newest value's age. */
    R freshness(Freshness m);

    /** Rows failing a Java predicate. */
    R rowPredicate(RowPredicate m);

    /** Rows failing a CEL expression. */
    R rowExpression(RowExpression m);

    /** A CEL expression over metrics. */
    R metricExpression(MetricExpression m);

    /** A metric compared with its history. */
    R anomaly(AnomalyOf m);

    /** Values without a match in an input. */
    R reference(Reference m);

    /** A rule that is reported, not run. */
    R notExecutable(NotExecutable m);
  }

  private static String on(List<String> columns) {
    return columns.isEmpty() ? "" : " " + String.join(", ", columns);
  }

  /** Rows whose column is null. */
  record NullValues() implements Measure {
    @Override
    public String kind() {
      return "NULL_VALUES";
    }

    @Override
    public String describe(List<String> columns) {
      return "nulls in" + on(columns);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.nullValues(this);
    }
  }

  /**
   * Rows whose column is null or one of {@code values} (numbers as Double, everything else as
   * text).
   */
  record MissingValues(Set<Object> values) implements Measure {
    /** Normalises the values. */
    public MissingValues {
      values = Collections.unmodifiableSet(Check.normalize(values));
    }

    @Override
    public String kind() {
      return "MISSING_VALUES";
    }

    @Override
    public String describe(List<String> columns) {
      return "missing values in" + on(columns);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.missingValues(this);
    }
  }

  /**
   * Rows whose non-null column is not valid: not one of the allowed values, not matching the
   * pattern, outside the bounds or the text lengths. Unset conditions are null.
   */
  final class InvalidValues implements Measure {
    private final Set<Object> validValues;
    private final Pattern pattern;
    private final Double minimum;
    private final Double maximum;
    private final boolean exclusiveMinimum;
    private final boolean exclusiveMaximum;
    private final Integer minLength;
    private final Integer maxLength;

    private InvalidValues(Builder b) {
      this.validValues = b.validValues;
      this.pattern = b.pattern;
      this.minimum = b.minimum;
      this.maximum = b.maximum;
      this.exclusiveMinimum = b.exclusiveMinimum;
      this.exclusiveMaximum = b.exclusiveMaximum;
      this.minLength = b.minLength;
      this.maxLength = b.maxLength;
      if (validValues == null
          && pattern == null
          && minimum == null
          && maximum == null
          && minLength == null
          && maxLength == null) {
        throw new IllegalArgumentException(
            "An invalid-values check needs a condition: set validValues, pattern, minimum, maximum,"
                + " minLength or maxLength on Measure.InvalidValues.builder() (Check.length needs"
                + " at least one bound).");
      }
    }

    /** A builder; set at least one condition. */
    public static Builder builder() {
      return new Builder();
    }

    @Override
    public String kind() {
      return "INVALID_VALUES";
    }

    @Override
    public String describe(List<String> columns) {
      List<String> parts = new ArrayList<>();
      if (validValues != null) {
        parts.add("allowed " + validValues);
      }
      if (pattern != null) {
        parts.add("pattern " + pattern.pattern());
      }
      if (minimum != null) {
        parts.add((exclusiveMinimum ? "> " : ">= ") + Threshold.num(minimum));
      }
      if (maximum != null) {
        parts.add((exclusiveMaximum ? "< " : "<= ") + Threshold.num(maximum));
      }
      if (minLength != null) {
        parts.add("length >= " + minLength);
      }
      if (maxLength != null) {
        parts.add("length <= " + maxLength);
      }
      return "invalid values in"
          + on(columns)
          + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.invalidValues(this);
    }

    /** The allowed values (numbers as Double, others as text), or null. */
    public Set<Object> validValues() {
      return validValues;
    }

    /** The pattern every value, as text, must match entirely, or null. */
    public Pattern pattern() {
      return pattern;
    }

    /** The lower bound, or null. */
    public Double minimum() {
      return minimum;
    }

    /** The upper bound, or null. */
    public Double maximum() {
      return maximum;
    }

    /** Whether the lower bound is excluded. */
    public boolean exclusiveMinimum() {
      return exclusiveMinimum;
    }

    /** Whether the upper bound is excluded. */
    public boolean exclusiveMaximum() {
      return exclusiveMaximum;
    }

    /** The shortest allowed text, or null. */
    public Integer minLength() {
      return minLength;
    }

    /** The longest allowed text, or null. */
    public Integer maxLength() {
      return maxLength;
    }

    /** Whether the only conditions are numeric bounds. */
    public boolean boundsOnly() {
      return validValues == null && pattern == null && minLength == null && maxLength == null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof InvalidValues v
          && Objects.equals(validValues, v.validValues)
          && Objects.equals(patternText(this), patternText(v))
          && Objects.equals(minimum, v.minimum)
          && Objects.equals(maximum, v.maximum)
          && exclusiveMinimum == v.exclusiveMinimum
          && exclusiveMaximum == v.exclusiveMaximum
          && Objects.equals(minLength, v.minLength)
          && Objects.equals(maxLength, v.maxLength);
    }

    private static String patternText(InvalidValues v) {
      return v.pattern == null ? null : v.pattern.pattern();
    }

    @Override
    public int hashCode() {
      return Objects.hash(validValues, patternText(this), minimum, maximum, minLength, maxLength);
    }

    @Override
    public String toString() {
      return describe(List.of());
    }

    /** Collects the conditions of an {@link InvalidValues}. */
    public static final class Builder {
      private Set<Object> validValues;
      private Pattern pattern;
      private Double minimum;
      private Double maximum;
      private boolean exclusiveMinimum;
      private boolean exclusiveMaximum;
      private Integer minLength;
      private Integer maxLength;

      private Builder() {}

      /** Every non-null value is one of these. */
      public Builder validValues(Collection<?> values) {
        this.validValues = Collections.unmodifiableSet(Check.normalize(values));
        return this;
      }

      /** Every non-null value, as text, matches the pattern entirely. */
      public Builder pattern(Pattern p) {
        this.pattern = p;
        return this;
      }

      /** Every non-null number is at least {@code min}. */
      public Builder minimum(double min) {
        this.minimum = min;
        this.exclusiveMinimum = false;
        return this;
      }

      /** Every non-null number is greater than {@code min}. */
      public Builder exclusiveMinimum(double min) {
        this.minimum = min;
        this.exclusiveMinimum = true;
        return this;
      }

      /** Every non-null number is at most {@code max}. */
      public Builder maximum(double max) {
        this.maximum = max;
        this.exclusiveMaximum = false;
        return this;
      }

      /** Every non-null number is less than {@code max}. */
      public Builder exclusiveMaximum(double max) {
        this.maximum = max;
        this.exclusiveMaximum = true;
        return this;
      }

      /** Every non-null text is at least this long. */
      public Builder minLength(int min) {
        this.minLength = min;
        return this;
      }

      /** Every non-null text is at most this long. */
      public Builder maxLength(int max) {
        this.maxLength = max;
        return this;
      }

      /** Whether no condition was set yet. */
      public boolean isEmpty() {
        return validValues == null
            && pattern == null
            && minimum == null
            && maximum == null
            && minLength == null
            && maxLength == null;
      }

      /** The measure; throws when no condition was set. */
      public InvalidValues build() {
        return new InvalidValues(this);
      }
    }
  }

  /** Rows whose (composite) key repeats an earlier row's. */
  record DuplicateValues() implements Measure {
    @Override
    public String kind() {
      return "DUPLICATE_VALUES";
    }

    @Override
    public String describe(List<String> columns) {
      return "duplicates of" + on(columns);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.duplicateValues(this);
    }
  }

  /** The number of rows; more than zero unless a threshold says otherwise. */
  record RowCount() implements Measure {
    @Override
    public String kind() {
      return "ROW_COUNT";
    }

    @Override
    public String describe(List<String> columns) {
      return "row count";
    }

    @Override
    public Threshold defaultThreshold() {
      return Threshold.mustBeGreaterThan(0);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.rowCount(this);
    }
  }

  /** The age in seconds of the newest timestamp or date; at most {@code maxAge} by default. */
  record Freshness(Duration maxAge) implements Measure {
    /** Requires the age. */
    public Freshness {
      Objects.requireNonNull(maxAge, "maxAge");
    }

    @Override
    public String kind() {
      return "FRESHNESS";
    }

    @Override
    public String describe(List<String> columns) {
      return "newest" + on(columns) + " is at most " + maxAge + " old";
    }

    @Override
    public Threshold defaultThreshold() {
      return Threshold.mustBeLessOrEqualTo(maxAge.toSeconds());
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.freshness(this);
    }
  }

  /** Rows, as the port's record type {@code type}, for which {@code predicate} is false. */
  record RowPredicate(Class<?> type, Predicate<Object> predicate) implements Measure {
    /** Requires both. */
    public RowPredicate {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(predicate, "predicate");
    }

    @Override
    public String kind() {
      return "ROW_PREDICATE";
    }

    @Override
    public String describe(List<String> columns) {
      return "rows failing a predicate";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.rowPredicate(this);
    }
  }

  /** Rows for which a CEL expression over {@code row} is false. */
  record RowExpression(String cel) implements Measure {
    /** Requires the expression. */
    public RowExpression {
      Objects.requireNonNull(cel, "cel");
    }

    @Override
    public String kind() {
      return "ROW_EXPRESSION";
    }

    @Override
    public String describe(List<String> columns) {
      return "rows where " + cel + " is false";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.rowExpression(this);
    }
  }

  /**
   * A CEL expression over {@code metrics} (rowCount and every check's observed value by id) and
   * {@code history}; 1 when it holds, which is what it must be by default.
   */
  record MetricExpression(String cel) implements Measure {
    /** Requires the expression. */
    public MetricExpression {
      Objects.requireNonNull(cel, "cel");
    }

    @Override
    public String kind() {
      return "AGGREGATE_EXPRESSION";
    }

    @Override
    public String describe(List<String> columns) {
      return cel;
    }

    @Override
    public Threshold defaultThreshold() {
      return Threshold.mustBe(1);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.metricExpression(this);
    }
  }

  /**
   * Whether a metric of this run ({@code rowCount} or another check's id) stays within {@code rule}
   * of earlier runs' values; 1 when it does.
   */
  record AnomalyOf(String metric, Anomaly rule) implements Measure {
    /** Requires both. */
    public AnomalyOf {
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(rule, "rule");
    }

    @Override
    public String kind() {
      return "ANOMALY";
    }

    @Override
    public String describe(List<String> columns) {
      return rule.describe(metric);
    }

    @Override
    public Threshold defaultThreshold() {
      return Threshold.mustBe(1);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.anomaly(this);
    }
  }

  /**
   * Rows whose non-null value does not appear in column {@code column} of input port {@code port},
   * read at the run's pinned version.
   */
  record Reference(String port, String column) implements Measure {
    /** Requires both. */
    public Reference {
      Objects.requireNonNull(port, "port");
      Objects.requireNonNull(column, "column");
    }

    /** {@code port.column}. */
    public String target() {
      return port + "." + column;
    }

    @Override
    public String kind() {
      return "REFERENCE";
    }

    @Override
    public String describe(List<String> columns) {
      return on(columns).trim() + " refers to " + target();
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.reference(this);
    }
  }

  /** A rule Meshwork cannot run in-process (for example ODCS {@code type: sql}), and why. */
  record NotExecutable(String reason) implements Measure {
    /** Requires the reason. */
    public NotExecutable {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String kind() {
      return "NOT_EXECUTABLE";
    }

    @Override
    public String describe(List<String> columns) {
      return "not executable in-process";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.notExecutable(this);
    }
  }
}
