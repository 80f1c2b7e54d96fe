package dev.meshwork.policy.internal;

import dev.cel.runtime.CelRuntime;
import java.io.Serializable;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A row filter's CEL expression over {@code row}: serializable (its text travels with input splits
 * to tasks elsewhere, and is compiled again there), compiled once per copy.
 */
public final class CelRowFilter implements Predicate<Map<String, Object>>, Serializable {
  private static final long serialVersionUID = 1L;

  private final String expression;
  private transient CelRuntime.Program program;

  /** Compiles {@code expression} now, so that an invalid one fails the decision, not a task. */
  public CelRowFilter(String expression) {
    this.expression = expression;
    this.program = Cel.compile(expression);
  }

  @Override
  public boolean test(Map<String, Object> row) {
    if (program == null) {
      program = Cel.compile(expression);
    }
    return Cel.test(program, Map.of("row", celValue(row)));
  }

  /**
   * A value as CEL knows values: null as CEL's null, structs as maps (so {@code
   * row.contact.country} and {@code row.contacts.exists(c, c.country == 'NL')} work), whole numbers
   * as int64, floats as doubles. Rows are copied only where something changes.
   */
  static Object celValue(Object v) {
    if (v == null) {
      // A Java null is no CEL value: without this, row.c == null is false for a null column.
      return dev.cel.common.values.NullValue.NULL_VALUE;
    }
    if (v instanceof dev.meshwork.core.Row r) {
      return celValue(r.values());
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = null;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object x = celValue(e.getValue());
        if (x != e.getValue() && out == null) {
          out = new java.util.LinkedHashMap<>(m);
        }
        if (out != null) {
          out.put(e.getKey(), x);
        }
      }
      return out == null ? m : out;
    }
    if (v instanceof java.util.List<?> l) {
      java.util.List<Object> out = null;
      for (int i = 0; i < l.size(); i++) {
        Object x = celValue(l.get(i));
        if (x != l.get(i) && out == null) {
          out = new java.util.ArrayList<>(l);
        }
        if (out != null) {
          out.set(i, x);
        }
      }
      return out == null ? l : out;
    }
    return v;
  }

  @Override
  public String toString() {
    return expression;
  }
}
