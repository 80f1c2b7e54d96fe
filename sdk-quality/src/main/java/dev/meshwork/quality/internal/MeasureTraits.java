package dev.meshwork.quality.internal;

import dev.meshwork.quality.Measure;

/**
 * How each kind of measure takes part in a verdict, in one place: the evaluator and the gate ask
 * these instead of testing kinds.
 *
 * @param executable false for rules that are reported, never run
 * @param seesRows whether the check looks at rows at all (row counts and metric rules use totals)
 * @param judgesRows whether it judges each row on its own, so it can quarantine that row
 * @param judgedOnMetrics whether it is a yes/no judgement over the run's metrics and history
 * @param observedWithoutRows what it observes when the port saw no rows at all
 * @param countsDistinct whether it counts distinct keys (exactly or by sketch)
 */
public record MeasureTraits(
    boolean executable,
    boolean seesRows,
    boolean judgesRows,
    boolean judgedOnMetrics,
    double observedWithoutRows,
    boolean countsDistinct) {

  private static final MeasureTraits ROW_JUDGEMENT =
      new MeasureTraits(true, true, true, false, 0, false);
  private static final MeasureTraits TOTALS =
      new MeasureTraits(true, false, false, false, 0, false);
  private static final MeasureTraits METRICS =
      new MeasureTraits(true, false, false, true, 0, false);
  // A duplicate is only known once its twin was seen: it cannot judge a row on its own.
  private static final MeasureTraits DISTINCT =
      new MeasureTraits(true, true, false, false, 0, true);
  private static final MeasureTraits NEWEST =
      new MeasureTraits(true, true, false, false, Double.POSITIVE_INFINITY, false);
  private static final MeasureTraits NOT_RUN =
      new MeasureTraits(false, false, false, false, Double.NaN, false);

  private static final Measure.Visitor<MeasureTraits> TRAITS =
      new Measure.Visitor<>() {
        @Override
        public MeasureTraits nullValues(Measure.NullValues m) {
          return ROW_JUDGEMENT;
        }

        @Override
        public MeasureTraits missingValues(Measure.MissingValues m) {
          return ROW_JUDGEMENT;
        }

        @Override
        public MeasureTraits invalidValues(Measure.InvalidValues m) {
          return ROW_JUDGEMENT;
        }

        @Override
        public MeasureTraits duplicateValues(Measure.DuplicateValues m) {
          return DISTINCT;
        }

        @Override
        public MeasureTraits rowCount(Measure.RowCount m) {
          return TOTALS;
        }

        @Override
        public MeasureTraits freshness(Measure.Freshness m) {
          return NEWEST;
        }

        @Override
        public MeasureTraits rowPredicate(Measure.RowPredicate m) {
          return ROW_JUDGEMENT;
        }

        @Override
        public MeasureTraits rowExpression(Measure.RowExpression m) {
          return ROW_JUDGEMENT;
        }

        @Override
        public MeasureTraits metricExpression(Measure.MetricExpression m) {
          return METRICS;
        }

        @Override
        public MeasureTraits anomaly(Measure.AnomalyOf m) {
          return METRICS;
        }

        @Override
        public MeasureTraits reference(Measure.Reference m) {
          return ROW_JUDGEMENT;
        }

        @Override
        public MeasureTraits notExecutable(Measure.NotExecutable m) {
          return NOT_RUN;
        }
      };

  /** The traits of a measure. */
  public static MeasureTraits of(Measure measure) {
    return measure.accept(TRAITS);
  }

  /**
   * Whether it speaks of the whole table rather than of each written row (row counts and
   * duplicates): judged on the resulting version when a write replaces or removes rows.
   */
  public boolean concernsTable() {
    return countsDistinct || (executable && !seesRows && !judgedOnMetrics);
  }

  /** Whether its observed value is a metric other checks' expressions can use. */
  public boolean isMetric() {
    return executable && !judgedOnMetrics;
  }
}
