package dev.meshwork.policy.internal;

import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.policy.Grant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which paths of a contract's columns a grant's mask rules select, at any depth: struct fields
 * ({@code contact.email}), list elements and map values ({@code phones[]}), fields of elements
 * ({@code contacts[].email}). One implementation for the engine's masks, the governance rule and
 * the Trino export, so that what is checked is what is masked.
 */
public final class MaskTargets {
  private MaskTargets() {}

  /** A property at its path, with the paths of the properties it is nested in (outermost first). */
  public record Node(String path, SchemaProperty property, List<String> ancestors) {
    /** The top-level column the property belongs to. */
    public String column() {
      return ancestors.isEmpty() ? property.name() : ancestors.get(0);
    }

    /** Whether the property is a top-level column. */
    public boolean topLevel() {
      return ancestors.isEmpty();
    }
  }

  /**
   * A path a rule masks; {@code node} is null for a column rule naming a path not in the schema.
   */
  public record Target(String path, Grant.MaskRule rule, Node node) {}

  /** The scope a grant's hash masks are keyed for, in the SDK and in the Trino export alike. */
  public static String keyScope(Grant g) {
    return "grant:" + g.id();
  }

  /** Every property of {@code columns} and inside them, parents before their children. */
  public static List<Node> walk(List<SchemaProperty> columns) {
    List<Node> out = new ArrayList<>();
    for (SchemaProperty p : columns) {
      walk(p, p.name(), List.of(), out);
    }
    return out;
  }

  private static void walk(SchemaProperty p, String path, List<String> ancestors, List<Node> out) {
    out.add(new Node(path, p, ancestors));
    List<String> inner = new ArrayList<>(ancestors);
    inner.add(path);
    List<String> within = List.copyOf(inner);
    for (SchemaProperty child : p.properties()) {
      walk(child, path + "." + child.name(), within, out);
    }
    if (p.items() != null) {
      walk(p.items(), path + "[]", within, out);
    }
  }

  /** Whether {@code rule} selects the property at {@code node} itself (not through a parent). */
  public static boolean selects(Grant.MaskRule rule, Node node) {
    SchemaProperty p = node.property();
    return node.path().equals(rule.column())
        || rule.classification() != null
            && rule.classification().equalsIgnoreCase(String.valueOf(p.classification()))
        || rule.tag() != null && p.tags().contains(rule.tag());
  }

  /**
   * The paths {@code rules} mask in {@code columns}, in rule order; a path already masked, or
   * inside one already masked, is not masked again (a hash of a hash would not join).
   */
  public static List<Target> targets(List<Grant.MaskRule> rules, List<SchemaProperty> columns) {
    List<Node> nodes = walk(columns);
    List<Target> out = new ArrayList<>();
    Set<String> masked = new LinkedHashSet<>();
    for (Grant.MaskRule rule : rules) {
      boolean found = false;
      for (Node n : nodes) {
        if (!selects(rule, n)) {
          continue;
        }
        found |= n.path().equals(rule.column());
        if (masked.contains(n.path()) || n.ancestors().stream().anyMatch(masked::contains)) {
          continue;
        }
        masked.add(n.path());
        out.add(new Target(n.path(), rule, n));
      }
      if (rule.column() != null && !found && masked.add(rule.column())) {
        out.add(new Target(rule.column(), rule, null));
      }
    }
    return out;
  }

  /** Whether a target masks {@code node} or a property it is nested in. */
  public static boolean covers(List<Target> targets, Node node) {
    for (Target t : targets) {
      if (t.path().equals(node.path()) || node.ancestors().contains(t.path())) {
        return true;
      }
    }
    return false;
  }
}
