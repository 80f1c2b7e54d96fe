package dev.meshwork.quality;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One quality check: a metric over one column (or the table), the threshold it must meet, its
 * severity and dimension. Built from ODCS contract rules or in Java, Deequ-style:
 *
 * <pre>{@code
 * Check.isComplete("region")
 * Check.isUnique("order_id")
 * Check.rowCount().expect(Threshold.mustBeBetween(1, 1_000_000))
 * Check.allowedValues("status", "OPEN", "SHIPPED").severity(Severity.WARN)
 * Check.matches("email", "^[^@]+@[^@]+$").quarantine()
 * Check.inRange("amount", 0, 10_000)
 * Check.isFresh("placed_at", Duration.ofHours(26))
 * Check.satisfies("positive amount", Order.class, o -> o.amount().signum() > 0)
 * }</pre>
 *
 * Counting checks default to "no failing row" ({@code = 0}); add {@link #percent()} and {@link
 * #expect(Threshold)} for tolerances.
 */
public final class Check {
  /** How a counting check's observed value is expressed. */
  public enum Unit {
    ROWS,
    PERCENT
  }

  private final String id;
  private final String description;
  private final Measure measure;
  private final List<String> columns;
  private final Severity severity;
  private final String dimension;
  private final Threshold threshold;
  private final Unit unit;
  private final String origin;

  private Check(Builder b) {
    this.measure = b.measure;
    this.columns = List.copyOf(b.columns);
    this.severity = b.severity;
    this.dimension = b.dimension;
    this.threshold = b.threshold != null ? b.threshold : measure.defaultThreshold();
    this.unit = b.unit;
    this.origin = b.origin;
    this.description = b.description != null ? b.description : measure.describe(columns);
    this.id = b.id != null ? b.id : defaultId(measure, columns);
  }

  private static String defaultId(Measure measure, List<String> columns) {
    String base = measure.kind().toLowerCase(Locale.ROOT).replace('_', '-');
    return columns.isEmpty() ? base : base + ":" + String.join("+", columns);
  }

  /**
   * A builder for a check of {@code measure}; the DSL below covers the usual cases, the builder the
   * rest (contract compilers, generated suites).
   */
  public static Builder builder(Measure measure) {
    return new Builder(measure);
  }

  /** No nulls in {@code column}. */
  public static Check isComplete(String column) {
    return builder(new Measure.NullValues()).column(column).build();
  }

  /** Nulls in {@code column}, to be compared with a threshold (default: none). */
  public static Check nulls(String column) {
    return isComplete(column);
  }

  /** Nulls or any of {@code missing} in {@code column}. */
  public static Check missing(String column, Collection<?> missing) {
    return builder(new Measure.MissingValues(new LinkedHashSet<>(missing))).column(column).build();
  }

  /** No value of {@code columns} (together) repeats. */
  public static Check isUnique(String... columns) {
    return builder(new Measure.DuplicateValues()).columns(List.of(columns)).build();
  }

  /** The number of rows, greater than zero unless a threshold says otherwise. */
  public static Check rowCount() {
    return builder(new Measure.RowCount()).build();
  }

  private static Check invalid(String column, Measure.InvalidValues.Builder conditions) {
    return builder(conditions.build()).column(column).build();
  }

  /** Every non-null value of {@code column} is one of {@code allowed}. */
  public static Check allowedValues(String column, Object... allowed) {
    return invalid(column, Measure.InvalidValues.builder().validValues(List.of(allowed)));
  }

  /** Every non-null value of {@code column}, as text, matches {@code regex} entirely. */
  public static Check matches(String column, String regex) {
    return invalid(column, Measure.InvalidValues.builder().pattern(Pattern.compile(regex)));
  }

  /** Every non-null value of {@code column} is between {@code min} and {@code max}, inclusive. */
  public static Check inRange(String column, double min, double max) {
    return invalid(column, Measure.InvalidValues.builder().minimum(min).maximum(max));
  }

  /** Every non-null value of {@code column} is at least zero. */
  public static Check isNonNegative(String column) {
    return invalid(column, Measure.InvalidValues.builder().minimum(0.0));
  }

  /** Every non-null text of {@code column} has a length between the bounds (either may be null). */
  public static Check length(String column, Integer min, Integer max) {
    Measure.InvalidValues.Builder b = Measure.InvalidValues.builder();
    if (min != null) {
      b.minLength(min);
    }
    if (max != null) {
      b.maxLength(max);
    }
    return invalid(column, b);
  }

  /**
   * The newest value of timestamp or date {@code column} is at most {@code maxAge} old when
   * checked.
   */
  public static Check isFresh(String column, Duration maxAge) {
    return builder(new Measure.Freshness(maxAge)).column(column).build();
  }

  /** Every row, as the port's record type {@code type}, satisfies {@code predicate}. */
  @SuppressWarnings("unchecked")
  public static <T> Check satisfies(
      String description, Class<T> type, Predicate<? super T> predicate) {
    return builder(new Measure.RowPredicate(type, (Predicate<Object>) (Predicate<?>) predicate))
        .description(description)
        .id("predicate:" + slug(description))
        .build();
  }

  private static String slug(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  private static Check expression(Measure measure, String description, String cel) {
    return builder(measure)
        .description(description)
        .id("cel:" + slug(description == null ? cel : description))
        .build();
  }

  /**
   * Rows for which the CEL expression is false, counted (default: none may fail). The row is the
   * map {@code row}: integers as int, decimals and floats as double, text, booleans, timestamps and
   * dates as ISO text, nested records as maps. Example: {@code row.amount >= 0.0 && row.status !=
   * 'LOST'}.
   */
  public static Check rowExpression(String description, String cel) {
    return expression(new Measure.RowExpression(cel), description, cel);
  }

  /**
   * A CEL expression over {@code metrics} that must be true once all rows were seen: {@code
   * metrics.rowCount} and, by check id, every other check's observed value. Example: {@code
   * metrics.rowCount > 1000 || metrics['null-values:email'] == 0}.
   */
  public static Check aggregateExpression(String description, String cel) {
    return expression(new Measure.MetricExpression(cel), description, cel);
  }

  /**
   * Compares a metric of this run ({@code rowCount}, or another check's id) with earlier runs'
   * values, kept in the product's metrics history. Passes while there is not enough history.
   */
  public static Check anomaly(String metric, Anomaly rule) {
    return builder(new Measure.AnomalyOf(metric, rule)).id("anomaly:" + metric).build();
  }

  /**
   * Every non-null value of {@code column} appears in column {@code inputColumn} of input port
   * {@code inputPort} (read at the run's pinned version): a referential check such as "every
   * order's customer exists".
   */
  public static Check references(String column, String inputPort, String inputColumn) {
    Measure.Reference reference = new Measure.Reference(inputPort, inputColumn);
    return builder(reference)
        .column(column)
        .id("reference:" + column + "->" + reference.target())
        .dimension("consistency")
        .build();
  }

  /** A rule that is reported but not run, with the reason. */
  public static Check notExecutable(String id, String description, String reason) {
    return builder(new Measure.NotExecutable(reason))
        .id(id)
        .description(description + " — " + reason)
        .severity(Severity.WARN)
        .build();
  }

  /** This check with another threshold. */
  public Check expect(Threshold t) {
    return toBuilder().threshold(Objects.requireNonNull(t, "threshold")).build();
  }

  /** This check counting percent of rows instead of rows. */
  public Check percent() {
    return toBuilder().unit(Unit.PERCENT).build();
  }

  /** This check with another severity. */
  public Check severity(Severity s) {
    return toBuilder().severity(s).build();
  }

  /** This check diverting failing rows to quarantine. */
  public Check quarantine() {
    return severity(Severity.QUARANTINE);
  }

  /** This check with an id (default: kind and columns). */
  public Check id(String checkId) {
    return toBuilder().id(Objects.requireNonNull(checkId, "checkId")).build();
  }

  /** This check with a description. */
  public Check describedAs(String text) {
    return toBuilder().description(text).build();
  }

  /** This check with an ODCS dimension (completeness, validity, uniqueness, …). */
  public Check dimension(String name) {
    return toBuilder().dimension(name).build();
  }

  /** This check marked with where it came from. */
  public Check origin(String where) {
    return toBuilder().origin(where).build();
  }

  /** Numbers as Double, everything else as text, so values compare the same from YAML and Java. */
  public static Set<Object> normalize(Collection<?> values) {
    Set<Object> out = new LinkedHashSet<>();
    for (Object v : values) {
      out.add(v instanceof Number n ? (Object) n.doubleValue() : v == null ? null : v.toString());
    }
    return out;
  }

  /** A builder holding everything this check holds. */
  public Builder toBuilder() {
    return new Builder(measure)
        .columns(columns)
        .id(id)
        .description(description)
        .severity(severity)
        .dimension(dimension)
        .threshold(threshold)
        .unit(unit)
        .origin(origin);
  }

  /** Collects a check's settings; unset ones take the measure's defaults. */
  public static final class Builder {
    private final Measure measure;
    private final List<String> columns = new ArrayList<>();
    private String id;
    private String description;
    private Severity severity = Severity.ERROR;
    private String dimension;
    private Threshold threshold;
    private Unit unit = Unit.ROWS;
    private String origin = "dsl";

    private Builder(Measure measure) {
      this.measure = Objects.requireNonNull(measure, "measure");
    }

    /** Adds a column. */
    public Builder column(String c) {
      columns.add(Objects.requireNonNull(c, "column"));
      return this;
    }

    /** Adds columns, for composite keys. */
    public Builder columns(List<String> cs) {
      cs.forEach(this::column);
      return this;
    }

    /** The id (default: kind and columns). */
    public Builder id(String value) {
      this.id = value;
      return this;
    }

    /** The description (default: the measure's). */
    public Builder description(String value) {
      this.description = value;
      return this;
    }

    /** The severity (default: error). */
    public Builder severity(Severity value) {
      this.severity = Objects.requireNonNull(value, "severity");
      return this;
    }

    /** The ODCS dimension, or null. */
    public Builder dimension(String value) {
      this.dimension = value;
      return this;
    }

    /** The threshold (default: the measure's). */
    public Builder threshold(Threshold value) {
      this.threshold = value;
      return this;
    }

    /** Rows or percent (default: rows). */
    public Builder unit(Unit value) {
      this.unit = Objects.requireNonNull(value, "unit");
      return this;
    }

    /** Where the check came from (default: {@code dsl}). */
    public Builder origin(String value) {
      this.origin = value;
      return this;
    }

    /** The check. */
    public Check build() {
      return new Check(this);
    }
  }

  /** The id, unique within a suite. */
  public String id() {
    return id;
  }

  /** What the check asserts, for reports. */
  public String description() {
    return description;
  }

  /** What it measures, with the values only that kind needs. */
  public Measure measure() {
    return measure;
  }

  /** The column(s), empty for table-level checks. */
  public List<String> columns() {
    return columns;
  }

  /** The severity. */
  public Severity severity() {
    return severity;
  }

  /** The ODCS dimension, or null. */
  public String dimension() {
    return dimension;
  }

  /** The threshold the observed value must meet. */
  public Threshold threshold() {
    return threshold;
  }

  /** Rows or percent. */
  public Unit unit() {
    return unit;
  }

  /**
   * Where the check came from: {@code contract}, {@code implicit} (contract constraints) or {@code
   * dsl}.
   */
  public String origin() {
    return origin;
  }

  @Override
  public String toString() {
    return id
        + " ["
        + severity
        + "]: "
        + description
        + " "
        + threshold
        + (unit == Unit.PERCENT ? " %" : "");
  }
}
