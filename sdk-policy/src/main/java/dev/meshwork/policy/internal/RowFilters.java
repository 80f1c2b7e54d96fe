package dev.meshwork.policy.internal;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.meshwork.core.Filter;
import java.util.ArrayList;
import java.util.List;

/** CEL row filters as {@link Filter}s, where they are plain conditions on top-level columns. */
final class RowFilters {
  private RowFilters() {}

  /** The filter, or null when the expression is not a plain condition on {@code row}'s columns. */
  static Filter translate(CelExpr e) {
    if (e.getKind() != CelExpr.ExprKind.Kind.CALL) {
      return null;
    }
    CelExpr.CelCall call = e.call();
    List<CelExpr> args = call.args();
    switch (call.function()) {
      case "_&&_" -> {
        Filter a = translate(args.get(0));
        Filter b = translate(args.get(1));
        return a == null || b == null ? null : Filter.and(a, b);
      }
      case "_||_" -> {
        Filter a = translate(args.get(0));
        Filter b = translate(args.get(1));
        return a == null || b == null ? null : Filter.or(a, b);
      }
      case "!_" -> {
        Filter a = translate(args.get(0));
        // CEL's not of a comparison with a null column is true where Filter's is false.
        return a instanceof Filter.IsNull
                || a instanceof Filter.Not n && n.filter() instanceof Filter.IsNull
            ? Filter.not(a)
            : null;
      }
      case "@in" -> {
        String column = column(args.get(0));
        if (column == null || args.get(1).getKind() != CelExpr.ExprKind.Kind.LIST) {
          return null;
        }
        List<Object> values = new ArrayList<>();
        for (CelExpr x : args.get(1).list().elements()) {
          Object v = literal(x);
          if (v == null) {
            return null;
          }
          values.add(v);
        }
        return Filter.in(column, values);
      }
      default -> {
        return comparison(call.function(), args);
      }
    }
  }

  private static Filter comparison(String function, List<CelExpr> args) {
    if (args.size() != 2) {
      return null;
    }
    boolean flipped = column(args.get(0)) == null;
    String column = column(args.get(flipped ? 1 : 0));
    CelExpr other = args.get(flipped ? 0 : 1);
    if (column == null) {
      return null;
    }
    boolean isNull =
        other.getKind() == CelExpr.ExprKind.Kind.CONSTANT
            && other.constant().getKind() == CelConstant.Kind.NULL_VALUE;
    if (isNull) {
      return switch (function) {
        case "_==_" -> Filter.isNull(column);
        case "_!=_" -> Filter.notNull(column);
        default -> null;
      };
    }
    Object v = literal(other);
    if (v == null) {
      return null;
    }
    Filter.Op op =
        switch (function) {
          case "_==_" -> Filter.Op.EQ;
          case "_!=_" -> Filter.Op.NE;
          case "_<_" -> flipped ? Filter.Op.GT : Filter.Op.LT;
          case "_<=_" -> flipped ? Filter.Op.GE : Filter.Op.LE;
          case "_>_" -> flipped ? Filter.Op.LT : Filter.Op.GT;
          case "_>=_" -> flipped ? Filter.Op.LE : Filter.Op.GE;
          default -> null;
        };
    if (op == null) {
      return null;
    }
    Filter compare = new Filter.Compare(column, op, v);
    // CEL's null equals no value, so != holds for it; Filter's comparisons are false for null.
    // Ordering a null fails in CEL (and the read with it); the filter drops the row.
    return op == Filter.Op.NE ? Filter.or(Filter.isNull(column), compare) : compare;
  }

  /** {@code row.c} as {@code c}; null for anything else. */
  private static String column(CelExpr e) {
    if (e.getKind() != CelExpr.ExprKind.Kind.SELECT || e.select().testOnly()) {
      return null;
    }
    CelExpr operand = e.select().operand();
    return operand.getKind() == CelExpr.ExprKind.Kind.IDENT && operand.ident().name().equals("row")
        ? e.select().field()
        : null;
  }

  private static Object literal(CelExpr e) {
    if (e.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
      return null;
    }
    CelConstant c = e.constant();
    return switch (c.getKind()) {
      case INT64_VALUE -> c.int64Value();
      case DOUBLE_VALUE -> c.doubleValue();
      case STRING_VALUE -> c.stringValue();
      case BOOLEAN_VALUE -> c.booleanValue();
      default -> null;
    };
  }
}
