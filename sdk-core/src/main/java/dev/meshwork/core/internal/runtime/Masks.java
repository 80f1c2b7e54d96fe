package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.MaskKey;
import dev.meshwork.core.Row;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.write.ListShape;
import dev.meshwork.spi.write.MapShape;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.ScalarShape;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShape;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Column masks compiled for rows of canonical values: each mask's path into nested data, and for
 * {@code hash} masks the key of its scope (derived once, so the mesh's key itself never travels
 * with a split). A path that does not fit the data it meets masks the whole value there, so a wrong
 * shape can hide too much but never too little.
 */
final class Masks implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String EACH = "[]";

  /** One mask: the column as the policy named it, its steps, and the scope's key for hashes. */
  private record Compiled(
      String column, List<String> steps, Decision.MaskKind kind, int length, byte[] key)
      implements Serializable {}

  private final List<Compiled> masks;

  private Masks(List<Compiled> masks) {
    this.masks = masks;
  }

  /** Compiles {@code masks}; {@code keys} gives the key of a scope (asked only for hashes). */
  static Masks of(List<Decision.ColumnMask> masks, Function<String, byte[]> keys) {
    List<Compiled> out = new ArrayList<>();
    for (Decision.ColumnMask m : masks) {
      byte[] key = m.mask() == Decision.MaskKind.HASH ? keys.apply(scope(m)) : null;
      out.add(new Compiled(m.column(), steps(m.column()), m.mask(), m.length(), key));
    }
    return new Masks(List.copyOf(out));
  }

  private static String scope(Decision.ColumnMask m) {
    return m.keyScope() == null ? "" : m.keyScope();
  }

  /** {@code a.b[].c} as {@code [a, b, [], c]}. */
  static List<String> steps(String path) {
    List<String> out = new ArrayList<>();
    for (String part : path.split("\\.", -1)) {
      String name = part;
      int each = 0;
      while (name.endsWith(EACH)) {
        name = name.substring(0, name.length() - EACH.length());
        each++;
      }
      if (!name.isEmpty()) {
        out.add(name);
      }
      for (int i = 0; i < each; i++) {
        out.add(EACH);
      }
    }
    return List.copyOf(out);
  }

  boolean isEmpty() {
    return masks.isEmpty();
  }

  /**
   * The record components of {@code shape} that a mask may turn into null although their Java type
   * cannot hold null (an {@code int} would read as 0, which looks like data), each as "component
   * (type) under mask 'column' (kind)".
   */
  List<String> primitivesMaskedToNull(StructShape<?> shape) {
    List<String> out = new ArrayList<>();
    for (Compiled m : masks) {
      ValueShape at = shape;
      String path = "";
      for (String step : m.steps()) {
        if (EACH.equals(step)) {
          at =
              at instanceof ListShape l
                  ? l.element()
                  : at instanceof MapShape mp ? mp.value() : null;
          path += "[]";
        } else if (at instanceof StructShape<?> st) {
          ValueShape next = null;
          for (Member<?> member : st.members()) {
            if (member.field().name().equals(step)) {
              next = member.shape();
            }
          }
          at = next;
          path += (path.isEmpty() ? "" : ".") + step;
        } else {
          at = null;
        }
        if (at == null) {
          break;
        }
      }
      if (at != null) {
        collectPrimitives(at, path, m, out);
      }
    }
    return out;
  }

  private static void collectPrimitives(ValueShape at, String path, Compiled m, List<String> out) {
    if (at instanceof ScalarShape sc) {
      Class<?> t = sc.javaType();
      boolean hashedNumber =
          m.kind() == Decision.MaskKind.HASH && (t == int.class || t == long.class);
      if (t.isPrimitive() && !hashedNumber) {
        out.add(
            path
                + " ("
                + t.getName()
                + ") under mask '"
                + m.column()
                + "' ("
                + m.kind().name().toLowerCase(java.util.Locale.ROOT)
                + ")");
      }
    } else if (at instanceof StructShape<?> st && m.kind() != Decision.MaskKind.NULL) {
      // A nulling mask nulls the whole struct (an object); the others reach each field.
      for (Member<?> member : st.members()) {
        collectPrimitives(
            member.shape(), path + (path.isEmpty() ? "" : ".") + member.field().name(), m, out);
      }
    }
  }

  /** Whether a mask names {@code column} itself (not a field inside it). */
  boolean masks(String column) {
    return masks.stream().anyMatch(m -> m.column().equals(column));
  }

  /** Whether every mask names a top-level column, none a field inside one. */
  boolean topLevelOnly() {
    return masks.stream().allMatch(m -> m.steps().size() == 1);
  }

  /**
   * Whether the masks of top-level {@code column} give the same result on a value held as {@code
   * held} (a record component's class) as on the column's canonical value.
   */
  boolean appliesTo(String column, Class<?> held) {
    for (Compiled m : masks) {
      if (!m.column().equals(column)) {
        continue;
      }
      boolean same =
          switch (m.kind()) {
            case NULL -> true;
            case HASH ->
                held == String.class
                    || held == Long.class
                    || held == long.class
                    || held == Integer.class
                    || held == int.class;
            case REDACT, TRUNCATE -> held == String.class || !held.isPrimitive();
          };
      if (!same) {
        return false;
      }
    }
    return true;
  }

  /** A top-level column's value with its masks applied. */
  Object apply(String column, Object value) {
    Object v = value;
    for (Compiled m : masks) {
      if (m.column().equals(column)) {
        v = whole(v, m);
      }
    }
    return v;
  }

  /** A copy of a top-level row with every mask applied. */
  Map<String, Object> apply(Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>(row);
    for (Compiled m : masks) {
      String column = m.steps().isEmpty() ? m.column() : m.steps().get(0);
      if (out.containsKey(column)) {
        out.put(column, at(out.get(column), m, 1));
      }
    }
    return out;
  }

  private static Object at(Object v, Compiled m, int step) {
    if (v == null) {
      return null;
    }
    if (step >= m.steps().size()) {
      return whole(v, m);
    }
    String s = m.steps().get(step);
    if (EACH.equals(s)) {
      if (v instanceof List<?> list) {
        List<Object> out = new ArrayList<>(list.size());
        list.forEach(e -> out.add(at(e, m, step + 1)));
        return out;
      }
      if (v instanceof Map<?, ?> map) {
        Map<Object, Object> out = new LinkedHashMap<>();
        map.forEach((k, x) -> out.put(k, at(x, m, step + 1)));
        return out;
      }
      return whole(v, m);
    }
    if (v instanceof Row r) {
      if (!r.values().containsKey(s)) {
        return r;
      }
      Map<String, Object> out = new LinkedHashMap<>(r.values());
      out.put(s, at(out.get(s), m, step + 1));
      return Row.of(out);
    }
    return whole(v, m);
  }

  /** Every value inside {@code v} masked; a map's keys are hashed too, or the map is dropped. */
  private static Object whole(Object v, Compiled m) {
    if (v == null || m.kind() == Decision.MaskKind.NULL) {
      return null;
    }
    if (v instanceof Row r) {
      Map<String, Object> out = new LinkedHashMap<>();
      r.values().forEach((k, x) -> out.put(k, whole(x, m)));
      return Row.of(out);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(e -> out.add(whole(e, m)));
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      // Keys can be as personal as values; only a hash keeps them distinct, so other masks drop it.
      if (m.kind() != Decision.MaskKind.HASH) {
        return null;
      }
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object k = scalar(e.getKey(), m);
        if (k == null) {
          return null;
        }
        out.put(k, whole(e.getValue(), m));
      }
      return out;
    }
    return scalar(v, m);
  }

  private static Object scalar(Object v, Compiled m) {
    return switch (m.kind()) {
      case NULL -> null;
      case REDACT -> v instanceof String ? "****" : null;
      case HASH -> hash(v, m.key());
      case TRUNCATE ->
          v instanceof String s ? s.substring(0, Math.min(m.length(), s.length())) : null;
    };
  }

  /**
   * HMAC-SHA-256 of the value's text: hex for text; whole numbers hash to a number of the same type
   * (the digest's leading bytes), so masked keys still join.
   */
  static Object hash(Object v, byte[] key) {
    if (!(v instanceof String || v instanceof Long || v instanceof Integer)) {
      return null;
    }
    byte[] digest = MaskKey.hmac(key, String.valueOf(v).getBytes(StandardCharsets.UTF_8));
    if (v instanceof Long) {
      return ByteBuffer.wrap(digest).getLong();
    }
    if (v instanceof Integer) {
      return ByteBuffer.wrap(digest).getInt();
    }
    return HexFormat.of().formatHex(digest);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    masks.forEach(
        m ->
            parts.add(
                m.column()
                    + " masked ("
                    + m.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + ")"));
    return String.join(", ", parts);
  }
}
