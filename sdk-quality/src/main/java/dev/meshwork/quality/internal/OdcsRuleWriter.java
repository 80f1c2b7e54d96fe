package dev.meshwork.quality.internal;

import dev.meshwork.core.model.Comparison;
import dev.meshwork.quality.Check;
import dev.meshwork.quality.Measure;
import dev.meshwork.quality.Severity;
import dev.meshwork.quality.Threshold;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a check as an ODCS v3 quality rule, the reverse of {@link ContractRules}: library metrics
 * where ODCS has one, {@code type: custom, engine: meshwork} for CEL expressions, and {@code type:
 * text} with the description for kinds ODCS cannot express.
 */
public final class OdcsRuleWriter {
  private OdcsRuleWriter() {}

  /** The rule, as the map a YAML writer turns into an ODCS {@code quality} entry. */
  public static Map<String, Object> rule(Check c) {
    Map<String, Object> r = c.measure().accept(new What(c));
    if (!"text".equals(r.get("type"))) {
      Threshold t = c.threshold();
      boolean range =
          t.operator() == Comparison.Operator.MUST_BE_BETWEEN
              || t.operator() == Comparison.Operator.MUST_NOT_BE_BETWEEN;
      r.put(
          t.operator().key(),
          range ? List.of(number(t.value()), number(t.upper())) : number(t.value()));
      if (c.unit() == Check.Unit.PERCENT) {
        r.put("unit", "percent");
      }
    }
    r.put(
        "severity",
        c.severity() == Severity.WARN ? "warning" : c.severity().name().toLowerCase(Locale.ROOT));
    if (c.dimension() != null) {
      r.put("dimension", c.dimension());
    }
    return r;
  }

  private static Object number(double d) {
    return d == Math.rint(d) ? (Object) (long) d : d;
  }

  /** The part of the rule that says what it measures. */
  private static final class What implements Measure.Visitor<Map<String, Object>> {
    private final Check check;

    What(Check check) {
      this.check = check;
    }

    private static Map<String, Object> metric(String name) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("metric", name);
      return r;
    }

    private Map<String, Object> custom(String cel) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("type", "custom");
      r.put("engine", "meshwork");
      r.put("implementation", cel);
      r.put("description", check.description());
      return r;
    }

    private Map<String, Object> text() {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("type", "text");
      r.put("description", check.description());
      return r;
    }

    @Override
    public Map<String, Object> nullValues(Measure.NullValues m) {
      return metric("nullValues");
    }

    @Override
    public Map<String, Object> missingValues(Measure.MissingValues m) {
      Map<String, Object> r = metric("missingValues");
      r.put("arguments", Map.of("missingValues", new ArrayList<>(m.values())));
      return r;
    }

    @Override
    public Map<String, Object> invalidValues(Measure.InvalidValues m) {
      if (m.exclusiveMinimum()
          || m.exclusiveMaximum()
          || m.minLength() != null
          || m.maxLength() != null) {
        // ODCS invalidValues has no exclusive bounds or lengths; those live in logicalTypeOptions.
        return text();
      }
      Map<String, Object> r = metric("invalidValues");
      Map<String, Object> args = new LinkedHashMap<>();
      if (m.validValues() != null) {
        args.put("validValues", new ArrayList<>(m.validValues()));
      }
      if (m.pattern() != null) {
        args.put("pattern", m.pattern().pattern());
      }
      if (m.minimum() != null) {
        args.put("minimum", m.minimum());
      }
      if (m.maximum() != null) {
        args.put("maximum", m.maximum());
      }
      r.put("arguments", args);
      return r;
    }

    @Override
    public Map<String, Object> duplicateValues(Measure.DuplicateValues m) {
      Map<String, Object> r = metric("duplicateValues");
      if (check.columns().size() > 1) {
        r.put("arguments", Map.of("properties", check.columns()));
      }
      return r;
    }

    @Override
    public Map<String, Object> rowCount(Measure.RowCount m) {
      return metric("rowCount");
    }

    @Override
    public Map<String, Object> freshness(Measure.Freshness m) {
      return text();
    }

    @Override
    public Map<String, Object> rowPredicate(Measure.RowPredicate m) {
      return text();
    }

    @Override
    public Map<String, Object> rowExpression(Measure.RowExpression m) {
      return custom(m.cel());
    }

    @Override
    public Map<String, Object> metricExpression(Measure.MetricExpression m) {
      return custom(m.cel());
    }

    @Override
    public Map<String, Object> anomaly(Measure.AnomalyOf m) {
      return text();
    }

    @Override
    public Map<String, Object> reference(Measure.Reference m) {
      return text();
    }

    @Override
    public Map<String, Object> notExecutable(Measure.NotExecutable m) {
      return text();
    }
  }
}
