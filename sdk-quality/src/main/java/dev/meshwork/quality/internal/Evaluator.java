package dev.meshwork.quality.internal;

import dev.meshwork.quality.Check;
import dev.meshwork.quality.Severity;
import dev.meshwork.spi.write.ColumnCheck;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.StructShape;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a suite's checks over values of one shape in a single pass. Each check keeps a small,
 * mergeable state; {@link #merge(Evaluator)} combines evaluators that saw different parts of the
 * data into exactly what one evaluator of all of it would hold.
 */
public final class Evaluator<T> {
  private final List<Compiled<T>> quarantining = new ArrayList<>();
  private final List<Compiled<T>> others = new ArrayList<>();
  private final List<Compiled<T>> all = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private long rows;
  private long quarantinedRows;
  private final java.util.Map<ColumnCheck, Compiled<T>> offered = new java.util.IdentityHashMap<>();
  private Compiled<T>[] quarantiningArray;
  private Compiled<T>[] othersArray;

  /** Compiles checks against a shape; checks that cannot apply are reported as problems. */
  public Evaluator(List<Check> checks, StructShape<T> shape, int exactDistinctLimit) {
    this(checks, shape, exactDistinctLimit, (p, c) -> java.util.Set.of());
  }

  /** As above, with the run's input data for referential checks. */
  public Evaluator(
      List<Check> checks,
      StructShape<T> shape,
      int exactDistinctLimit,
      dev.meshwork.spi.GateContext.ReferenceData references) {
    for (Check c : checks) {
      Compiled<T> compiled;
      try {
        compiled = new Compiled<>(c, shape, exactDistinctLimit, references);
      } catch (IllegalArgumentException e) {
        problems.add(c.id() + ": " + e.getMessage());
        continue;
      }
      all.add(compiled);
      if (compiled.rowLevel() && c.severity() == Severity.QUARANTINE) {
        quarantining.add(compiled);
      } else {
        others.add(compiled);
      }
    }
  }

  /**
   * The checks a store may run on the pages it encodes instead of {@link #observe} reading rows:
   * single-column checks that do not quarantine (those must judge each row before it is written).
   */
  public List<ColumnCheck> columnChecks() {
    List<ColumnCheck> out = new ArrayList<>();
    for (Compiled<T> c : others) {
      ColumnCheck page = c.seesRows() ? c.pageCheck() : null;
      if (page != null) {
        offered.put(page, c);
        out.add(page);
      }
    }
    return out;
  }

  /** The column checks a store took: {@link #observe} leaves their checks out. */
  public void checkedByStore(java.util.Set<ColumnCheck> taken) {
    if (quarantiningArray != null) {
      throw new IllegalStateException("column checks must be handed over before the first row");
    }
    for (ColumnCheck c : taken) {
      Compiled<T> compiled = offered.get(c);
      if (compiled == null) {
        throw new IllegalArgumentException(c + " is not a check this evaluator offered");
      }
      compiled.checkedByStore = true;
    }
  }

  /** Checks one value; returns the check that quarantines it, or null to publish it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Compiled<T> observe(T value) {
    if (quarantiningArray == null) {
      // Arrays, not lists, on the per-row path; checks with nothing to see per row are left out.
      quarantiningArray = quarantining.toArray(new Compiled[0]);
      othersArray =
          others.stream().filter(c -> c.seesRows() && !c.checkedByStore).toArray(Compiled[]::new);
    }
    rows++;
    Compiled<T>[] q = quarantiningArray;
    for (int i = 0; i < q.length; i++) {
      Compiled<T> c = q[i];
      if (c.observe(value)) {
        for (int j = i + 1; j < q.length; j++) {
          q[j].observe(value);
        }
        quarantinedRows++;
        return c;
      }
    }
    Compiled<T>[] o = othersArray;
    for (int i = 0; i < o.length; i++) {
      o[i].observe(value);
    }
    return null;
  }

  /** Adds what another evaluator of the same checks saw. */
  public void merge(Evaluator<T> other) {
    rows += other.rows;
    quarantinedRows += other.quarantinedRows;
    for (int i = 0; i < all.size(); i++) {
      all.get(i).state.merge(other.all.get(i).state);
    }
  }

  /**
   * The states of every check, in suite order, to ship to another process (they are Serializable).
   */
  public List<State> states() {
    List<State> out = new ArrayList<>();
    all.forEach(c -> out.add(c.state));
    return out;
  }

  /** Adds states exported by {@link #states()} of an evaluator of the same checks elsewhere. */
  public void mergeStates(long otherRows, long otherQuarantined, List<State> states) {
    rows += otherRows;
    quarantinedRows += otherQuarantined;
    for (int i = 0; i < all.size(); i++) {
      all.get(i).state.merge(states.get(i));
    }
  }

  /** Values observed. */
  public long rows() {
    return rows;
  }

  /** Values diverted to quarantine. */
  public long quarantinedRows() {
    return quarantinedRows;
  }

  /** Checks that could not be compiled against the shape, with the reason. */
  public List<String> problems() {
    return problems;
  }

  /** The compiled checks, in suite order. */
  public List<Compiled<T>> checks() {
    return all;
  }

  /** The mergeable state of one check. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    long considered;
    long failed;
    long nonNull;
    long maxMicros = Long.MIN_VALUE;
    DistinctCounter distinct;

    /** Values that failed the check. */
    public long failedCount() {
      return failed;
    }

    void merge(State o) {
      considered += o.considered;
      failed += o.failed;
      nonNull += o.nonNull;
      maxMicros = Math.max(maxMicros, o.maxMicros);
      if (distinct != null && o.distinct != null) {
        distinct.merge(o.distinct);
      }
    }
  }

  /** A check bound to the shape's accessors, with its state. */
  public static final class Compiled<T> {
    private final Check check;
    private final FieldAccessor<T>[] accessors;
    private final boolean primitive;
    private final java.util.function.Predicate<String> pattern;
    private final FieldAccessor.OfObject<T> object0;
    private final dev.cel.runtime.CelRuntime.Program program;
    private final StructShape<T> shape;
    private final java.util.Set<Object> referenced;
    private final RowObserver<T> observer;
    private final boolean hasMin;
    private final boolean hasMax;
    private final double min;
    private final double max;
    private final Member<T> member0;
    private boolean checkedByStore;
    final State state = new State();

    /** One check's work on one row, chosen once per check: no per-row type tests or switches. */
    @FunctionalInterface
    private interface RowObserver<T> {
      /** True when the row fails the check. */
      boolean observe(T value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Compiled(
        Check check,
        StructShape<T> shape,
        int exactDistinctLimit,
        dev.meshwork.spi.GateContext.ReferenceData references) {
      this.check = check;
      this.accessors = new FieldAccessor[check.columns().size()];
      for (int i = 0; i < accessors.length; i++) {
        String column = check.columns().get(i);
        accessors[i] =
            shape.members().stream()
                .filter(m -> m.field().name().equals(column))
                .map(Member::accessor)
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "column '"
                                + column
                                + "' is not a top-level column of the port; columns are "
                                + shape.members().stream().map(m -> m.field().name()).toList()));
      }
      this.member0 =
          accessors.length == 1
              ? shape.members().stream()
                  .filter(m -> m.field().name().equals(check.columns().get(0)))
                  .findFirst()
                  .orElseThrow()
              : null;
      this.primitive = accessors.length == 1 && !(accessors[0] instanceof FieldAccessor.OfObject);
      this.object0 =
          accessors.length > 0 && accessors[0] instanceof FieldAccessor.OfObject<T> o ? o : null;
      this.pattern = check.pattern() == null ? null : FastPattern.of(check.pattern());
      this.shape = shape;
      if (check.kind() == Check.Kind.REFERENCE) {
        String target = check.expression();
        int dot = target.indexOf('.');
        try {
          this.referenced = references.values(target.substring(0, dot), target.substring(dot + 1));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(
              "cannot read the referenced keys " + target + ": " + e.getMessage(), e);
        }
      } else {
        this.referenced = null;
      }
      this.program =
          check.expression() == null
                  || check.kind() == Check.Kind.ANOMALY
                  || check.kind() == Check.Kind.REFERENCE
              ? null
              : CelExpressions.compile(check.expression());
      if (check.kind() == Check.Kind.DUPLICATE_VALUES) {
        state.distinct = new DistinctCounter(exactDistinctLimit);
      }
      if (check.kind() == Check.Kind.ROW_PREDICATE
          && !check.predicateType().isAssignableFrom(shape.javaType())) {
        throw new IllegalArgumentException(
            "the predicate takes "
                + check.predicateType().getSimpleName()
                + ", but the port writes "
                + shape.javaType().getSimpleName());
      }
      this.hasMin = check.minimum() != null;
      this.hasMax = check.maximum() != null;
      this.min = hasMin ? check.minimum() : 0;
      this.max = hasMax ? check.maximum() : 0;
      this.observer = observer();
    }

    /** The row observer of this check, specialised to its kind and its column's accessor. */
    @SuppressWarnings("unchecked")
    private RowObserver<T> observer() {
      FieldAccessor<T> a = accessors.length > 0 ? accessors[0] : null;
      return switch (check.kind()) {
        case NULL_VALUES -> primitive ? v -> false : v -> read(0, v) == null;
        case MISSING_VALUES -> this::missing;
        case INVALID_VALUES -> {
          // Numeric ranges on primitive columns are checked without boxing.
          if (check.validValues() == null
              && check.pattern() == null
              && check.minLength() == null
              && check.maxLength() == null) {
            if (a instanceof FieldAccessor.OfLong<T> l) {
              yield v -> !inRange(l.getLong(v));
            }
            if (a instanceof FieldAccessor.OfDouble<T> d) {
              yield v -> !inRange(d.getDouble(v));
            }
            if (a instanceof FieldAccessor.OfInt<T> n) {
              yield v -> !inRange(n.getInt(v));
            }
            if (a instanceof FieldAccessor.OfFloat<T> f) {
              yield v -> !inRange(f.getFloat(v));
            }
          }
          if (check.validValues() != null
              && check.pattern() == null
              && check.minLength() == null
              && check.maxLength() == null
              && check.minimum() == null
              && check.maximum() == null
              && check.validValues().stream().allMatch(x -> x instanceof String)) {
            // Text categories: membership without the generic set's per-lookup division.
            StringSet allowed =
                new StringSet(check.validValues().stream().map(x -> (String) x).toList());
            yield v -> {
              Object x = read(0, v);
              if (x == null) {
                return false;
              }
              if (x instanceof String str) {
                return !allowed.contains(str);
              }
              return !check.validValues().contains(normal(x));
            };
          }
          yield this::invalid;
        }
        case ROW_PREDICATE -> {
          java.util.function.Predicate<T> p = (java.util.function.Predicate<T>) check.predicate();
          yield v -> !p.test(v);
        }
        case REFERENCE ->
            v -> {
              Object x = read(0, v);
              return x != null && !referenced.contains(normal(x));
            };
        case ROW_EXPRESSION ->
            v ->
                !CelExpressions.test(
                    program, java.util.Map.of("row", CelExpressions.asMap(shape, v)));
        case DUPLICATE_VALUES -> duplicates(a);
        case FRESHNESS ->
            v -> {
              freshness(v);
              return false;
            };
        case ROW_COUNT, NOT_EXECUTABLE, AGGREGATE_EXPRESSION, ANOMALY -> v -> false;
      };
    }

    /** This check run on the pages a store encodes, or null when it must read rows. */
    ColumnCheck pageCheck() {
      return member0 == null ? null : PageChecks.of(this, member0.field().type(), accessors[0]);
    }

    /** The check. */
    public Check check() {
      return check;
    }

    /** Its state. */
    public State state() {
      return state;
    }

    /** Whether the check looks at rows; row-count and aggregate checks use the totals only. */
    boolean seesRows() {
      return switch (check.kind()) {
        case ROW_COUNT, NOT_EXECUTABLE, AGGREGATE_EXPRESSION, ANOMALY -> false;
        default -> true;
      };
    }

    boolean rowLevel() {
      return switch (check.kind()) {
        case NULL_VALUES,
            MISSING_VALUES,
            INVALID_VALUES,
            ROW_PREDICATE,
            ROW_EXPRESSION,
            REFERENCE ->
            true;
        default -> false;
      };
    }

    /** Updates the state with one value; true when the value fails this (row-level) check. */
    boolean observe(T value) {
      state.considered++;
      if (observer.observe(value)) {
        state.failed++;
        return true;
      }
      return false;
    }

    private Object read(int i, T value) {
      if (i == 0 && object0 != null) {
        return object0.get(value);
      }
      return FieldAccessor.readBoxed(accessors[i], value);
    }

    private boolean missing(T value) {
      Object v = read(0, value);
      return v == null || check.missingValues().contains(normal(v));
    }

    private boolean invalid(T value) {
      Object v = read(0, value);
      if (v == null) {
        return false;
      }
      if (check.validValues() != null && !check.validValues().contains(normal(v))) {
        return true;
      }
      if (pattern != null && !pattern.test(text(v))) {
        return true;
      }
      if (check.minLength() != null || check.maxLength() != null) {
        int len = text(v).length();
        if (check.minLength() != null && len < check.minLength()
            || check.maxLength() != null && len > check.maxLength()) {
          return true;
        }
      }
      if (check.minimum() != null || check.maximum() != null) {
        if (!(v instanceof Number n)) {
          return true;
        }
        return !inRange(n.doubleValue());
      }
      return false;
    }

    /** Whether a number lies within the check's bounds. */
    boolean inRange(double d) {
      if (hasMin && (check.exclusiveMinimum() ? d <= min : d < min)) {
        return false;
      }
      return !hasMax || (check.exclusiveMaximum() ? d < max : d <= max);
    }

    private RowObserver<T> duplicates(FieldAccessor<T> a) {
      if (accessors.length == 1 && a instanceof FieldAccessor.OfLong<T> l) {
        return v -> {
          state.nonNull++;
          state.distinct.addLong(l.getLong(v));
          return false;
        };
      }
      if (accessors.length == 1 && a instanceof FieldAccessor.OfInt<T> n) {
        return v -> {
          state.nonNull++;
          state.distinct.addLong(n.getInt(v));
          return false;
        };
      }
      if (accessors.length == 1) {
        return v -> {
          Object x = read(0, v);
          if (x != null) {
            state.nonNull++;
            state.distinct.add(DistinctCounter.hash(normal(x)));
          }
          return false;
        };
      }
      return v -> {
        List<Object> key = new ArrayList<>(accessors.length);
        for (int i = 0; i < accessors.length; i++) {
          key.add(normal(read(i, v)));
        }
        state.nonNull++;
        state.distinct.add(DistinctCounter.hash(key));
        return false;
      };
    }

    private void freshness(T value) {
      Object v = read(0, value);
      long micros;
      if (v instanceof Instant i) {
        micros = i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
      } else if (v instanceof OffsetDateTime o) {
        micros = o.toEpochSecond() * 1_000_000 + o.getNano() / 1_000;
      } else if (v instanceof LocalDateTime t) {
        micros = t.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + t.getNano() / 1_000;
      } else if (v instanceof LocalDate d) {
        micros = d.toEpochDay() * 86_400_000_000L;
      } else {
        return;
      }
      state.nonNull++;
      state.maxMicros = Math.max(state.maxMicros, micros);
    }

    /** The observed value (rows, percent, count or seconds) once all values were seen. */
    public double observed(long rows, Clock clock) {
      return switch (check.kind()) {
        case ROW_COUNT -> rows;
        case FRESHNESS ->
            state.maxMicros == Long.MIN_VALUE
                ? Double.POSITIVE_INFINITY
                : (clock.instant().getEpochSecond() * 1_000_000
                        + clock.instant().getNano() / 1_000
                        - state.maxMicros)
                    / 1_000_000.0;
        case DUPLICATE_VALUES -> scaled(state.nonNull - state.distinct.count(), state.nonNull);
        case NOT_EXECUTABLE -> Double.NaN;
        case AGGREGATE_EXPRESSION ->
            throw new IllegalStateException("aggregate expressions are evaluated by the gate");
        default -> scaled(state.failed, state.considered);
      };
    }

    private double scaled(long count, long of) {
      if (check.unit() == Check.Unit.PERCENT) {
        return of == 0 ? 0 : 100.0 * count / of;
      }
      return count;
    }

    /** Evaluates an aggregate expression over metrics: 1 when true, 0 otherwise. */
    public double evaluate(
        java.util.Map<String, Object> metrics, List<java.util.Map<String, Double>> history) {
      return CelExpressions.test(program, java.util.Map.of("metrics", metrics, "history", history))
          ? 1
          : 0;
    }

    /** Whether a duplicate count is exact (false once the key limit switched to the sketch). */
    public boolean exact() {
      return state.distinct == null || state.distinct.isExact();
    }

    private static Object normal(Object v) {
      return v instanceof Number n
          ? (Object) n.doubleValue()
          : v instanceof Enum<?> e ? e.name() : v == null ? null : v.toString();
    }

    private static String text(Object v) {
      return v instanceof Enum<?> e ? e.name() : v.toString();
    }
  }
}
