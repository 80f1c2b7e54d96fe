package dev.meshwork.core;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A condition on a row's top-level columns: comparisons with a value, {@code in}, null checks, and
 * {@code and}/{@code or}/{@code not} of those. A read given one ({@link InputPort#read(Filter)})
 * skips the files and row groups whose statistics rule every row out and hands over only the rows
 * that match; a policy's row filter that can be written this way is applied the same way.
 *
 * <p>Values compare as the columns' Java values do: numbers by value whatever their class, text,
 * dates, times and instants in their natural order. A comparison with a null column value is false,
 * as in SQL ({@code not} of it too); use {@link #isNull}. NaN equals nothing and is neither less
 * nor greater than anything (only {@code !=} holds), as in IEEE 754.
 */
public sealed interface Filter extends java.io.Serializable
    permits Filter.Compare, Filter.In, Filter.IsNull, Filter.And, Filter.Or, Filter.Not {

  /** A comparison operator. */
  enum Op {
    /** Equal. */
    EQ("=="),
    /** Not equal. */
    NE("!="),
    /** Less than. */
    LT("<"),
    /** Less than or equal. */
    LE("<="),
    /** Greater than. */
    GT(">"),
    /** Greater than or equal. */
    GE(">=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written, for example {@code <=}. */
    public String symbol() {
      return symbol;
    }
  }

  /** {@code column == value}. */
  static Filter eq(String column, Object value) {
    return new Compare(column, Op.EQ, value);
  }

  /** {@code column != value}. */
  static Filter ne(String column, Object value) {
    return new Compare(column, Op.NE, value);
  }

  /** {@code column < value}. */
  static Filter lt(String column, Object value) {
    return new Compare(column, Op.LT, value);
  }

  /** {@code column <= value}. */
  static Filter le(String column, Object value) {
    return new Compare(column, Op.LE, value);
  }

  /** {@code column > value}. */
  static Filter gt(String column, Object value) {
    return new Compare(column, Op.GT, value);
  }

  /** {@code column >= value}. */
  static Filter ge(String column, Object value) {
    return new Compare(column, Op.GE, value);
  }

  /** {@code column} equals one of {@code values}. */
  static Filter in(String column, Collection<?> values) {
    return new In(column, List.copyOf(values));
  }

  /** {@code column} is null. */
  static Filter isNull(String column) {
    return new IsNull(column);
  }

  /** {@code column} is not null. */
  static Filter notNull(String column) {
    return new Not(new IsNull(column));
  }

  /** Every one of {@code filters}. */
  static Filter and(Filter... filters) {
    return new And(List.of(filters));
  }

  /** Any one of {@code filters}. */
  static Filter or(Filter... filters) {
    return new Or(List.of(filters));
  }

  /** The opposite of {@code filter}. */
  static Filter not(Filter filter) {
    return new Not(filter);
  }

  /**
   * Whether a row matches; {@code column} gives a top-level column's value (null when null).
   *
   * @throws IllegalArgumentException when a value cannot be compared with the column's
   */
  boolean test(Function<String, Object> column);

  /** The columns the filter reads. */
  default Set<String> columns() {
    Set<String> out = new LinkedHashSet<>();
    collect(this, out);
    return out;
  }

  private static void collect(Filter f, Set<String> out) {
    if (f instanceof Compare c) {
      out.add(c.column());
    } else if (f instanceof In i) {
      out.add(i.column());
    } else if (f instanceof IsNull n) {
      out.add(n.column());
    } else if (f instanceof And a) {
      a.filters().forEach(x -> collect(x, out));
    } else if (f instanceof Or o) {
      o.filters().forEach(x -> collect(x, out));
    } else {
      collect(((Not) f).filter(), out);
    }
  }

  /** {@code column op value}. */
  record Compare(String column, Op op, Object value) implements Filter {
    /** Requires a column, an operator and a non-null value. */
    public Compare {
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(value, "value (use Filter.isNull for null checks)");
    }

    @Override
    public boolean test(Function<String, Object> row) {
      Object v = row.apply(column);
      if (v == null) {
        return false;
      }
      if (FilterValues.isNaN(v) || FilterValues.isNaN(value)) {
        return op == Op.NE; // NaN is unordered: no comparison holds, and it equals nothing
      }
      int c = FilterValues.compare(v, value, column);
      return switch (op) {
        case EQ -> c == 0;
        case NE -> c != 0;
        case LT -> c < 0;
        case LE -> c <= 0;
        case GT -> c > 0;
        case GE -> c >= 0;
      };
    }

    @Override
    public String toString() {
      return column + " " + op.symbol() + " " + FilterValues.show(value);
    }
  }

  /** {@code column in values}. */
  record In(String column, List<Object> values) implements Filter {
    /** Copies the values; none may be null. */
    public In {
      Objects.requireNonNull(column, "column");
      values = List.copyOf(values);
    }

    @Override
    public boolean test(Function<String, Object> row) {
      Object v = row.apply(column);
      if (v == null) {
        return false;
      }
      for (Object x : values) {
        if (!FilterValues.isNaN(v)
            && !FilterValues.isNaN(x)
            && FilterValues.compare(v, x, column) == 0) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      List<String> shown = new ArrayList<>();
      values.forEach(x -> shown.add(FilterValues.show(x)));
      return column + " in [" + String.join(", ", shown) + "]";
    }
  }

  /** {@code column} is null. */
  record IsNull(String column) implements Filter {
    /** Requires a column. */
    public IsNull {
      Objects.requireNonNull(column, "column");
    }

    @Override
    public boolean test(Function<String, Object> row) {
      return row.apply(column) == null;
    }

    @Override
    public String toString() {
      return column + " is null";
    }
  }

  /** Every one of the filters. */
  record And(List<Filter> filters) implements Filter {
    /** Copies the filters. */
    public And {
      filters = List.copyOf(filters);
    }

    @Override
    public boolean test(Function<String, Object> row) {
      for (Filter f : filters) {
        if (!f.test(row)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return join(filters, " and ");
    }
  }

  /** Any one of the filters. */
  record Or(List<Filter> filters) implements Filter {
    /** Copies the filters. */
    public Or {
      filters = List.copyOf(filters);
    }

    @Override
    public boolean test(Function<String, Object> row) {
      for (Filter f : filters) {
        if (f.test(row)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return join(filters, " or ");
    }
  }

  /** The opposite of a filter. */
  record Not(Filter filter) implements Filter {
    /** Requires the filter. */
    public Not {
      Objects.requireNonNull(filter, "filter");
    }

    @Override
    public boolean test(Function<String, Object> row) {
      if (filter instanceof IsNull) {
        return !filter.test(row);
      }
      // SQL's three values: a comparison with null is neither true nor false.
      for (String c : filter.columns()) {
        if (row.apply(c) == null) {
          return false;
        }
      }
      return !filter.test(row);
    }

    @Override
    public String toString() {
      return filter instanceof IsNull n ? n.column() + " is not null" : "not (" + filter + ")";
    }
  }

  private static String join(List<Filter> filters, String with) {
    List<String> parts = new ArrayList<>();
    for (Filter f : filters) {
      parts.add(f instanceof And || f instanceof Or ? "(" + f + ")" : f.toString());
    }
    return String.join(with, parts);
  }
}

/** Comparisons of column values with filter values. */
final class FilterValues {
  private FilterValues() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object column, Object value, String name) {
    if (column instanceof Number a && value instanceof Number b) {
      if (isWhole(a) && isWhole(b)) {
        return Long.compare(a.longValue(), b.longValue());
      }
      if (a instanceof BigDecimal || b instanceof BigDecimal) {
        return decimal(a).compareTo(decimal(b));
      }
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    if (column instanceof Enum<?> e && value instanceof String s) {
      return e.name().compareTo(s);
    }
    if (column instanceof java.time.OffsetDateTime o && value instanceof java.time.Instant i) {
      return o.toInstant().compareTo(i);
    }
    if (column instanceof java.time.Instant i && value instanceof java.time.OffsetDateTime o) {
      return i.compareTo(o.toInstant());
    }
    if (column instanceof Comparable c && column.getClass().isInstance(value)) {
      return c.compareTo(value);
    }
    throw new IllegalArgumentException(
        "Cannot compare column '"
            + name
            + "' ("
            + column.getClass().getSimpleName()
            + ") with "
            + show(value)
            + " ("
            + value.getClass().getSimpleName()
            + "); give a value of the column's type");
  }

  static boolean isNaN(Object v) {
    return v instanceof Double d && d.isNaN() || v instanceof Float f && f.isNaN();
  }

  private static boolean isWhole(Number n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
  }

  private static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d
        ? d
        : isWhole(n) ? BigDecimal.valueOf(n.longValue()) : BigDecimal.valueOf(n.doubleValue());
  }

  static String show(Object v) {
    return v instanceof String || v instanceof Enum<?> ? "'" + v + "'" : String.valueOf(v);
  }
}
