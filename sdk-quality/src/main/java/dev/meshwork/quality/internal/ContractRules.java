package dev.meshwork.quality.internal;

import dev.meshwork.core.model.Comparison;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.QualityRule;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.quality.Check;
import dev.meshwork.quality.Measure;
import dev.meshwork.quality.Severity;
import dev.meshwork.quality.Threshold;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns the quality rules of an ODCS contract into checks: library metrics on properties and on the
 * schema object, plus implicit checks from {@code unique}, {@code primaryKey} and {@code
 * logicalTypeOptions}. SQL rules and other engines' custom rules are kept as not-executable checks
 * (reported as warnings, never dropped).
 */
public final class ContractRules {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern UUID_PATTERN =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private ContractRules() {}

  /**
   * The checks of a contract's schema object; problems (bad rules) are added to {@code problems}.
   */
  public static List<Check> compile(
      DataContract contract, SchemaObject object, List<String> problems) {
    List<Check> out = new ArrayList<>();
    int n = 0;
    for (QualityRule r : object.quality()) {
      out.addAll(rules(r, ruleId(r, object.name(), null, n++), null, problems));
    }
    List<String> keys = new ArrayList<>();
    for (SchemaProperty p : object.properties()) {
      int i = 0;
      for (QualityRule r : p.quality()) {
        out.addAll(rules(r, ruleId(r, object.name(), p.name(), i++), p.name(), problems));
      }
      if (p.primaryKey()) {
        keys.add(p.name());
      } else if (p.unique()) {
        out.add(
            Check.isUnique(p.name())
                .id("implicit:unique:" + p.name())
                .dimension("uniqueness")
                .origin("implicit"));
      }
      implicitOptions(p).forEach(out::add);
    }
    if (!keys.isEmpty()) {
      out.add(
          Check.isUnique(keys.toArray(String[]::new))
              .id("implicit:primaryKey:" + String.join("+", keys))
              .describedAs("primary key " + keys + " is unique")
              .dimension("uniqueness")
              .origin("implicit"));
    }
    return out;
  }

  private static String ruleId(QualityRule r, String object, String property, int index) {
    if (r.id() != null) {
      return r.id();
    }
    String base = object + (property == null ? "" : "." + property);
    String what =
        r.metric() != null
            ? r.metric()
            : r.name() != null ? r.name() : r.type() != null ? r.type() : "rule";
    return base + "." + what + (index == 0 ? "" : "#" + index);
  }

