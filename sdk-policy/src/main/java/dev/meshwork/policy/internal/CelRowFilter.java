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
    return Cel.test(program, Map.of("row", row));
  }

  @Override
  public String toString() {
    return expression;
  }
}
