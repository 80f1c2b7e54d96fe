package dev.meshwork.quality.internal;

import dev.meshwork.core.model.Comparison;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.QualityRule;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.quality.Check;
import dev.meshwork.quality.Severity;
import dev.meshwork.quality.Threshold;
import java.util.ArrayList;
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
      String id = ruleId(r, object.name(), null, n++);
      Check c = rule(r, id, null, problems);
      if (c != null) {
        out.add(c);
      }
    }
    List<String> keys = new ArrayList<>();
    for (SchemaProperty p : object.properties()) {
      int i = 0;
      for (QualityRule r : p.quality()) {
        Check c = rule(r, ruleId(r, object.name(), p.name(), i++), p.name(), problems);
        if (c != null) {
          out.add(c);
        }
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
          Check.B b =
              new Check.B(
                  cel.contains("metrics")
                      ? Check.Kind.AGGREGATE_EXPRESSION
                      : Check.Kind.ROW_EXPRESSION);
          b.expression = cel;
          b.id = id;
          b.description = description == null ? cel : description;
          b.severity = Severity.parse(r.severity());
          b.dimension = r.dimension();
          b.origin = "contract";
          if (r.comparison() != null) {
            b.threshold = threshold(r.comparison(), id, problems);
          }
          if ("percent".equalsIgnoreCase(r.unit())) {
            b.unit = Check.Unit.PERCENT;
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
    Check.Kind kind =
        switch (r.metric() == null ? "" : r.metric()) {
          case "nullValues" -> Check.Kind.NULL_VALUES;
          case "missingValues" -> Check.Kind.MISSING_VALUES;
          case "invalidValues" -> Check.Kind.INVALID_VALUES;
          case "duplicateValues" -> Check.Kind.DUPLICATE_VALUES;
          case "rowCount" -> Check.Kind.ROW_COUNT;
          default -> null;
        };
    if (kind == null) {
      problems.add(
          id
              + ": metric '"
              + r.metric()
              + "' is not an ODCS library metric (nullValues, missingValues, invalidValues, duplicateValues, rowCount)");
      return null;
    }
    Check.B b = new Check.B(kind);
    if (kind == Check.Kind.DUPLICATE_VALUES && column == null) {
      Object props = r.arguments().get("properties");
      if (props instanceof List<?> l && !l.isEmpty()) {
        l.forEach(p -> b.column(String.valueOf(p)));
      } else {
        problems.add(
            id
                + ": a table-level duplicateValues rule needs arguments.properties, the columns of the key");
        return null;
      }
    } else if (kind != Check.Kind.ROW_COUNT) {
      if (column == null) {
        problems.add(
            id + ": metric " + r.metric() + " belongs on a property, not on the schema object");
        return null;
      }
      b.column(column);
    }
    Map<String, Object> args = r.arguments();
    if (kind == Check.Kind.MISSING_VALUES) {
      Object missing = args.get("missingValues");
      b.missingValues = Check.normalize(missing instanceof List<?> l ? l : List.of(""));
    }
    if (kind == Check.Kind.INVALID_VALUES) {
      if (args.get("validValues") instanceof List<?> l) {
        b.validValues = Check.normalize(l);
      }
      if (args.get("pattern") != null) {
        try {
          b.pattern = Pattern.compile(String.valueOf(args.get("pattern")));
        } catch (PatternSyntaxException e) {
          problems.add(
              id + ": arguments.pattern is not a valid regular expression: " + e.getDescription());
          return null;
        }
      }
      b.minimum = number(args.get("minimum"));
      b.maximum = number(args.get("maximum"));
      if (b.validValues == null && b.pattern == null && b.minimum == null && b.maximum == null) {
        problems.add(
            id + ": invalidValues needs arguments validValues, pattern, minimum or maximum");
        return null;
      }
    }
    if (r.comparison() != null) {
      Threshold t = threshold(r.comparison(), id, problems);
      if (t == null) {
        return null;
      }
      b.threshold = t;
    }
    if ("percent".equalsIgnoreCase(r.unit())) {
      b.unit = Check.Unit.PERCENT;
    }
    b.severity = Severity.parse(r.severity());
    b.dimension = r.dimension();
    b.description = description;
    b.id = id;
    b.origin = "contract";
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
    Check.B b = new Check.B(Check.Kind.INVALID_VALUES).column(p.name());
    b.minLength = integer(o.get("minLength"));
    b.maxLength = integer(o.get("maxLength"));
    if (o.get("pattern") != null) {
      b.pattern = Pattern.compile(String.valueOf(o.get("pattern")));
    } else if ("email".equals(o.get("format"))) {
      b.pattern = EMAIL;
    } else if ("uuid".equals(o.get("format"))) {
      b.pattern = UUID_PATTERN;
    }
    b.minimum = number(o.get("minimum"));
    b.maximum = number(o.get("maximum"));
    if (number(o.get("exclusiveMinimum")) != null) {
      b.minimum = number(o.get("exclusiveMinimum"));
      b.exclusiveMinimum = true;
    }
    if (number(o.get("exclusiveMaximum")) != null) {
      b.maximum = number(o.get("exclusiveMaximum"));
      b.exclusiveMaximum = true;
    }
    if (b.minLength == null
        && b.maxLength == null
        && b.pattern == null
        && b.minimum == null
        && b.maximum == null) {
      return List.of();
    }
    b.id = "implicit:logicalTypeOptions:" + p.name();
    b.dimension = "conformity";
    b.origin = "implicit";
    return List.of(b.build());
  }

  private static Double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : null;
  }

  private static Integer integer(Object v) {
    return v instanceof Number n ? n.intValue() : null;
  }
}
