package dev.meshwork.policy.internal;

import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;

/**
 * CEL for policies. Conditions see {@code principal} ({@code name}, {@code kind}, {@code groups}),
 * {@code action}, {@code product} ({@code id}, {@code name}, {@code domain}), {@code port}, {@code
 * purpose}, {@code hour} (0-23, UTC) and {@code now} (ISO instant); row filters see {@code row};
 * governance rules see {@code product}, {@code port}, {@code contract} and {@code columns}.
 */
public final class Cel {
  private static final dev.cel.bundle.Cel CEL =
      CelFactory.standardCelBuilder()
          // has(), all(), exists(), exists_one(), map(), filter(): nested rows and lists need them.
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("principal", SimpleType.DYN)
          .addVar("action", SimpleType.DYN)
          .addVar("product", SimpleType.DYN)
          .addVar("port", SimpleType.DYN)
          .addVar("purpose", SimpleType.DYN)
          .addVar("hour", SimpleType.DYN)
          .addVar("now", SimpleType.DYN)
          .addVar("row", SimpleType.DYN)
          .addVar("contract", SimpleType.DYN)
          .addVar("columns", SimpleType.DYN)
          .build();

  private Cel() {}

  /** Compiles; throws {@link IllegalArgumentException} with CEL's message when invalid. */
  public static CelRuntime.Program compile(String expression) {
    CelValidationResult r = CEL.compile(expression);
    if (r.hasError()) {
      throw new IllegalArgumentException(
          "CEL expression '" + expression + "' does not compile: " + r.getErrorString());
    }
    try {
      return CEL.createProgram(r.getAst());
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalArgumentException(
          "CEL expression '" + expression + "' is invalid: " + e.getMessage(), e);
    }
  }

  /**
   * A row filter as a {@link dev.meshwork.core.Filter} when it is a plain condition on top-level
   * columns ({@code row.c <op> literal}, {@code row.c in [..]}, null checks, {@code &&}, {@code
   * ||}, {@code !}); empty otherwise (macros, nested fields, arithmetic, functions). The
   * translation keeps CEL's meaning where a column is null: {@code row.c != v} holds for null, the
   * others do not.
   */
  public static java.util.Optional<dev.meshwork.core.Filter> rowFilter(String expression) {
    CelValidationResult r = CEL.compile(expression);
    if (r.hasError()) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.ofNullable(RowFilters.translate(r.getAst().getExpr()));
    } catch (CelValidationException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * True only when the expression evaluates to true; evaluation errors throw (callers fail closed).
   */
  public static boolean test(CelRuntime.Program program, Map<String, ?> vars) {
    try {
      return Boolean.TRUE.equals(program.eval(vars));
    } catch (CelEvaluationException e) {
      throw new IllegalStateException("CEL evaluation failed: " + e.getMessage(), e);
    }
  }
}
