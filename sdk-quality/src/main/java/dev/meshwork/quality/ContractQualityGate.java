package dev.meshwork.quality;

import dev.meshwork.quality.internal.ContractRules;
import dev.meshwork.quality.internal.DistinctCounter;
import dev.meshwork.quality.internal.Evaluator;
import dev.meshwork.quality.internal.MeasureTraits;
import dev.meshwork.spi.GateContext;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.PartialQuality;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.write.StructShape;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The quality gate: runs, for every output port, the rules of its ODCS contract plus the Java
 * suites registered for the port, in one pass while the output is written. {@code error} failures
 * block the publish, {@code warn} failures are recorded, {@code quarantine} rules divert failing
 * rows to the port's {@code <port>__quarantine} table.
 *
 * <p>An output published in a mode that replaces or removes rows (overwrite, upsert, delete) has
 * the rules about the whole table, row counts and duplicates (primary-key uniqueness among them),
 * judged on the version it results in: it is committed to an audit branch, those rules read it
 * there, and main moves to it only if they pass. Every other rule judges the written rows.
 *
 * <p>Duplicate counts are exact (over 64-bit hashes) up to {@link Builder#exactDistinctLimit(int)}
 * keys per check (default 1,000,000), then approximate with a relative error of about 0.8%, which
 * the report states.
 */
public final class ContractQualityGate implements QualityGate {
  /** Snapshot summary keys the gate adds to every published output. */
  public static final String SUMMARY_SUITE_HASH = dev.meshwork.core.SummaryKeys.QUALITY_SUITE_HASH;

  public static final String SUMMARY_PASSED = dev.meshwork.core.SummaryKeys.QUALITY_PASSED;
  public static final String SUMMARY_FAILED = dev.meshwork.core.SummaryKeys.QUALITY_FAILED;
  public static final String SUMMARY_WARNINGS = dev.meshwork.core.SummaryKeys.QUALITY_WARNINGS;
  public static final String SUMMARY_QUARANTINED =
      dev.meshwork.core.SummaryKeys.QUALITY_QUARANTINED;

  private final Map<String, List<Suite>> suites;
  private final Map<String, List<AuditRule>> audits;
  private final boolean keepAuditBranch;
  private final Clock clock;
  private final int exactDistinctLimit;
  private final boolean contractRules;
  private final boolean pageChecks;

  private ContractQualityGate(Builder b) {
    this.suites = Map.copyOf(b.suites);
    this.audits = Map.copyOf(b.audits);
    this.keepAuditBranch = b.keepAuditBranch;
    this.clock = b.clock;
    this.exactDistinctLimit = b.exactDistinctLimit;
    this.contractRules = b.contractRules;
    this.pageChecks = b.pageChecks;
  }

  /** The gate of the contracts' rules, with defaults. */
  public static ContractQualityGate ofDefaults() {
    return builder().build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The checks that run on one port: its contract's rules, then its registered suites. */
  public Suite suiteFor(GateContext context, List<String> problems) {
    List<Check> checks = new ArrayList<>();
    if (contractRules && context.contract() != null && context.schemaObject() != null) {
      checks.addAll(ContractRules.compile(context.contract(), context.schemaObject(), problems));
    }
    for (Suite s : suites.getOrDefault(context.port(), List.of())) {
      checks.addAll(s.checks());
    }
    return Suite.of(context.port(), checks);
  }

  @Override
  public Session open(GateContext context) {
    List<String> problems = new ArrayList<>();
    Suite suite = suiteFor(context, problems);
    return new GateSession(suite, context, problems);
  }

  /** The checks of one output port of one run. */
  private final class GateSession implements Session {
    private final Suite suite;
    private final GateContext context;
    private final List<String> problems;
    private final List<Check> onTable;
    private Evaluator<Object> evaluator;

    GateSession(Suite suite, GateContext context, List<String> problems) {
      this.suite = suite;
      this.context = context;
      this.problems = problems;
      // An append's rows are the version's news: its rules judge them, as they always have.
      this.onTable =
          context.mode() instanceof dev.meshwork.core.WriteMode.Append || context.schema() == null
              ? List.of()
              : suite.checks().stream()
                  .filter(c -> MeasureTraits.of(c.measure()).concernsTable())
                  .toList();
    }

    @SuppressWarnings("unchecked")
    private Evaluator<Object> evaluator(StructShape<?> shape) {
      if (evaluator == null) {
        evaluator =
            new Evaluator<>(
                suite.checks(),
                (StructShape<Object>) shape,
                exactDistinctLimit,
                context.references());
        problems.addAll(evaluator.problems());
      }
      return evaluator;
    }

    @Override
    public <T> List<dev.meshwork.spi.write.ColumnCheck> columnChecks(StructShape<T> shape) {
      return pageChecks ? evaluator(shape).columnChecks() : List.of();
    }

    @Override
    public void checkedByStore(java.util.Set<dev.meshwork.spi.write.ColumnCheck> taken) {
      if (evaluator == null) {
        throw new IllegalStateException("no column checks were offered");
      }
      evaluator.checkedByStore(taken);
    }

    @Override
    public <T> Rejection observe(StructShape<T> shape, T value) {
      Evaluator.Compiled<Object> rejectedBy = evaluator(shape).observe(value);
      if (rejectedBy == null) {
        return null;
      }
      Check c = rejectedBy.check();
      return new Rejection(c.id(), c.description(), rejectedBy.reason());
    }

    @Override
    public boolean diverts() {
      return suite.checks().stream().anyMatch(c -> c.severity() == Severity.QUARANTINE);
    }

    @Override
    public GateVerdict verdict() {
      return ContractQualityGate.this.verdict(suite, context, evaluator, problems, onTable, null);
    }

    /** The verdict with the rules about the whole table judged on the rows of {@code view}. */
    @SuppressWarnings("unchecked")
    private GateVerdict judgedOn(AuditView view) {
      Evaluator<Object> table =
          new Evaluator<>(
              onTable,
              (StructShape<Object>)
                  (StructShape<?>)
                      dev.meshwork.spi.write.ValueShapes.rows(context.schema().struct()),
              exactDistinctLimit,
              context.references());
      try (java.util.stream.Stream<dev.meshwork.core.Row> rows = view.rows().get()) {
        rows.forEach(table::observe);
      }
      return ContractQualityGate.this.verdict(suite, context, evaluator, problems, onTable, table);
    }

    @Override
    public PartialQuality partial() {
      if (evaluator == null) {
        return new PartialQuality(suite.hash(), 0, 0, new byte[0]);
      }
      return new PartialQuality(
          suite.hash(),
          evaluator.rows(),
          evaluator.quarantinedRows(),
          Evaluator.serialize(evaluator.states()));
    }

    @Override
    public <T> void absorb(StructShape<T> shape, PartialQuality part) {
      if (!suite.hash().equals(part.suiteHash())) {
        throw new IllegalArgumentException(
            "A part of output port '"
                + context.port()
                + "' was checked by suite "
                + part.suiteHash()
                + ", but this run checks it with suite "
                + suite.hash()
                + " ("
                + suite.checks().size()
                + " checks): every task must build the same checks (the same contract version and"
                + " the same Java suites, from the same suite factory). Its rows are not merged.");
      }
      if (part.state().length == 0) {
        // A part that saw nothing leaves the session as it was, as a writer that saw nothing does.
        return;
      }
      evaluator(shape)
          .mergeStates(part.rows(), part.quarantinedRows(), Evaluator.deserialize(part.state()));
    }

    @Override
    public Audit audit() {
      List<AuditRule> registered = auditRules(context);
      if (registered == null && onTable.isEmpty()) {
        return null;
      }
      List<AuditRule> rules = registered == null ? List.of() : registered;
      return new Audit() {
        @Override
        public List<String> check(AuditView view) {
          List<String> failures = new ArrayList<>();
          for (AuditRule r : rules) {
            r.failure(view).ifPresent(failures::add);
          }
          return failures;
        }

        @Override
        public GateVerdict judge(AuditView view, GateVerdict written) {
          return Audit.super.judge(view, onTable.isEmpty() ? written : judgedOn(view));
        }

        @Override
        public boolean keepsBranchOnFailure() {
          return keepAuditBranch;
        }
      };
    }
  }

  /**
   * The audit rules of a port, or null when it publishes directly: those registered in Java, or,
   * from the contract's schema object, custom property {@code writeAuditPublish: true} with
   * optional {@code auditMaxRowCountChange} (a fraction).
   */
  private List<AuditRule> auditRules(GateContext context) {
    List<AuditRule> rules = audits.get(context.port());
    if (rules != null) {
      return rules;
    }
    if (!contractRules || context.schemaObject() == null) {
      return null;
    }
    var props = context.schemaObject().customProperties();
    boolean wap =
        props.stream()
            .anyMatch(
                p ->
                    "writeAuditPublish".equals(p.property())
                        && Boolean.parseBoolean(String.valueOf(p.value())));
    if (!wap) {
      return null;
    }
    List<AuditRule> fromContract = new ArrayList<>();
    props.stream()
        .filter(p -> "auditMaxRowCountChange".equals(p.property()) && p.value() instanceof Number)
        .forEach(
            p -> fromContract.add(AuditRule.maxRowCountChange(((Number) p.value()).doubleValue())));
    return fromContract;
  }

  /**
   * Whether a duplicate measure estimated by the sketch could still meet its threshold: the
   * estimated distinct count is off by up to three standard errors either way.
   */
  private static boolean withinSketchError(Check c, double observed, long rows) {
    if (rows <= 0) {
      return false;
    }
    boolean percent = c.unit() == Check.Unit.PERCENT;
    double duplicates = percent ? observed * rows / 100.0 : observed;
    double margin = 3 * DistinctCounter.APPROXIMATE_ERROR * Math.max(0, rows - duplicates);
    double scale = percent ? 100.0 / rows : 1;
    double low = Math.max(0, duplicates - margin) * scale;
    double high = (duplicates + margin) * scale;
    return c.threshold().admitsSomeIn(low, high);
  }

  /**
   * The verdict over the written rows' {@code evaluator}; the {@code onTable} checks are judged by
   * {@code table}, which saw the resulting version, and left out while it is null.
   */
  private GateVerdict verdict(
      Suite suite,
      GateContext context,
      Evaluator<Object> written,
      List<String> problems,
      List<Check> onTable,
      Evaluator<Object> table) {
    long writtenRows = written == null ? 0 : written.rows() - written.quarantinedRows();
    List<String> blocking = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<GateVerdict.AssertionResult> assertions = new ArrayList<>();
    List<QualityReport.Result> results = new ArrayList<>();
    Map<String, GateVerdict.ColumnMetrics> columns = new LinkedHashMap<>();
    for (String p : problems) {
      blocking.add("rule cannot run: " + p + ". Fix the contract or suite.");
    }
    int passed = 0;
    int failed = 0;
    List<Check> checks = suite.checks();
    for (int i = 0; i < checks.size(); i++) {
      Check c = checks.get(i);
      boolean resulting = onTable.contains(c);
      if (resulting && table == null) {
        continue;
      }
      Evaluator<Object> evaluator = resulting ? table : written;
      long rows = resulting ? table.rows() : writtenRows;
      Evaluator.Compiled<Object> compiled = find(evaluator, c);
      MeasureTraits traits = MeasureTraits.of(c.measure());
      if (!traits.executable() || (compiled == null && evaluator != null)) {
        if (compiled == null && traits.executable()) {
          continue;
        }
        warnings.add(c.id() + ": " + c.description());
        results.add(result(c, QualityReport.Status.NOT_EXECUTED, null, null));
        continue;
      }
      double observed;
      if (compiled == null) {
        observed = traits.observedWithoutRows();
      } else if (traits.judgedOnMetrics()) {
        observed = compiled.judge(metrics(evaluator, rows), context.history());
      } else if (c.severity() == Severity.QUARANTINE && traits.seesRows()) {
        observed = compiled.observed(evaluator.rows(), clock);
      } else {
        observed = compiled.observed(rows, clock);
      }
      boolean ok = c.severity() == Severity.QUARANTINE || c.threshold().test(observed);
      boolean approximate = compiled != null && !compiled.exact();
      if (!ok && approximate && traits.countsDistinct() && withinSketchError(c, observed, rows)) {
        // The sketch cannot tell this from a pass: failing on it would fail unique keys at random.
        ok = true;
        warnings.add(
            c.id()
                + " ("
                + c.description()
                + "): not checked exactly: over "
                + exactDistinctLimit
                + " keys the count is estimated (HyperLogLog, ±0.8%), and the estimate "
                + Threshold.num(observed)
                + " is within its error of "
                + c.threshold()
                + ". Raise ContractQualityGate.builder().exactDistinctLimit(...) above the"
                + " output's row count for an exact check.");
      }
      String observedText = Double.isInfinite(observed) ? "no value" : Threshold.num(observed);
      String line =
          c.id()
              + " ("
              + c.description()
              + "): observed "
              + observedText
              + (c.unit() == Check.Unit.PERCENT ? "%" : "")
              + ", expected "
              + c.threshold()
              + (compiled != null && !compiled.exact() ? " (approximate, ±0.8%)" : "");
      if (traits.judgedOnMetrics()) {
        line =
            c.id() + " (" + c.description() + "): " + (observed == 1 ? "holds" : "does not hold");
      }
      if (ok) {
        passed++;
      } else {
        failed++;
        if (c.severity() == Severity.ERROR) {
          blocking.add(line);
        } else {
          warnings.add(line);
        }
      }
      assertions.add(
          new GateVerdict.AssertionResult(
              c.id(),
              c.columns().size() == 1 ? c.columns().get(0) : null,
              ok,
              c.severity().name().toLowerCase(Locale.ROOT),
              observedText,
              c.threshold().toString()));
      QualityReport.Result r =
          result(
              c,
              ok ? QualityReport.Status.PASSED : QualityReport.Status.FAILED,
              Double.isInfinite(observed) ? null : observed,
              compiled);
      results.add(r);
      if (compiled != null
          && c.columns().size() == 1
          && c.measure() instanceof Measure.NullValues) {
        columns.put(
            c.columns().get(0),
            new GateVerdict.ColumnMetrics(
                compiled.state().failedCount(), null, null, rows, null, null));
      }
    }
    long quarantined = written == null ? 0 : written.quarantinedRows();
    QualityReport report =
        new QualityReport(
            suite.name(),
            suite.hash(),
            context.product() == null ? null : context.product().displayName(),
            context.port(),
            context.runId(),
            clock.instant().toString(),
            blocking.isEmpty(),
            writtenRows,
            quarantined,
            results,
            problems);
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put(SUMMARY_SUITE_HASH, suite.hash());
    summary.put(SUMMARY_PASSED, Integer.toString(passed));
    summary.put(SUMMARY_FAILED, Integer.toString(failed));
    summary.put(SUMMARY_WARNINGS, Integer.toString(warnings.size()));
    summary.put(SUMMARY_QUARANTINED, Long.toString(quarantined));
    Map<String, Double> observations = new LinkedHashMap<>();
    if (written != null) {
      metrics(written, writtenRows)
          .forEach((k, v) -> observations.put(k, ((Number) v).doubleValue()));
    } else {
      observations.put("rowCount", 0.0);
    }
    if (table != null) {
      // The history keeps what the rules judged: the resulting version's counts.
      for (Evaluator.Compiled<Object> c : table.checks()) {
        observations.put(c.check().id(), c.observed(table.rows(), clock));
      }
    }
    return new GateVerdict(
        blocking,
        warnings,
        assertions,
        new GateVerdict.Metrics(writtenRows, null, columns),
        summary,
        report.toJson(),
        observations);
  }

  /** What aggregate expressions see: row counts and every other check's observed value by id. */
  private Map<String, Object> metrics(Evaluator<Object> evaluator, long rows) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rowCount", rows);
    m.put("quarantinedRows", evaluator.quarantinedRows());
    for (Evaluator.Compiled<Object> c : evaluator.checks()) {
      if (c.traits().isMetric()) {
        m.put(c.check().id(), c.observed(rows, clock));
      }
    }
    return m;
  }

  private static Evaluator.Compiled<Object> find(Evaluator<Object> evaluator, Check c) {
    if (evaluator == null) {
      return null;
    }
    for (Evaluator.Compiled<Object> x : evaluator.checks()) {
      if (x.check() == c) {
        return x;
      }
    }
    return null;
  }

  private static QualityReport.Result result(
      Check c, QualityReport.Status status, Double observed, Evaluator.Compiled<Object> compiled) {
    boolean approximate = compiled != null && !compiled.exact();
    MeasureTraits traits = MeasureTraits.of(c.measure());
    return new QualityReport.Result(
        c.id(),
        c.measure().kind(),
        c.columns(),
        c.severity().name(),
        c.dimension(),
        c.origin(),
        c.description(),
        status,
        observed,
        traits.executable() ? c.threshold().toString() : null,
        c.unit().name(),
        traits.countsDistinct() ? !approximate : null,
        approximate ? DistinctCounter.APPROXIMATE_ERROR : null);
  }

  /** Builds a {@link ContractQualityGate}. */
  public static final class Builder {
    private final Map<String, List<Suite>> suites = new LinkedHashMap<>();
    private final Map<String, List<AuditRule>> audits = new LinkedHashMap<>();
    private boolean keepAuditBranch;
    private Clock clock = Clock.systemUTC();
    private int exactDistinctLimit = 1_000_000;
    private boolean contractRules = true;
    private boolean pageChecks = true;

    private Builder() {}

    /** Adds a Java suite for an output port, run next to the contract's rules. */
    public Builder suite(String port, Suite suite) {
      suites
          .computeIfAbsent(Objects.requireNonNull(port, "port"), p -> new ArrayList<>())
          .add(suite);
      return this;
    }

    /**
     * Publishes a port by write-audit-publish: commit to an audit branch, run these rules on the
     * committed version, move main only if they pass.
     */
    public Builder writeAuditPublish(String port, AuditRule... rules) {
      audits.put(Objects.requireNonNull(port, "port"), List.of(rules));
      return this;
    }

    /** Keeps the audit branch of a failed audit for inspection (default: it is removed). */
    public Builder keepAuditBranchOnFailure() {
      this.keepAuditBranch = true;
      return this;
    }

    /** The clock freshness checks and reports use (default system UTC). */
    public Builder clock(Clock time) {
      this.clock = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * Keys counted exactly per duplicate check before switching to the sketch (default 1,000,000).
     */
    public Builder exactDistinctLimit(int keys) {
      if (keys < 1) {
        throw new IllegalArgumentException(
            "exactDistinctLimit must be at least 1, but was " + keys);
      }
      this.exactDistinctLimit = keys;
      return this;
    }

    /** Runs only the registered Java suites, not the contracts' rules. */
    public Builder withoutContractRules() {
      this.contractRules = false;
      return this;
    }

    /**
     * Reads every checked value from the rows, instead of letting a store that encodes its own
     * pages check single-column rules on them (the default, and faster; results are the same).
     */
    public Builder checkEveryRow() {
      this.pageChecks = false;
      return this;
    }

    /** The gate. */
    public ContractQualityGate build() {
      return new ContractQualityGate(this);
    }
  }
}
