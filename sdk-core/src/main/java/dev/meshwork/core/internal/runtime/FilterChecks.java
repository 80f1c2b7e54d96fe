package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.Filter;
import dev.meshwork.core.schema.StructType;

/** Checks a {@link Filter} against a contract's columns before it is used. */
final class FilterChecks {
  private FilterChecks() {}

  /**
   * Fails, naming the column and what it holds, unless every part of {@code f} fits the contract.
   */
  static void check(Filter f, StructType struct, String what) {
    if (f instanceof Filter.And a) {
      a.filters().forEach(x -> check(x, struct, what));
    } else if (f instanceof Filter.Or o) {
      o.filters().forEach(x -> check(x, struct, what));
    } else if (f instanceof Filter.Not n) {
      check(n.filter(), struct, what);
    } else if (f instanceof Filter.Compare c) {
      checkValue(c.column(), c.value(), struct, what);
    } else if (f instanceof Filter.In in) {
      in.values().forEach(v -> checkValue(in.column(), v, struct, what));
    } else {
      type(((Filter.IsNull) f).column(), struct, what);
    }
  }

  private static dev.meshwork.core.schema.DataType type(
      String column, StructType struct, String what) {
    return struct
        .field(column)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Cannot "
                        + what
                        + " on '"
                        + column
                        + "': its contract has no such top-level column; it has "
                        + struct.fields().stream().map(x -> x.name()).toList()))
        .type();
  }

  private static void checkValue(String column, Object value, StructType struct, String what) {
    dev.meshwork.core.schema.DataType type = type(column, struct, what);
    boolean fits =
        type instanceof dev.meshwork.core.schema.DecimalType
            ? value instanceof Number
            : type instanceof dev.meshwork.core.schema.PrimitiveType p
                && switch (p) {
                  case INT, LONG, FLOAT, DOUBLE -> value instanceof Number;
                  case STRING -> value instanceof String || value instanceof Enum<?>;
                  case BOOLEAN -> value instanceof Boolean;
                  case DATE -> value instanceof java.time.LocalDate;
                  case TIME -> value instanceof java.time.LocalTime;
                  case TIMESTAMP -> value instanceof java.time.LocalDateTime;
                  case TIMESTAMP_TZ ->
                      value instanceof java.time.Instant
                          || value instanceof java.time.OffsetDateTime;
                  case UUID -> value instanceof java.util.UUID;
                  case BINARY -> false;
                };
    if (!fits) {
      throw new IllegalArgumentException(
          "Cannot "
              + what
              + " on '"
              + column
              + "' ("
              + type.display()
              + ") with "
              + value
              + " ("
              + value.getClass().getSimpleName()
              + "): "
              + (type instanceof dev.meshwork.core.schema.PrimitiveType p
                      && p == dev.meshwork.core.schema.PrimitiveType.BINARY
                  ? "binary columns take only null checks"
                  : type instanceof dev.meshwork.core.schema.PrimitiveType
                          || type instanceof dev.meshwork.core.schema.DecimalType
                      ? "give a value of the column's type"
                      : "only top-level scalar columns can be filtered"));
    }
  }
}
