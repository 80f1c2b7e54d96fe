package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.Row;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.write.ListShape;
import dev.meshwork.spi.write.MapShape;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.ScalarShape;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShape;
import dev.meshwork.spi.write.ValueShapes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data obligations of a READ decision — column masks and row filters — applied inside the
 * reader, so masked or filtered values never reach pipeline code. Rows are filtered on their
 * original values, then masked.
 */
final class Obligations implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final Masks masks;
  private final List<Decision.RowFilter> filters;

  private Obligations(Masks masks, List<Decision.RowFilter> filters) {
    this.masks = masks;
    this.filters = filters;
  }

  static Obligations of(Decision d, MaskKeys keys) {
    List<Decision.ColumnMask> masks = new ArrayList<>();
    List<Decision.RowFilter> filters = new ArrayList<>();
    for (Decision.Obligation o : d.obligations()) {
      if (o instanceof Decision.ColumnMask m) {
        masks.add(m);
      } else if (o instanceof Decision.RowFilter f) {
        filters.add(f);
      }
    }
    return new Obligations(Masks.of(masks, keys::derive), filters);
  }

  /**
   * Fails unless every obligation can travel to a task: a row filter whose predicate is not
   * serializable (a policy engine's compiled expression) cannot.
   */
  void requireSerializable(String where) {
    for (Decision.RowFilter f : filters) {
      if (!(f.keep() instanceof java.io.Serializable)) {
        throw new dev.meshwork.core.PolicyDeniedException(
            "Cannot hand out splits of "
                + where
                + ": the policy's row filter '"
                + f.description()
                + "' cannot travel to tasks (its predicate is not serializable), and a split must"
                + " not be read without it. Read the port on the coordinator, or use a policy"
                + " engine whose row filters are serializable (the built-in and OPA engines'"
                + " are).");
      }
    }
  }

  /**
   * Fails unless every record component a mask may null can hold null: a masked {@code int} read as
   * 0 would look like data.
   */
  void requireNullableMaskedComponents(StructShape<?> shape, String where) {
    List<String> primitives = masks.primitivesMaskedToNull(shape);
    if (!primitives.isEmpty()) {
      throw new dev.meshwork.core.ContractViolationException(
          "Cannot read "
              + where
              + " into "
              + shape.javaType().getSimpleName()
              + ": the policy masks "
              + String.join(", ", primitives)
              + ", and a masked value arrives as null, which a primitive component cannot hold"
              + " (it would read as 0 or false, which looks like data). Declare the component"
              + " with its boxed type (Integer, Long, Double, Boolean, ...).");
    }
  }

  /**
   * Rows read whole (a filter may use columns the reader does not ask for), filtered and masked,
   * then turned into values of {@code shape}.
   */
  <T> java.util.stream.Stream<T> applied(java.util.stream.Stream<Row> rows, StructShape<T> shape) {
    return rows.map(r -> apply(r.values()))
        .filter(java.util.Objects::nonNull)
        .map(values -> toShape(shape, values));
  }

  /** One change of a change set, filtered and masked as a row; null when a filter drops it. */
  <T> dev.meshwork.core.Change<T> applied(
      dev.meshwork.core.Change<Row> change, StructShape<T> shape) {
    Map<String, Object> values = apply(change.row().values());
    return values == null ? null : change.map(r -> toShape(shape, values));
  }

  /**
   * How to read straight into {@code shape} under these obligations: the shape with the masks
   * applied to its members' values as each value is made, and the row filters as one {@link
   * dev.meshwork.core.Filter} (null when there are none) to test on the decoded columns. Empty when
   * an obligation needs whole rows: a row filter with no such form, a mask inside a column, or a
   * mask whose result differs on the member's class.
   */
  <T> java.util.Optional<Direct<T>> direct(StructShape<T> shape) {
    List<dev.meshwork.core.Filter> conditions = new ArrayList<>();
    for (Decision.RowFilter f : filters) {
      if (f.filter() == null) {
        return java.util.Optional.empty();
      }
      conditions.add(f.filter());
    }
    if (!masks.topLevelOnly()) {
      return java.util.Optional.empty();
    }
    List<Member<T>> members = shape.members();
    String[] masked = new String[members.size()];
    boolean any = false;
    for (int i = 0; i < masked.length; i++) {
      Member<T> m = members.get(i);
      String column = m.field().name();
      if (!masks.masks(column)) {
        continue;
      }
      if (!(m.shape() instanceof ScalarShape s) || !masks.appliesTo(column, s.javaType())) {
        return java.util.Optional.empty();
      }
      masked[i] = column;
      any = true;
    }
    StructShape<T> read =
        !any
            ? shape
            : new StructShape<>(
                shape.javaType(),
                shape.type(),
                members,
                values -> {
                  for (int i = 0; i < masked.length; i++) {
                    if (masked[i] != null) {
                      values[i] = masks.apply(masked[i], values[i]);
                    }
                  }
                  return shape.create(values);
                });
    dev.meshwork.core.Filter where =
        conditions.isEmpty()
            ? null
            : conditions.size() == 1
                ? conditions.get(0)
                : new dev.meshwork.core.Filter.And(conditions);
    return java.util.Optional.of(new Direct<>(read, where));
  }

  /** A shape that masks as it makes values, and the row filters as one filter (null: none). */
  record Direct<T>(StructShape<T> shape, dev.meshwork.core.Filter filter) {}

  boolean isEmpty() {
    return masks.isEmpty() && filters.isEmpty();
  }

  /** Filters and masks a full row (canonical values); null when a filter drops it. */
  Map<String, Object> apply(Map<String, Object> row) {
    for (Decision.RowFilter f : filters) {
      if (!f.keep().test(row)) {
        return null;
      }
    }
    return masks.isEmpty() ? row : masks.apply(row);
  }

  /** Builds a value of {@code shape} from canonical row values (the inverse of {@link Rows}). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> T toShape(StructShape<T> shape, Map<String, Object> values) {
    List<Member<T>> members = shape.members();
    Object[] args = new Object[members.size()];
    for (int i = 0; i < args.length; i++) {
      Member<T> m = members.get(i);
      args[i] = convert(m.shape(), values.get(m.field().name()), m.field().name());
    }
    return shape.create(args);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object convert(ValueShape shape, Object v, String path) {
    if (v == null) {
      // Ports whose masks could null a primitive component are refused when they open, and
      // optional fields never bind to one: a zero here would look like data.
      if (shape instanceof ScalarShape sc && sc.javaType().isPrimitive()) {
        throw new IllegalStateException(
            "A null reached a primitive record component ("
                + sc.javaType()
                + "); the port should have been refused when it opened");
      }
      return null;
    }
    if (shape instanceof StructShape<?> s) {
      return s.javaType() == Row.class ? v : toShape((StructShape<Object>) s, ((Row) v).values());
    }
    if (shape instanceof ListShape l) {
      List<Object> out = new ArrayList<>();
      ((List<?>) v).forEach(e -> out.add(convert(l.element(), e, path + "[]")));
      return out;
    }
    if (shape instanceof MapShape mp) {
      Map<Object, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) v)
          .forEach((k, x) -> out.put(convert(mp.key(), k, path), convert(mp.value(), x, path)));
      return out;
    }
    return ValueShapes.toJava((ScalarShape) shape, v, path);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (!masks.isEmpty()) {
      parts.add(masks.toString());
    }
    filters.forEach(f -> parts.add("row filter " + f.description()));
    return String.join(", ", parts);
  }
}
