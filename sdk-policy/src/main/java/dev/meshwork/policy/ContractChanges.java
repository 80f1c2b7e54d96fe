package dev.meshwork.policy;

import dev.meshwork.core.model.Comparison;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.QualityRule;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between two versions of a data contract, each change classified by what it does to
 * the product's consumers, and the semantic-version bump that asks for. The governance rule {@code
 * breaking-change-needs-major-version} and {@code meshwork diff} judge with these rules.
 *
 * <p>Breaking (a major version): a schema object or column removed (a rename is one removed and one
 * added), a column retyped other than widened (integer to long, float to double, a decimal's
 * precision raised), a column that may now be null, a required column added, the primary key or the
 * partitioning changed, a quality rule tightened or added as an error, a warning made an error.
 * Additive (a minor version): an object or optional column added, a type widened, a column made
 * required, a rule loosened or removed. Cosmetic (a patch): descriptions and other text.
 */
public final class ContractChanges {

  /** What a change does to consumers. */
  public enum Impact {
    /** Descriptions and other text: a patch version. */
    COSMETIC,
    /** Something added or loosened: a minor version. */
    ADDITIVE,
    /** Something consumers rely on removed or tightened: a major version. */
    BREAKING
  }

  /** One change: its impact, where (object, and column or null), and what it is. */
  public record Change(Impact impact, String object, String column, String what) {
    /** The change as one line: {@code BREAKING deliveries.status: column removed}. */
    public String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "%-9s %s: %s",
          impact,
          column == null ? object : object + "." + column,
          what);
    }
  }

  private final String before;
  private final String after;
  private final List<Change> changes;

  private ContractChanges(String before, String after, List<Change> changes) {
    this.before = before;
    this.after = after;
    this.changes = List.copyOf(changes);
  }

  /** The changes from {@code older} to {@code newer}. */
  public static ContractChanges between(DataContract older, DataContract newer) {
    List<Change> out = new ArrayList<>();
    Map<String, SchemaObject> was = byName(older.schema(), SchemaObject::name);
    Map<String, SchemaObject> is = byName(newer.schema(), SchemaObject::name);
    was.forEach(
        (name, o) -> {
          if (!is.containsKey(name)) {
            out.add(new Change(Impact.BREAKING, name, null, "schema object removed"));
          }
        });
    is.forEach(
        (name, o) -> {
          SchemaObject old = was.get(name);
          if (old == null) {
            out.add(new Change(Impact.ADDITIVE, name, null, "schema object added"));
          } else {
            compare(old, o, out);
          }
        });
    if (!Objects.equals(text(older.description()), text(newer.description()))) {
      out.add(new Change(Impact.COSMETIC, newer.id(), null, "description changed"));
    }
    return new ContractChanges(older.version(), newer.version(), out);
  }

  /**
   * The columns of {@code before} (as a published version recorded them) that {@code now} no longer
   * has: each a breaking change.
   */
  public static List<String> removedColumns(Collection<String> before, SchemaObject now) {
    return before.stream().filter(c -> !c.isBlank() && now.property(c).isEmpty()).toList();
  }

  /** Every change, in contract order. */
  public List<Change> changes() {
    return changes;
  }

  /** The largest impact of any change; empty when nothing changed. */
  public java.util.Optional<Impact> impact() {
    return changes.stream().map(Change::impact).max(Enum::compareTo);
  }

  /**
   * Why the newer contract's version is too small a step for these changes (a breaking change in
   * the same major version, an addition in the same minor version), or empty when it is not.
   */
  public java.util.Optional<String> versionProblem() {
    Impact needed = impact().orElse(null);
    if (needed == null || needed == Impact.COSMETIC) {
      return java.util.Optional.empty();
    }
    int[] b = semver(before);
    int[] a = semver(after);
    boolean major = a[0] > b[0];
    boolean minor = major || (a[0] == b[0] && a[1] > b[1]);
    if (needed == Impact.BREAKING && !major) {
      return java.util.Optional.of(
          "breaking changes need a new major version: "
              + before
              + " -> "
              + (b[0] + 1)
              + ".0.0, but the new contract says "
              + after);
    }
    if (needed == Impact.ADDITIVE && !minor) {
      return java.util.Optional.of(
          "additions need at least a new minor version: "
              + before
              + " -> "
              + b[0]
              + "."
              + (b[1] + 1)
              + ".0, but the new contract says "
              + after);
    }
    return java.util.Optional.empty();
  }

  /** The major part of a semantic version ({@code v} prefix allowed); 0 when there is none. */
  public static int major(String version) {
    return semver(version)[0];
  }

  private static int[] semver(String version) {
    int[] out = new int[3];
    if (version == null) {
      return out;
    }
    String[] parts = version.strip().replaceFirst("^[vV]", "").split("[-+]", 2)[0].split("\\.");
    for (int i = 0; i < Math.min(3, parts.length); i++) {
      try {
        out[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        out[i] = 0;
      }
    }
    return out;
  }

  private static void compare(SchemaObject old, SchemaObject now, List<Change> out) {
    String obj = now.name();
    Map<String, SchemaProperty> was = byName(old.properties(), SchemaProperty::name);
    Map<String, SchemaProperty> is = byName(now.properties(), SchemaProperty::name);
    was.forEach(
        (name, p) -> {
          if (!is.containsKey(name)) {
            out.add(new Change(Impact.BREAKING, obj, name, "column removed"));
          }
        });
    is.forEach(
        (name, p) -> {
          SchemaProperty before = was.get(name);
          if (before == null) {
            out.add(
                p.required()
                    ? new Change(
                        Impact.BREAKING, obj, name, "required column added (earlier rows lack it)")
                    : new Change(Impact.ADDITIVE, obj, name, "optional column added"));
            return;
          }
          column(obj, before, p, out);
        });
    if (!keys(old.properties(), true).equals(keys(now.properties(), true))) {
      out.add(
          new Change(
              Impact.BREAKING,
              obj,
              null,
              "primary key "
                  + keys(old.properties(), true)
                  + " -> "
                  + keys(now.properties(), true)));
    }
    if (!keys(old.properties(), false).equals(keys(now.properties(), false))) {
      out.add(
          new Change(
              Impact.BREAKING,
              obj,
              null,
              "partitioning "
                  + keys(old.properties(), false)
                  + " -> "
                  + keys(now.properties(), false)));
    }
    rules(obj, null, old.quality(), now.quality(), out);
    if (!Objects.equals(old.description(), now.description())) {
      out.add(new Change(Impact.COSMETIC, obj, null, "description changed"));
    }
  }

  private static void column(String obj, SchemaProperty was, SchemaProperty is, List<Change> out) {
    String name = is.name();
    String before = type(was);
    String after = type(is);
    if (!before.equals(after)) {
      out.add(
          widens(before, after)
              ? new Change(Impact.ADDITIVE, obj, name, "type widened " + before + " -> " + after)
              : new Change(Impact.BREAKING, obj, name, "type changed " + before + " -> " + after));
    }
    if (was.required() && !is.required()) {
      out.add(new Change(Impact.BREAKING, obj, name, "may now be null (no longer required)"));
    } else if (!was.required() && is.required()) {
      out.add(new Change(Impact.ADDITIVE, obj, name, "now required"));
    }
    if (!Objects.equals(was.classification(), is.classification())) {
      out.add(
          new Change(
              Impact.ADDITIVE,
              obj,
              name,
              "classification " + was.classification() + " -> " + is.classification()));
    }
    rules(obj, name, was.quality(), is.quality(), out);
    if (!Objects.equals(was.description(), is.description())) {
      out.add(new Change(Impact.COSMETIC, obj, name, "description changed"));
    }
  }

  /** Rules matched by id, else by metric and position; tightened, loosened, added, removed. */
  private static void rules(
      String obj, String column, List<QualityRule> was, List<QualityRule> is, List<Change> out) {
    Map<String, QualityRule> before = new LinkedHashMap<>();
    for (int i = 0; i < was.size(); i++) {
      before.put(ruleKey(was.get(i), i), was.get(i));
    }
    for (int i = 0; i < is.size(); i++) {
      QualityRule now = is.get(i);
      String key = ruleKey(now, i);
      QualityRule old = before.remove(key);
      String label = "rule " + label(now, key);
      if (old == null) {
        out.add(
            "error".equalsIgnoreCase(severity(now))
                ? new Change(Impact.BREAKING, obj, column, label + " added as an error")
                : new Change(Impact.ADDITIVE, obj, column, label + " added"));
        continue;
      }
      if (!"error".equalsIgnoreCase(severity(old)) && "error".equalsIgnoreCase(severity(now))) {
        out.add(new Change(Impact.BREAKING, obj, column, label + " made an error"));
      }
      Impact threshold = threshold(old.comparison(), now.comparison());
      if (threshold != null) {
        out.add(
            new Change(
                threshold,
                obj,
                column,
                label
                    + (threshold == Impact.BREAKING ? " tightened " : " loosened ")
                    + text(old.comparison())
                    + " -> "
                    + text(now.comparison())));
      }
    }
    before.forEach(
        (key, r) ->
            out.add(
                new Change(Impact.ADDITIVE, obj, column, "rule " + label(r, key) + " removed")));
  }

  /** BREAKING when {@code now} admits less than {@code was}, ADDITIVE when more, null if equal. */
  private static Impact threshold(Comparison was, Comparison now) {
    if (Objects.equals(was, now)) {
      return null;
    }
    if (was == null || now == null || was.operator() != now.operator()) {
      return now == null ? Impact.ADDITIVE : Impact.BREAKING;
    }
    if (!(was.operand() instanceof Number a) || !(now.operand() instanceof Number b)) {
      return Impact.BREAKING;
    }
    int c = Double.compare(b.doubleValue(), a.doubleValue());
    return switch (now.operator()) {
      case MUST_BE_LESS_THAN, MUST_BE_LESS_OR_EQUAL_TO -> c < 0 ? Impact.BREAKING : Impact.ADDITIVE;
      case MUST_BE_GREATER_THAN, MUST_BE_GREATER_OR_EQUAL_TO ->
          c > 0 ? Impact.BREAKING : Impact.ADDITIVE;
      default -> Impact.BREAKING;
    };
  }

  private static String ruleKey(QualityRule r, int index) {
    if (r.id() != null) {
      return r.id();
    }
    if (r.name() != null) {
      return r.name();
    }
    return (r.metric() == null ? r.type() : r.metric()) + "#" + index;
  }

  private static String label(QualityRule r, String key) {
    return "'" + key + "'";
  }

  private static String severity(QualityRule r) {
    return r.severity() == null ? "error" : r.severity();
  }

  private static String text(Comparison c) {
    return c == null ? "none" : c.operator().key() + " " + c.operand();
  }

  private static String text(Object description) {
    return description == null ? null : description.toString();
  }

  /** A column's type as the contract states it: physical type if given, else logical. */
  private static String type(SchemaProperty p) {
    String logical = p.logicalType() == null ? "?" : p.logicalType().descriptorName();
    return p.physicalType() == null
        ? logical
        : logical + "/" + p.physicalType().toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean widens(String before, String after) {
    return switch (before + " -> " + after) {
      case "integer/int -> integer/long",
          "integer/int -> integer/bigint",
          "integer/int -> integer",
          "number/float -> number/double",
          "number/float -> number" ->
          true;
      default -> decimalWidens(before, after);
    };
  }

  private static boolean decimalWidens(String before, String after) {
    java.util.regex.Matcher a =
        java.util.regex.Pattern.compile("number/decimal\\((\\d+),\\s*(\\d+)\\)").matcher(before);
    java.util.regex.Matcher b =
        java.util.regex.Pattern.compile("number/decimal\\((\\d+),\\s*(\\d+)\\)").matcher(after);
    return a.matches()
        && b.matches()
        && a.group(2).equals(b.group(2))
        && Integer.parseInt(b.group(1)) > Integer.parseInt(a.group(1));
  }

  /** The primary-key (or partition) columns in position order. */
  private static List<String> keys(List<SchemaProperty> props, boolean primary) {
    return props.stream()
        .filter(p -> primary ? p.primaryKey() : p.partitioned())
        .sorted(
            java.util.Comparator.comparingInt(
                p -> primary ? p.primaryKeyPosition() : p.partitionKeyPosition()))
        .map(SchemaProperty::name)
        .toList();
  }

  private static <T> Map<String, T> byName(
      List<T> items, java.util.function.Function<T, String> name) {
    Map<String, T> out = new LinkedHashMap<>();
    items.forEach(i -> out.put(name.apply(i), i));
    return out;
  }
}