  /**
   * The checks of one rule: one, or one per comparison when an ODCS 3.0 rule has several ({@code
   * mustBeGreaterThan: 0} and {@code mustBeLessThan: 100}), each named {@code <rule>.<operator>}
   * after the first, so that all must hold.
   */
  private static List<Check> rules(QualityRule r, String id, String column, List<String> problems) {
    List<Check> out = new ArrayList<>();
    Check first = rule(r, id, column, problems);
    if (first != null) {
      out.add(first);
    }
    if (r.comparison() == null) {
      return out;
    }
    Map<String, Object> rest = new java.util.LinkedHashMap<>(r.extensions());
    List<String> more =
        rest.keySet().stream().filter(k -> Comparison.Operator.forKey(k).isPresent()).toList();
    more.forEach(rest::remove);
    for (String key : more) {
      Comparison.Operator op = Comparison.Operator.forKey(key).get();
      Object operand = r.extensions().get(key);
      QualityRule one =
          new QualityRule(
              r.id(),
              r.name(),
              r.description(),
              r.type(),
              r.metric(),
              r.arguments(),
              new Comparison(op, operand),
              r.unit(),
              r.severity(),
              r.dimension(),
              r.businessImpact(),
              r.method(),
              r.schedule(),
              r.scheduler(),
              r.query(),
              r.engine(),
              r.implementation(),
              r.tags(),
              r.authoritativeDefinitions(),
              r.customProperties(),
              rest);
      Check c = rule(one, id + "." + op.key(), column, problems);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private static Check rule(QualityRule r, String id, String column, List<String> problems) {
    String type =
        r.type() == null
            ? (r.metric() != null ? "library" : "text")
            : r.type().toLowerCase(Locale.ROOT);
    String description = r.description() != null ? r.description() : r.name();
    switch (type) {
      case "sql":
        return Check.notExecutable(
            id,
            description == null ? "SQL rule" : description,
            "SQL rules need a SQL engine; Meshwork checks in-process and does not run them");
      case "text":
        return Check.notExecutable(
            id,
            description == null ? "text rule" : description,
            "text rules describe quality for people and are not executable");
      case "custom":
        if ("meshwork".equalsIgnoreCase(r.engine()) && r.implementation() instanceof String cel) {
          Check.Builder b =
              Check.builder(
                      cel.contains("metrics")
                          ? new Measure.MetricExpression(cel)
                          : new Measure.RowExpression(cel))
                  .id(id)
                  .description(description == null ? cel : description)
                  .severity(Severity.parse(r.severity()))
                  .dimension(r.dimension())
                  .origin("contract");
          if (r.comparison() != null) {
            b.threshold(threshold(r.comparison(), id, problems));
          }
          if ("percent".equalsIgnoreCase(r.unit())) {
            b.unit(Check.Unit.PERCENT);
          }
          return b.build();
        }
        return Check.notExecutable(
            id,
            description == null ? "custom rule" : description,
            "custom rules of engine '"
                + r.engine()
                + "' are not run in-process (engine meshwork takes a CEL expression)");
      default:
        break;
    }
    String metric = r.metric() == null ? "" : r.metric();
    Map<String, Object> args = r.arguments();
    Measure measure;
    switch (metric) {
      case "nullValues" -> measure = new Measure.NullValues();
      case "missingValues" -> {
        Object missing = args.get("missingValues");
        measure =
            new Measure.MissingValues(
                new LinkedHashSet<>(missing instanceof List<?> l ? l : List.of("")));
      }
      case "invalidValues" -> {
        measure = invalidValues(args, id, problems);
        if (measure == null) {
          return null;
        }
      }
      case "duplicateValues" -> measure = new Measure.DuplicateValues();
      case "rowCount" -> measure = new Measure.RowCount();
      default -> {
        problems.add(
            id
                + ": metric '"
                + r.metric()
                + "' is not an ODCS library metric (nullValues, missingValues, invalidValues, duplicateValues, rowCount)");
        return null;
      }
    }
    Check.Builder b = Check.builder(measure);
    if (measure instanceof Measure.DuplicateValues && column == null) {
      Object props = args.get("properties");
      if (props instanceof List<?> l && !l.isEmpty()) {
        l.forEach(p -> b.column(String.valueOf(p)));
      } else {
        problems.add(
            id
                + ": a table-level duplicateValues rule needs arguments.properties, the columns of the key");
        return null;
      }
    } else if (!(measure instanceof Measure.RowCount)) {
      if (column == null) {
        problems.add(
            id + ": metric " + r.metric() + " belongs on a property, not on the schema object");
        return null;
      }
      b.column(column);
    }
    if (r.comparison() != null) {
      Threshold t = threshold(r.comparison(), id, problems);
      if (t == null) {
        return null;
      }
      b.threshold(t);
    }
    if ("percent".equalsIgnoreCase(r.unit())) {
      b.unit(Check.Unit.PERCENT);
    }
    return b.severity(Severity.parse(r.severity()))
        .dimension(r.dimension())
        .description(description)
        .id(id)
        .origin("contract")
        .build();
  }

  private static Measure.InvalidValues invalidValues(
      Map<String, Object> args, String id, List<String> problems) {
    Measure.InvalidValues.Builder b = Measure.InvalidValues.builder();
    if (args.get("validValues") instanceof List<?> l) {
      b.validValues(l);
    }
    if (args.get("pattern") != null) {
      try {
        b.pattern(Pattern.compile(String.valueOf(args.get("pattern"))));
      } catch (PatternSyntaxException e) {
        problems.add(
            id + ": arguments.pattern is not a valid regular expression: " + e.getDescription());
        return null;
      }
    }
    if (number(args.get("minimum")) != null) {
      b.minimum(number(args.get("minimum")));
    }
    if (number(args.get("maximum")) != null) {
      b.maximum(number(args.get("maximum")));
    }
    if (b.isEmpty()) {
      problems.add(id + ": invalidValues needs arguments validValues, pattern, minimum or maximum");
      return null;
    }
    return b.build();
  }

  private static Threshold threshold(Comparison c, String id, List<String> problems) {
    Object v = c.operand();
    if (v instanceof List<?> l) {
      return new Threshold(
          c.operator(), ((Number) l.get(0)).doubleValue(), ((Number) l.get(1)).doubleValue());
    }
    if (!(v instanceof Number n)) {
      problems.add(
          id + ": " + c.operator().key() + " must compare with a number, but is '" + v + "'");
      return null;
    }
    return new Threshold(c.operator(), n.doubleValue(), n.doubleValue());
  }

  private static List<Check> implicitOptions(SchemaProperty p) {
    Map<String, Object> o = p.logicalTypeOptions();
    if (o.isEmpty()) {
      return List.of();
    }
    Measure.InvalidValues.Builder b = Measure.InvalidValues.builder();
    if (integer(o.get("minLength")) != null) {
      b.minLength(integer(o.get("minLength")));
    }
    if (integer(o.get("maxLength")) != null) {
      b.maxLength(integer(o.get("maxLength")));
    }
    if (o.get("pattern") != null) {
      b.pattern(Pattern.compile(String.valueOf(o.get("pattern"))));
    } else if ("email".equals(o.get("format"))) {
      b.pattern(EMAIL);
    } else if ("uuid".equals(o.get("format"))) {
      b.pattern(UUID_PATTERN);
    }
    if (number(o.get("minimum")) != null) {
      b.minimum(number(o.get("minimum")));
    }
    if (number(o.get("maximum")) != null) {
      b.maximum(number(o.get("maximum")));
    }
    if (number(o.get("exclusiveMinimum")) != null) {
      b.exclusiveMinimum(number(o.get("exclusiveMinimum")));
    }
    if (number(o.get("exclusiveMaximum")) != null) {
      b.exclusiveMaximum(number(o.get("exclusiveMaximum")));
    }
    if (b.isEmpty()) {
      return List.of();
    }
    return List.of(
        Check.builder(b.build())
            .column(p.name())
            .id("implicit:logicalTypeOptions:" + p.name())
            .dimension("conformity")
            .origin("implicit")
            .build());
  }

  private static Double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : null;
  }

  private static Integer integer(Object v) {
    return v instanceof Number n ? n.intValue() : null;
  }
}
