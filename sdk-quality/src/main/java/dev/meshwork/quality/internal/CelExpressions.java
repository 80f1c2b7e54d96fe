package dev.meshwork.quality.internal;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.meshwork.core.Row;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.StructShape;
import java.math.BigDecimal;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compiles and evaluates the CEL expressions of custom quality rules. */
public final class CelExpressions {
  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .addVar("row", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("metrics", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar(
              "history",
              dev.cel.common.types.ListType.create(
                  MapType.create(SimpleType.STRING, SimpleType.DYN)))
          .build();

  private CelExpressions() {}

  /**
   * A compiled expression; throws {@link IllegalArgumentException} with CEL's error when invalid.
   */
  public static CelRuntime.Program compile(String expression) {
    CelValidationResult result = CEL.compile(expression);
    if (result.hasError()) {
      throw new IllegalArgumentException(
          "CEL expression '" + expression + "' does not compile: " + result.getErrorString());
    }
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      return CEL.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalArgumentException(
          "CEL expression '" + expression + "' is invalid: " + e.getMessage(), e);
    }
  }

  /** Evaluates to a boolean; a non-boolean result or an evaluation error counts as false. */
  public static boolean test(CelRuntime.Program program, Map<String, Object> vars) {
    try {
      return Boolean.TRUE.equals(program.eval(vars));
    } catch (CelEvaluationException | RuntimeException e) {
      return false;
    }
  }

  /** A value of a shape as CEL-friendly maps and scalars. */
  public static <T> Map<String, Object> asMap(StructShape<T> shape, T value) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Member<T> m : shape.members()) {
      out.put(m.field().name(), cel(read(m.accessor(), value), m));
    }
    return out;
  }

  private static <T> Object read(FieldAccessor<T> a, T v) {
    if (a instanceof FieldAccessor.OfObject<T> o) {
      return o.get(v);
    }
    if (a instanceof FieldAccessor.OfLong<T> l) {
      return l.getLong(v);
    }
    if (a instanceof FieldAccessor.OfInt<T> i) {
      return (long) i.getInt(v);
    }
    if (a instanceof FieldAccessor.OfDouble<T> d) {
      return d.getDouble(v);
    }
    if (a instanceof FieldAccessor.OfFloat<T> f) {
      return (double) f.getFloat(v);
    }
    return ((FieldAccessor.OfBoolean<T>) a).getBoolean(v);
  }

  @SuppressWarnings("unchecked")
  private static <T> Object cel(Object v, Member<T> m) {
    if (v == null) {
      return null;
    }
    if (m.shape() instanceof StructShape<?> s) {
      return v instanceof Row r ? r.values() : asMap((StructShape<Object>) s, v);
    }
    return scalar(v);
  }

  private static Object scalar(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (v instanceof TemporalAccessor || v instanceof Enum<?> || v instanceof java.util.UUID) {
      return v.toString();
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(e -> out.add(scalar(e)));
      return out;
    }
    return v;
  }
}
