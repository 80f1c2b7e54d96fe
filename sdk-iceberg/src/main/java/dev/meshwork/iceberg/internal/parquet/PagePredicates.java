package dev.meshwork.iceberg.internal.parquet;

import dev.meshwork.core.Filter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.filter2.predicate.Operators;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * A read's {@link Filter} as a parquet-java predicate over a file's columns, for skipping pages by
 * their column index. Only what is sure to keep every matching row is translated (an {@code and}
 * drops what cannot be, an {@code or} or {@code not} with such a part is left out whole); floating
 * point columns are left out, since pages holding NaN have no ordered bounds. Rows are still tested
 * one by one.
 */
final class PagePredicates {
  private PagePredicates() {}

  /** The predicate, or null when nothing can be translated. */
  static FilterPredicate of(Filter f, Map<String, PrimitiveType> columns) {
    if (f instanceof Filter.Compare c) {
      return compare(c.column(), c.op(), c.value(), columns.get(c.column()));
    }
    if (f instanceof Filter.In in) {
      return in(in, columns.get(in.column()));
    }
    if (f instanceof Filter.IsNull n) {
      return nullCheck(n.column(), columns.get(n.column()), true);
    }
    if (f instanceof Filter.Not not && not.filter() instanceof Filter.IsNull n) {
      return nullCheck(n.column(), columns.get(n.column()), false);
    }
    if (f instanceof Filter.And and) {
      FilterPredicate out = null;
      for (Filter x : and.filters()) {
        FilterPredicate p = of(x, columns);
        if (p != null) {
          out = out == null ? p : FilterApi.and(out, p);
        }
      }
      return out;
    }
    if (f instanceof Filter.Or or) {
      FilterPredicate out = null;
      for (Filter x : or.filters()) {
        FilterPredicate p = of(x, columns);
        if (p == null) {
          return null;
        }
        out = out == null ? p : FilterApi.or(out, p);
      }
      return out;
    }
    return null;
  }

  /** The kind of column a predicate can name, by physical and logical type. */
  private enum Kind {
    INT,
    LONG,
    TEXT,
    BOOLEAN,
    DATE,
    MICROS
  }

  private static Kind kind(PrimitiveType t) {
    if (t == null || t.getRepetition() == org.apache.parquet.schema.Type.Repetition.REPEATED) {
      return null;
    }
    LogicalTypeAnnotation logical = t.getLogicalTypeAnnotation();
    PrimitiveTypeName p = t.getPrimitiveTypeName();
    if (p == PrimitiveTypeName.INT32) {
      return logical == null
          ? Kind.INT
          : logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? Kind.DATE : null;
    }
    if (p == PrimitiveTypeName.INT64) {
      if (logical == null) {
        return Kind.LONG;
      }
      return logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
              && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS
          ? Kind.MICROS
          : null;
    }
    if (p == PrimitiveTypeName.BINARY
        && logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
      return Kind.TEXT;
    }
    return p == PrimitiveTypeName.BOOLEAN ? Kind.BOOLEAN : null;
  }

  /** The value as the column stores it, or null when it is not sure to mean the same. */
  private static Comparable<?> stored(Kind kind, Object v) {
    if (v instanceof Enum<?> e) {
      v = e.name();
    }
    return switch (kind) {
      case INT ->
          v instanceof Integer || v instanceof Short || v instanceof Byte
              ? (Comparable<?>) ((Number) v).intValue()
              : v instanceof Long l && l == l.intValue() ? (Comparable<?>) l.intValue() : null;
      case LONG ->
          v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
              ? (Comparable<?>) ((Number) v).longValue()
              : null;
      case TEXT -> v instanceof String s ? Binary.fromString(s) : null;
      case BOOLEAN -> v instanceof Boolean b ? b : null;
      case DATE -> v instanceof LocalDate d ? (Comparable<?>) (int) d.toEpochDay() : null;
      case MICROS -> {
        Instant i =
            v instanceof Instant x
                ? x
                : v instanceof java.time.OffsetDateTime o ? o.toInstant() : null;
        yield i == null || i.getNano() % 1_000 != 0
            ? null
            : (Comparable<?>) ChronoUnit.MICROS.between(Instant.EPOCH, i);
      }
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static FilterPredicate compare(
      String column, Filter.Op op, Object value, PrimitiveType type) {
    Kind kind = kind(type);
    Comparable v = kind == null ? null : stored(kind, value);
    if (v == null || kind == Kind.BOOLEAN && op != Filter.Op.EQ && op != Filter.Op.NE) {
      return null;
    }
    Operators.Column c = column(kind, column);
    return switch (op) {
      case EQ -> FilterApi.eq((Operators.Column & Operators.SupportsEqNotEq) c, v);
      case NE -> FilterApi.notEq((Operators.Column & Operators.SupportsEqNotEq) c, v);
      case LT -> FilterApi.lt((Operators.Column & Operators.SupportsLtGt) c, v);
      case LE -> FilterApi.ltEq((Operators.Column & Operators.SupportsLtGt) c, v);
      case GT -> FilterApi.gt((Operators.Column & Operators.SupportsLtGt) c, v);
      case GE -> FilterApi.gtEq((Operators.Column & Operators.SupportsLtGt) c, v);
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static FilterPredicate in(Filter.In in, PrimitiveType type) {
    Kind kind = kind(type);
    if (kind == null || in.values().isEmpty()) {
      return null;
    }
    Set values = new HashSet<>();
    for (Object x : in.values()) {
      Comparable v = stored(kind, x);
      if (v == null) {
        return null;
      }
      values.add(v);
    }
    return FilterApi.in(
        (Operators.Column & Operators.SupportsEqNotEq) column(kind, in.column()), values);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static FilterPredicate nullCheck(String column, PrimitiveType type, boolean isNull) {
    Kind kind = kind(type);
    if (kind == null) {
      return null;
    }
    Operators.Column c = column(kind, column);
    return isNull
        ? FilterApi.eq((Operators.Column & Operators.SupportsEqNotEq) c, null)
        : FilterApi.notEq((Operators.Column & Operators.SupportsEqNotEq) c, null);
  }

  private static Operators.Column<?> column(Kind kind, String name) {
    return switch (kind) {
      case INT, DATE -> FilterApi.intColumn(name);
      case LONG, MICROS -> FilterApi.longColumn(name);
      case TEXT -> FilterApi.binaryColumn(name);
      case BOOLEAN -> FilterApi.booleanColumn(name);
    };
  }
}
