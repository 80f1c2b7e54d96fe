package dev.meshwork.iceberg.internal;

import dev.meshwork.core.Filter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A read's {@link Filter} as an Iceberg expression, for skipping files (partition values, column
 * metrics) and row groups (statistics, dictionaries). Only what is sure to hold is translated: a
 * part that cannot be (an odd value) is left out of an {@code and} and makes an {@code or} or
 * {@code not} untranslatable, so the expression never rules out a row the filter keeps. Rows are
 * still tested one by one.
 */
public final class IcebergFilters {
  private IcebergFilters() {}

  /** The expression; {@code alwaysTrue} when nothing can be translated. */
  public static Expression expression(Filter f, Schema schema) {
    Expression e = translate(f, schema);
    return e == null ? Expressions.alwaysTrue() : e;
  }

  private static Expression translate(Filter f, Schema schema) {
    if (f instanceof Filter.Compare c) {
      Object v = literal(c.value(), schema, c.column());
      if (v == null) {
        return null;
      }
      return switch (c.op()) {
        case EQ -> Expressions.equal(c.column(), v);
        case NE -> Expressions.notEqual(c.column(), v);
        case LT -> Expressions.lessThan(c.column(), v);
        case LE -> Expressions.lessThanOrEqual(c.column(), v);
        case GT -> Expressions.greaterThan(c.column(), v);
        case GE -> Expressions.greaterThanOrEqual(c.column(), v);
      };
    }
    if (f instanceof Filter.In in) {
      List<Object> values = new ArrayList<>();
      for (Object x : in.values()) {
        Object v = literal(x, schema, in.column());
        if (v == null) {
          return null;
        }
        values.add(v);
      }
      return values.isEmpty()
          ? Expressions.alwaysFalse()
          : Expressions.in(in.column(), values.toArray());
    }
    if (f instanceof Filter.IsNull n) {
      return schema.findField(n.column()) == null ? null : Expressions.isNull(n.column());
    }
    if (f instanceof Filter.And and) {
      Expression out = null;
      for (Filter x : and.filters()) {
        Expression e = translate(x, schema);
        if (e != null) {
          out = out == null ? e : Expressions.and(out, e);
        }
      }
      return out;
    }
    if (f instanceof Filter.Or or) {
      Expression out = null;
      for (Filter x : or.filters()) {
        Expression e = translate(x, schema);
        if (e == null) {
          return null;
        }
        out = out == null ? e : Expressions.or(out, e);
      }
      return out == null ? Expressions.alwaysFalse() : out;
    }
    return negate(((Filter.Not) f).filter(), schema);
  }

  /**
   * What keeps every row {@code not f} keeps, pushed down to the comparisons. Iceberg's negation of
   * an ordered comparison ({@code not (f >= x)} is {@code f < x}) leaves NaN out, where the
   * filter's {@code not} keeps it (NaN is neither greater nor less than anything, so {@code f >= x}
   * is false for it): NaN is added back for floating point columns. Rows with a null in the filter
   * are out either way.
   */
  private static Expression negate(Filter f, Schema schema) {
    if (f instanceof Filter.Not not) {
      return translate(not.filter(), schema);
    }
    if (f instanceof Filter.IsNull n) {
      return schema.findField(n.column()) == null ? null : Expressions.notNull(n.column());
    }
    if (f instanceof Filter.And and) {
      // not (a and b) = not a or not b: every part is needed.
      Expression out = null;
      for (Filter x : and.filters()) {
        Expression e = negate(x, schema);
        if (e == null) {
          return null;
        }
        out = out == null ? e : Expressions.or(out, e);
      }
      return out == null ? Expressions.alwaysFalse() : out;
    }
    if (f instanceof Filter.Or or) {
      // not (a or b) = not a and not b: a part that cannot be told is left out.
      Expression out = null;
      for (Filter x : or.filters()) {
        Expression e = negate(x, schema);
        if (e != null) {
          out = out == null ? e : Expressions.and(out, e);
        }
      }
      return out;
    }
    Expression inner = translate(f, schema);
    if (inner == null) {
      return null;
    }
    Expression negated = Expressions.not(inner);
    if (f instanceof Filter.Compare c && ordered(c.op()) && floating(schema, c.column())) {
      return Expressions.or(negated, Expressions.isNaN(c.column()));
    }
    return negated;
  }

  private static boolean ordered(Filter.Op op) {
    return op != Filter.Op.EQ && op != Filter.Op.NE;
  }

  private static boolean floating(Schema schema, String column) {
    Types.NestedField field = schema.findField(column);
    return field != null
        && (field.type().typeId() == Type.TypeID.FLOAT
            || field.type().typeId() == Type.TypeID.DOUBLE);
  }

  /**
   * A filter value as Iceberg's literal for the column's type, or null when it is not sure to mean
   * the same (a decimal of another scale that does not fit exactly, a value of another kind).
   */
  private static Object literal(Object v, Schema schema, String column) {
    Types.NestedField field = schema.findField(column);
    if (field == null || !field.type().isPrimitiveType()) {
      return null;
    }
    Type.TypeID type = field.type().typeId();
    if (v instanceof Double d && d.isNaN() || v instanceof Float x && x.isNaN()) {
      return null; // Iceberg keeps NaN apart from ordered values
    }
    if (v instanceof Enum<?> e) {
      v = e.name();
    }
    if (v instanceof Short || v instanceof Byte) {
      v = ((Number) v).intValue();
    }
    return switch (type) {
      case INTEGER, LONG -> v instanceof Integer || v instanceof Long ? v : null;
      case FLOAT, DOUBLE -> v instanceof Number n && !(v instanceof BigDecimal) ? n : null;
      case STRING -> v instanceof String ? v : null;
      case BOOLEAN -> v instanceof Boolean ? v : null;
      case DATE -> v instanceof LocalDate d ? (int) d.toEpochDay() : null;
      case TIME ->
          v instanceof LocalTime t && t.getNano() % 1_000 == 0 ? t.toNanoOfDay() / 1_000 : null;
      case TIMESTAMP -> timestamp(v, ((Types.TimestampType) field.type()).shouldAdjustToUTC());
      case DECIMAL -> decimal(v, ((Types.DecimalType) field.type()).scale());
      case UUID -> v instanceof java.util.UUID ? v : null;
      default -> null;
    };
  }

  private static Object timestamp(Object v, boolean withZone) {
    Instant i;
    if (withZone && v instanceof Instant x) {
      i = x;
    } else if (withZone && v instanceof OffsetDateTime o) {
      i = o.toInstant();
    } else if (!withZone && v instanceof LocalDateTime l) {
      i = l.toInstant(ZoneOffset.UTC);
    } else {
      return null;
    }
    if (i.getNano() % 1_000 != 0) {
      return null; // finer than the column's microseconds: not the same value
    }
    return ChronoUnit.MICROS.between(Instant.EPOCH, i);
  }

  private static Object decimal(Object v, int scale) {
    if (!(v instanceof BigDecimal d)) {
      return v instanceof Integer || v instanceof Long
          ? BigDecimal.valueOf(((Number) v).longValue()).setScale(scale)
          : null;
    }
    try {
      return d.setScale(scale, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      return null;
    }
  }
}
