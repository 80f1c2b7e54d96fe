package dev.meshwork.quality.internal;

import dev.meshwork.quality.Check;
import dev.meshwork.quality.Measure;
import dev.meshwork.quality.Severity;
import dev.meshwork.spi.MetricsHistory;
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
  /** Earlier runs CEL expressions see as {@code history} (newest first). */
  public static final int HISTORY_RUNS = 30;

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
    if (states.size() != all.size()) {
      throw new IllegalArgumentException(
          "a part holds " + states.size() + " check states, but these checks are " + all.size());
    }
    rows += otherRows;
    quarantinedRows += otherQuarantined;
    for (int i = 0; i < all.size(); i++) {
      all.get(i).state.merge(states.get(i));
    }
  }

  /** States in the form parts ship them (Java serialization of the compact states). */
  public static byte[] serialize(List<State> states) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(new ArrayList<>(states));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot serialize quality states", e);
    }
    return bytes.toByteArray();
  }

  /** States shipped by {@link #serialize}. */
  @SuppressWarnings("unchecked")
  public static List<State> deserialize(byte[] shipped) {
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(shipped)) {
          @Override
          protected Class<?> resolveClass(java.io.ObjectStreamClass d)
              throws java.io.IOException, ClassNotFoundException {
            // Engines load user jars in their own loaders: resolve the states where they live.
            try {
              return Class.forName(d.getName(), false, Evaluator.class.getClassLoader());
            } catch (ClassNotFoundException e) {
              return super.resolveClass(d);
            }
          }
        }) {
      return (List<State>) in.readObject();
    } catch (java.io.IOException | ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "cannot read the quality state of a part (" + e.getMessage() + ")", e);
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
    private final MeasureTraits traits;
    private final FieldAccessor<T>[] accessors;
    private final boolean primitive;
    private final FieldAccessor.OfObject<T> object0;
    private final StructShape<T> shape;
    private final Member<T> member0;
    private final int exactDistinctLimit;
    private final dev.meshwork.spi.GateContext.ReferenceData references;
    private final Plan<T> plan;
    private boolean checkedByStore;
    final State state = new State();

    /** One check's work on one row, chosen once per check: no per-row type tests or switches. */
    @FunctionalInterface
    private interface RowObserver<T> {
      /** True when the row fails the check. */
      boolean observe(T value);
    }

    /** The observed value once all values were seen. */
    @FunctionalInterface
    private interface Observation {
      double observed(long rows, Clock clock);
    }

    /** A yes/no judgement over the run's metrics and earlier runs' metrics: 1 or 0. */
    @FunctionalInterface
    private interface Judgement {
      double judge(java.util.Map<String, Object> metrics, MetricsHistory history);
    }

    /**
     * What one kind of check does: per row, at the end, for metric rules, and what a quarantined
     * row is told.
     */
    private record Plan<T>(
        RowObserver<T> observer,
        Observation observation,
        Judgement judgement,
        Bounds bounds,
        String reason) {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    Compiled(
        Check check,
        StructShape<T> shape,
        int exactDistinctLimit,
        dev.meshwork.spi.GateContext.ReferenceData references) {
      this.check = check;
      this.traits = MeasureTraits.of(check.measure());
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
      this.shape = shape;
      this.exactDistinctLimit = exactDistinctLimit;
      this.references = references;
      this.plan = check.measure().accept(new Planner());
    }

    /** Chooses, once per check, the plan of its kind specialised to its column's accessor. */
    private final class Planner implements Measure.Visitor<Plan<T>> {
      private final String col = String.join(", ", check.columns());
      private final FieldAccessor<T> a = accessors.length > 0 ? accessors[0] : null;

      private Plan<T> counting(RowObserver<T> observer, String reason) {
        return new Plan<>(observer, this::failed, null, null, reason);
      }

      private double failed(long rows, Clock clock) {
        return scaled(state.failed, state.considered);
      }

      @Override
      public Plan<T> nullValues(Measure.NullValues m) {
        return counting(primitive ? v -> false : v -> read(0, v) == null, col + " is null");
      }

      @Override
      public Plan<T> missingValues(Measure.MissingValues m) {
        java.util.Set<Object> missing = m.values();
        return counting(
            v -> {
              Object x = read(0, v);
              return x == null || missing.contains(normal(x));
            },
            col + " is missing (null or one of " + missing + ")");
      }

      @Override
      public Plan<T> invalidValues(Measure.InvalidValues m) {
        Bounds bounds = Bounds.of(m);
        String reason = col + " is not a valid value: " + check.description();
        RowObserver<T> observer = null;
        if (m.boundsOnly()) {
          // Numeric ranges on primitive columns are checked without boxing.
          if (a instanceof FieldAccessor.OfLong<T> l) {
            observer = v -> !bounds.test(l.getLong(v));
          } else if (a instanceof FieldAccessor.OfDouble<T> d) {
            observer = v -> !bounds.test(d.getDouble(v));
          } else if (a instanceof FieldAccessor.OfInt<T> n) {
            observer = v -> !bounds.test(n.getInt(v));
          } else if (a instanceof FieldAccessor.OfFloat<T> f) {
            observer = v -> !bounds.test(f.getFloat(v));
          }
        } else if (bounds == null
            && m.pattern() == null
            && m.minLength() == null
            && m.maxLength() == null
            && m.validValues().stream().allMatch(x -> x instanceof String)) {
          // Text categories: membership without the generic set's per-lookup division.
          java.util.Set<Object> valid = m.validValues();
          StringSet allowed = new StringSet(valid.stream().map(x -> (String) x).toList());
          observer =
              v -> {
                Object x = read(0, v);
                if (x == null) {
                  return false;
                }
                if (x instanceof String str) {
                  return !allowed.contains(str);
                }
                return !valid.contains(normal(x));
              };
        }
        if (observer == null) {
          java.util.function.Predicate<String> pattern =
              m.pattern() == null ? null : FastPattern.of(m.pattern());
          observer = v -> invalid(m, pattern, bounds, read(0, v));
        }
        return new Plan<>(observer, this::failed, null, bounds, reason);
      }

      @Override
      public Plan<T> duplicateValues(Measure.DuplicateValues m) {
        state.distinct = new DistinctCounter(exactDistinctLimit);
        return new Plan<>(
            duplicates(a),
            (rows, clock) -> scaled(state.nonNull - state.distinct.count(), state.nonNull),
            null,
            null,
            check.description());
      }

      @Override
      public Plan<T> rowCount(Measure.RowCount m) {
        return new Plan<>(v -> false, (rows, clock) -> rows, null, null, check.description());
      }

      @Override
      public Plan<T> freshness(Measure.Freshness m) {
        return new Plan<>(
            v -> {
              observeNewest(v);
              return false;
            },
            (rows, clock) ->
                state.maxMicros == Long.MIN_VALUE
                    ? Double.POSITIVE_INFINITY
                    : (clock.instant().getEpochSecond() * 1_000_000
                            + clock.instant().getNano() / 1_000
                            - state.maxMicros)
                        / 1_000_000.0,
            null,
            null,
            check.description());
      }

      @Override
      @SuppressWarnings("unchecked")
      public Plan<T> rowPredicate(Measure.RowPredicate m) {
        if (!m.type().isAssignableFrom(shape.javaType())) {
          throw new IllegalArgumentException(
              "the predicate takes "
                  + m.type().getSimpleName()
                  + ", but the port writes "
                  + shape.javaType().getSimpleName());
        }
        java.util.function.Predicate<T> p = (java.util.function.Predicate<T>) m.predicate();
        return counting(v -> !p.test(v), "the row fails: " + check.description());
      }

      @Override
      public Plan<T> rowExpression(Measure.RowExpression m) {
        dev.cel.runtime.CelRuntime.Program program = CelExpressions.compile(m.cel());
        return counting(
            v ->
                !CelExpressions.test(
                    program, java.util.Map.of("row", CelExpressions.asMap(shape, v))),
            "the row fails: " + check.description());
      }

      @Override
      public Plan<T> metricExpression(Measure.MetricExpression m) {
        dev.cel.runtime.CelRuntime.Program program = CelExpressions.compile(m.cel());
        return new Plan<>(
            v -> false,
            Compiled::judgedOnMetrics,
            (metrics, history) ->
                CelExpressions.test(
                        program,
                        java.util.Map.of(
                            "metrics", metrics, "history", history.recent(HISTORY_RUNS)))
                    ? 1
                    : 0,
            null,
            check.description());
      }

      @Override
      public Plan<T> anomaly(Measure.AnomalyOf m) {
        String metric = m.metric();
        return new Plan<>(
            v -> false,
            Compiled::judgedOnMetrics,
            (metrics, history) -> {
              List<Double> past =
                  history.recent(m.rule().runs()).stream()
                      .map(h -> h.get(metric))
                      .filter(x -> x != null && !x.isNaN())
                      .toList();
              return metrics.get(metric) instanceof Number n
                      && m.rule().accepts(n.doubleValue(), past)
                  ? 1
                  : 0;
            },
            null,
            check.description());
      }

      @Override
      public Plan<T> reference(Measure.Reference m) {
        java.util.Set<Object> referenced;
        try {
          referenced = references.values(m.port(), m.column());
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(
              "cannot read the referenced keys " + m.target() + ": " + e.getMessage(), e);
        }
        return counting(
            v -> {
              Object x = read(0, v);
              return x != null && !referenced.contains(normal(x));
            },
            col + " has no match in " + m.target());
      }

      @Override
      public Plan<T> notExecutable(Measure.NotExecutable m) {
        return new Plan<>(v -> false, (rows, clock) -> Double.NaN, null, null, check.description());
      }
    }

    private static double judgedOnMetrics(long rows, Clock clock) {
      throw new IllegalStateException("metric rules are judged over metrics, see judge(...)");
    }

    /** This check run on the pages a store encodes, or null when it must read rows. */
    ColumnCheck pageCheck() {
      return member0 == null ? null : PageChecks.of(this, member0.field().type(), accessors[0]);
    }

    /** The check. */
    public Check check() {
      return check;
    }

    /** How its kind takes part in a verdict. */
    public MeasureTraits traits() {
      return traits;
    }

    /** Its state. */
    public State state() {
      return state;
    }

    /** What a row this check quarantines is told. */
    public String reason() {
      return plan.reason();
    }

    boolean seesRows() {
      return traits.seesRows();
    }

    boolean rowLevel() {
      return traits.judgesRows();
    }

    /** Updates the state with one value; true when the value fails this (row-level) check. */
    boolean observe(T value) {
      state.considered++;
      if (plan.observer().observe(value)) {
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

    private static boolean invalid(
        Measure.InvalidValues m,
        java.util.function.Predicate<String> pattern,
        Bounds bounds,
        Object v) {
      if (v == null) {
        return false;
      }
      if (m.validValues() != null && !m.validValues().contains(normal(v))) {
        return true;
      }
      if (pattern != null && !pattern.test(text(v))) {
        return true;
      }
      if (m.minLength() != null || m.maxLength() != null) {
        int len = text(v).length();
        if (m.minLength() != null && len < m.minLength()
            || m.maxLength() != null && len > m.maxLength()) {
          return true;
        }
      }
      if (bounds != null) {
        if (!(v instanceof Number n)) {
          return true;
        }
        return !bounds.test(n.doubleValue());
      }
      return false;
    }

    /** Whether a number lies within the check's bounds (true when it has none). */
    boolean inRange(double d) {
      return plan.bounds() == null || plan.bounds().test(d);
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

    private void observeNewest(T value) {
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
      return plan.observation().observed(rows, clock);
    }

    private double scaled(long count, long of) {
      if (check.unit() == Check.Unit.PERCENT) {
        return of == 0 ? 0 : 100.0 * count / of;
      }
      return count;
    }

    /**
     * Judges a metric rule (see {@link MeasureTraits#judgedOnMetrics()}) over this run's metrics
     * and the product's history: 1 when it holds, 0 otherwise.
     */
    public double judge(java.util.Map<String, Object> metrics, MetricsHistory history) {
      if (plan.judgement() == null) {
        throw new IllegalStateException(check.id() + " is not judged over metrics");
      }
      return plan.judgement().judge(metrics, history);
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
