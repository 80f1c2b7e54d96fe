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
  /** What a check measures. */
  public enum Kind {
    /** Rows whose column is null. */
    NULL_VALUES,
    /** Rows whose column is null or one of the missing values. */
    MISSING_VALUES,
    /** Rows whose non-null column is not valid (allowed values, pattern, range, length). */
    INVALID_VALUES,
    /** Rows whose (composite) key repeats an earlier row's. */
    DUPLICATE_VALUES,
    /** The number of rows. */
    ROW_COUNT,
    /** Age of the newest timestamp, in seconds. */
    FRESHNESS,
    /** Rows that fail a predicate. */
    ROW_PREDICATE,
    /** Rows for which a CEL expression over {@code row} is false. */
    ROW_EXPRESSION,
    /** A CEL expression over {@code metrics} (rowCount and every check's observed value by id). */
    AGGREGATE_EXPRESSION,
    /** How far a metric moved from earlier runs (see {@link Anomaly}). */
    ANOMALY,
    /** Rows whose value does not appear in a column of an input port. */
    REFERENCE,
    /**
     * A rule Meshwork cannot run in-process (for example ODCS {@code type: sql}); reported, not
     * run.
     */
    NOT_EXECUTABLE
  }

  /** How a counting check's observed value is expressed. */
  public enum Unit {
    ROWS,
    PERCENT
  }

  private final String id;
  private final String description;
  private final Kind kind;
  private final List<String> columns;
  private final Severity severity;
  private final String dimension;
  private final Threshold threshold;
  private final Unit unit;
  private final Set<Object> validValues;
  private final Set<Object> missingValues;
  private final Pattern pattern;
  private final Double minimum;
  private final Double maximum;
  private final boolean exclusiveMinimum;
  private final boolean exclusiveMaximum;
  private final Integer minLength;
  private final Integer maxLength;
  private final Duration maxAge;
  private final Class<?> predicateType;
  private final Predicate<Object> predicate;
  private final String origin;
  private final String expression;
  private final Anomaly anomaly;

  private Check(B b) {
    this.kind = Objects.requireNonNull(b.kind, "kind");
    this.columns = List.copyOf(b.columns);
    this.severity = b.severity;
    this.dimension = b.dimension;
    this.threshold =
        b.threshold != null
            ? b.threshold
            : b.kind == Kind.FRESHNESS && b.maxAge != null
                ? Threshold.mustBeLessOrEqualTo(b.maxAge.toSeconds())
                : defaultThreshold(b.kind);
    this.unit = b.unit;
    this.validValues = b.validValues == null ? null : Set.copyOf(b.validValues);
    this.missingValues = b.missingValues == null ? Set.of() : Set.copyOf(b.missingValues);
    this.pattern = b.pattern;
    this.minimum = b.minimum;
    this.maximum = b.maximum;
    this.exclusiveMinimum = b.exclusiveMinimum;
    this.exclusiveMaximum = b.exclusiveMaximum;
    this.minLength = b.minLength;
    this.maxLength = b.maxLength;
    this.maxAge = b.maxAge;
    this.predicateType = b.predicateType;
    this.predicate = b.predicate;
    this.origin = b.origin;
    this.expression = b.expression;
    this.anomaly = b.anomaly;
    this.description = b.description != null ? b.description : defaultDescription();
    this.id = b.id != null ? b.id : defaultId();
  }

  private static Threshold defaultThreshold(Kind kind) {
    return switch (kind) {
      case ROW_COUNT -> Threshold.mustBeGreaterThan(0);
      case AGGREGATE_EXPRESSION -> Threshold.mustBe(1);
      case FRESHNESS -> Threshold.mustBeGreaterOrEqualTo(0);
      default -> Threshold.mustBe(0);
    };
  }

  private String defaultId() {
    String base = kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    return columns.isEmpty() ? base : base + ":" + String.join("+", columns);
  }

  private String defaultDescription() {
    String on = columns.isEmpty() ? "" : " " + String.join(", ", columns);
    return switch (kind) {
      case NULL_VALUES -> "nulls in" + on;
      case MISSING_VALUES -> "missing values in" + on;
      case INVALID_VALUES -> "invalid values in" + on + conditionText();
      case DUPLICATE_VALUES -> "duplicates of" + on;
      case ROW_COUNT -> "row count";
      case FRESHNESS -> "newest" + on + " is at most " + maxAge + " old";
      case ROW_PREDICATE -> "rows failing a predicate";
      case ROW_EXPRESSION -> "rows where " + expression + " is false";
      case AGGREGATE_EXPRESSION -> expression;
      case ANOMALY -> anomaly.describe(expression);
      case REFERENCE -> on.trim() + " refers to " + expression;
      case NOT_EXECUTABLE -> "not executable in-process";
    };
  }

  private String conditionText() {
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
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }

  /** No nulls in {@code column}. */
  public static Check isComplete(String column) {
    return new B(Kind.NULL_VALUES).column(column).build();
  }

  /** Nulls in {@code column}, to be compared with a threshold (default: none). */
  public static Check nulls(String column) {
    return isComplete(column);
  }

  /** Nulls or any of {@code missing} in {@code column}. */
  public static Check missing(String column, Collection<?> missing) {
    B b = new B(Kind.MISSING_VALUES).column(column);
    b.missingValues = normalize(missing);
    return b.build();
  }

  /** No value of {@code columns} (together) repeats. */
  public static Check isUnique(String... columns) {
    B b = new B(Kind.DUPLICATE_VALUES);
    b.columns.addAll(List.of(columns));
    return b.build();
  }

  /** The number of rows, greater than zero unless a threshold says otherwise. */
  public static Check rowCount() {
    return new B(Kind.ROW_COUNT).build();
  }

  /** Every non-null value of {@code column} is one of {@code allowed}. */
  public static Check allowedValues(String column, Object... allowed) {
    B b = new B(Kind.INVALID_VALUES).column(column);
    b.validValues = normalize(List.of(allowed));
    return b.build();
  }

  /** Every non-null value of {@code column}, as text, matches {@code regex} entirely. */
  public static Check matches(String column, String regex) {
    B b = new B(Kind.INVALID_VALUES).column(column);
    b.pattern = Pattern.compile(regex);
    return b.build();
  }

  /** Every non-null value of {@code column} is between {@code min} and {@code max}, inclusive. */
  public static Check inRange(String column, double min, double max) {
    B b = new B(Kind.INVALID_VALUES).column(column);
    b.minimum = min;
    b.maximum = max;
    return b.build();
  }

  /** Every non-null value of {@code column} is at least zero. */
  public static Check isNonNegative(String column) {
    B b = new B(Kind.INVALID_VALUES).column(column);
    b.minimum = 0.0;
    return b.build();
  }

  /** Every non-null text of {@code column} has a length between the bounds (either may be null). */
  public static Check length(String column, Integer min, Integer max) {
    B b = new B(Kind.INVALID_VALUES).column(column);
    b.minLength = min;
    b.maxLength = max;
    return b.build();
  }

  /**
   * The newest value of timestamp or date {@code column} is at most {@code maxAge} old when
   * checked.
   */
  public static Check isFresh(String column, Duration maxAge) {
    B b = new B(Kind.FRESHNESS).column(column);
    b.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    return b.build();
  }

  /** Every row, as the port's record type {@code type}, satisfies {@code predicate}. */
  @SuppressWarnings("unchecked")
  public static <T> Check satisfies(
      String description, Class<T> type, Predicate<? super T> predicate) {
    B b = new B(Kind.ROW_PREDICATE);
    b.description = description;
    b.predicateType = type;
    b.predicate = (Predicate<Object>) (Predicate<?>) predicate;
    b.id = "predicate:" + slug(description);
    return b.build();
  }

  private static String slug(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  private static Check expression(Kind kind, String description, String cel) {
    B b = new B(kind);
    b.expression = Objects.requireNonNull(cel, "cel");
    b.description = description;
    b.id = "cel:" + slug(description == null ? cel : description);
    return b.build();
  }

  /**
   * Rows for which the CEL expression is false, counted (default: none may fail). The row is the
   * map {@code row}: integers as int, decimals and floats as double, text, booleans, timestamps and
   * dates as ISO text, nested records as maps. Example: {@code row.amount >= 0.0 && row.status !=
   * 'LOST'}.
   */
  public static Check rowExpression(String description, String cel) {
    return expression(Kind.ROW_EXPRESSION, description, cel);
  }

  /**
   * A CEL expression over {@code metrics} that must be true once all rows were seen: {@code
   * metrics.rowCount} and, by check id, every other check's observed value. Example: {@code
   * metrics.rowCount > 1000 || metrics['null-values:email'] == 0}.
   */
  public static Check aggregateExpression(String description, String cel) {
    return expression(Kind.AGGREGATE_EXPRESSION, description, cel);
  }

  /**
   * Compares a metric of this run ({@code rowCount}, or another check's id) with earlier runs'
   * values, kept in the product's metrics history. Passes while there is not enough history.
   */
  public static Check anomaly(String metric, Anomaly rule) {
    B b = new B(Kind.ANOMALY);
    b.expression = Objects.requireNonNull(metric, "metric");
    b.anomaly = Objects.requireNonNull(rule, "rule");
    b.id = "anomaly:" + metric;
    b.threshold = Threshold.mustBe(1);
    return b.build();
  }

  /**
   * Every non-null value of {@code column} appears in column {@code inputColumn} of input port
   * {@code inputPort} (read at the run's pinned version): a referential check such as "every
   * order's customer exists".
   */
  public static Check references(String column, String inputPort, String inputColumn) {
    B b = new B(Kind.REFERENCE).column(column);
    b.expression = inputPort + "." + inputColumn;
    b.id = "reference:" + column + "->" + b.expression;
    b.dimension = "consistency";
    return b.build();
  }

  /** A rule that is reported but not run, with the reason. */
  public static Check notExecutable(String id, String description, String reason) {
    B b = new B(Kind.NOT_EXECUTABLE);
    b.id = id;
    b.description = description + " — " + reason;
    b.severity = Severity.WARN;
    return b.build();
  }

  /** This check with another threshold. */
  public Check expect(Threshold t) {
    B b = toBuilder();
    b.threshold = Objects.requireNonNull(t, "threshold");
    return b.build();
  }

  /** This check counting percent of rows instead of rows. */
  public Check percent() {
    B b = toBuilder();
    b.unit = Unit.PERCENT;
    return b.build();
  }

  /** This check with another severity. */
  public Check severity(Severity s) {
    B b = toBuilder();
    b.severity = Objects.requireNonNull(s, "severity");
    return b.build();
  }

  /** This check diverting failing rows to quarantine. */
  public Check quarantine() {
    return severity(Severity.QUARANTINE);
  }

  /** This check with an id (default: kind and columns). */
  public Check id(String checkId) {
    B b = toBuilder();
    b.id = Objects.requireNonNull(checkId, "checkId");
    return b.build();
  }

  /** This check with a description. */
  public Check describedAs(String text) {
    B b = toBuilder();
    b.description = text;
    return b.build();
  }

  /** This check with an ODCS dimension (completeness, validity, uniqueness, …). */
  public Check dimension(String name) {
    B b = toBuilder();
    b.dimension = name;
    return b.build();
  }

  /** This check marked with where it came from. */
  public Check origin(String where) {
    B b = toBuilder();
    b.origin = where;
    return b.build();
  }

  /** Numbers as Double, everything else as text, so values compare the same from YAML and Java. */
  public static Set<Object> normalize(Collection<?> values) {
    Set<Object> out = new LinkedHashSet<>();
    for (Object v : values) {
      out.add(v instanceof Number n ? (Object) n.doubleValue() : v == null ? null : v.toString());
    }
    return out;
  }

  private B toBuilder() {
    B b = new B(kind);
    b.columns.addAll(columns);
    b.id = id;
    b.description = description;
    b.severity = severity;
    b.dimension = dimension;
    b.threshold = threshold;
    b.unit = unit;
    b.validValues = validValues;
    b.missingValues = missingValues;
    b.pattern = pattern;
    b.minimum = minimum;
    b.maximum = maximum;
    b.exclusiveMinimum = exclusiveMinimum;
    b.exclusiveMaximum = exclusiveMaximum;
    b.minLength = minLength;
    b.maxLength = maxLength;
    b.maxAge = maxAge;
    b.predicateType = predicateType;
    b.predicate = predicate;
    b.origin = origin;
    b.expression = expression;
    b.anomaly = anomaly;
    return b;
  }

  /** Collects a check's parts; the contract compiler sets bounds directly. */
  public static final class B {
    public final Kind kind;
    public final List<String> columns = new ArrayList<>();
    public String id;
    public String description;
    public Severity severity = Severity.ERROR;
    public String dimension;
    public Threshold threshold;
    public Unit unit = Unit.ROWS;
    public Set<Object> validValues;
    public Set<Object> missingValues;
    public Pattern pattern;
    public Double minimum;
    public Double maximum;
    public boolean exclusiveMinimum;
    public boolean exclusiveMaximum;
    public Integer minLength;
    public Integer maxLength;
    public Duration maxAge;
    public Class<?> predicateType;
    public Predicate<Object> predicate;
    public String origin = "dsl";
    public String expression;
    public Anomaly anomaly;

    /** A builder for a kind of check. */
    public B(Kind kind) {
      this.kind = kind;
    }

    /** Adds a column. */
    public B column(String c) {
      columns.add(Objects.requireNonNull(c, "column"));
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

  /** The metric. */
  public Kind kind() {
    return kind;
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

  /** The allowed values (numbers as Double, others as text), or null. */
  public Set<Object> validValues() {
    return validValues;
  }

  /** Values counted as missing besides null. */
  public Set<Object> missingValues() {
    return missingValues;
  }

  /** The pattern every value must match, or null. */
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

  /** The oldest the newest value may be, or null. */
  public Duration maxAge() {
    return maxAge;
  }

  /** The record type the predicate takes, or null. */
  public Class<?> predicateType() {
    return predicateType;
  }

  /** The CEL expression, or null. */
  public String expression() {
    return expression;
  }

  /** The anomaly rule, or null. */
  public Anomaly anomaly() {
    return anomaly;
  }

  /** The row predicate, or null. */
  public Predicate<Object> predicate() {
    return predicate;
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
