package dev.meshwork.quality;

import dev.meshwork.core.Row;
import dev.meshwork.quality.internal.DistinctCounter;
import dev.meshwork.quality.internal.OdcsRuleWriter;
import java.math.BigDecimal;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Profiles rows (a batch, or a table read through an input port as {@link Row}s) and suggests
 * quality rules, as Deequ and Great Expectations do: completeness, ranges, allowed values for
 * low-cardinality text, uniqueness, text lengths. Suggestions come as checks and as ODCS YAML.
 */
public final class Profiler {
  /** Text columns with at most this many distinct values get an allowed-values rule. */
  public static final int LOW_CARDINALITY = 20;

  private Profiler() {}

  /** Profiles every row of the stream (and closes it). */
  public static Profile profile(Stream<Row> rows) {
    Map<String, ColumnProfile.Acc> acc = new LinkedHashMap<>();
    long[] count = {0};
    try (rows) {
      rows.forEach(
          r -> {
            count[0]++;
            r.values()
                .forEach(
                    (name, v) -> acc.computeIfAbsent(name, n -> new ColumnProfile.Acc()).add(v));
          });
    }
    List<ColumnProfile> columns = new ArrayList<>();
    acc.forEach((name, a) -> columns.add(a.finish(name, count[0])));
    return new Profile(count[0], columns);
  }

  /** What the profiler found in one column. */
  public record ColumnProfile(
      String name,
      String type,
      long count,
      long nulls,
      long distinct,
      boolean distinctExact,
      Double min,
      Double max,
      Integer minLength,
      Integer maxLength,
      List<String> values) {

    static final class Acc {
      long nonNull;
      long nulls;
      String type;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      int minLen = Integer.MAX_VALUE;
      int maxLen = -1;
      final DistinctCounter distinct = new DistinctCounter(100_000);
      TreeSet<String> values = new TreeSet<>();

      void add(Object v) {
        if (v == null) {
          nulls++;
          return;
        }
        nonNull++;
        if (type == null) {
          type = typeOf(v);
        }
        distinct.add(
            DistinctCounter.hash(
                v instanceof BigDecimal d
                    ? (Object) d.doubleValue()
                    : v instanceof Number || v instanceof CharSequence ? v : v.toString()));
        if (v instanceof Number n) {
          double d = n.doubleValue();
          min = Math.min(min, d);
          max = Math.max(max, d);
        } else if (v instanceof CharSequence s) {
          minLen = Math.min(minLen, s.length());
          maxLen = Math.max(maxLen, s.length());
          if (values != null) {
            values.add(s.toString());
            if (values.size() > LOW_CARDINALITY) {
              values = null;
            }
          }
        }
      }

      ColumnProfile finish(String name, long rows) {
        boolean numeric = min <= max;
        return new ColumnProfile(
            name,
            type == null ? "unknown" : type,
            rows,
            nulls + (rows - nulls - nonNull),
            distinct.count(),
            distinct.isExact(),
            numeric ? min : null,
            numeric ? max : null,
            maxLen >= 0 ? minLen : null,
            maxLen >= 0 ? maxLen : null,
            values == null ? null : List.copyOf(values));
      }

      private static String typeOf(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
          return "integer";
        }
        if (v instanceof Number) {
          return "number";
        }
        if (v instanceof Boolean) {
          return "boolean";
        }
        if (v instanceof java.time.LocalDate) {
          return "date";
        }
        if (v instanceof Temporal) {
          return "timestamp";
        }
        if (v instanceof Row || v instanceof Map<?, ?>) {
          return "object";
        }
        if (v instanceof List<?>) {
          return "array";
        }
        return "string";
      }
    }
  }

  /** A profile of all columns, with suggested rules. */
  public record Profile(long rows, List<ColumnProfile> columns) {

    /** Copies the columns. */
    public Profile {
      columns = List.copyOf(columns);
    }

    /** Suggested checks: what held for this data, as rules that would catch a change. */
    public List<Check> suggestions() {
      List<Check> out = new ArrayList<>();
      for (ColumnProfile c : columns) {
        if (c.count() == 0) {
          continue;
        }
        if (c.nulls() == 0) {
          out.add(Check.isComplete(c.name()).dimension("completeness"));
        } else {
          double pct = 100.0 * c.nulls() / c.count();
          out.add(
              Check.isComplete(c.name())
                  .percent()
                  .expect(Threshold.mustBeLessOrEqualTo(Math.ceil(pct * 1.5)))
                  .severity(Severity.WARN)
                  .dimension("completeness"));
        }
        long nonNull = c.count() - c.nulls();
        if (c.distinctExact()
            && nonNull > 1
            && c.distinct() == nonNull
            && !"boolean".equals(c.type())) {
          out.add(Check.isUnique(c.name()).dimension("uniqueness"));
        }
        if (c.min() != null) {
          out.add(
              Check.inRange(c.name(), c.min(), c.max())
                  .severity(Severity.WARN)
                  .dimension("accuracy"));
        }
        if (c.values() != null && c.distinct() <= LOW_CARDINALITY && c.distinct() < nonNull) {
          out.add(Check.allowedValues(c.name(), c.values().toArray()).dimension("conformity"));
        }
      }
      return out;
    }

    /** The suggestions as an ODCS v3.1 schema object (YAML) to paste into a contract. */
    public String toOdcsYaml(String objectName) {
      Map<String, List<Map<String, Object>>> rules = new LinkedHashMap<>();
      for (Check c : suggestions()) {
        rules
            .computeIfAbsent(c.columns().get(0), k -> new ArrayList<>())
            .add(OdcsRuleWriter.rule(c));
      }
      List<Map<String, Object>> properties = new ArrayList<>();
      for (ColumnProfile c : columns) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", c.name());
        p.put("logicalType", c.type());
        if (c.nulls() == 0 && c.count() > 0) {
          p.put("required", true);
        }
        if (rules.containsKey(c.name())) {
          p.put("quality", rules.get(c.name()));
        }
        properties.add(p);
      }
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("name", objectName);
      object.put(
          "quality",
          List.of(
              Map.of(
                  "metric",
                  "rowCount",
                  "mustBeGreaterThan",
                  0,
                  "description",
                  "profiled " + rows + " rows")));
      object.put("properties", properties);
      DumperOptions o = new DumperOptions();
      o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
      o.setIndicatorIndent(0);
      return new Yaml(o).dump(Map.of("schema", List.of(object)));
    }
  }
}
