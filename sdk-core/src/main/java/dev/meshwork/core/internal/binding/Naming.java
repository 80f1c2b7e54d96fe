package dev.meshwork.core.internal.binding;

import java.util.Locale;

/**
 * The documented mapping between Java names and contract field names: a component matches a field
 * of the same name, or the field whose name equals the component's once underscores are dropped
 * ({@code deliveryId} ↔ {@code delivery_id}, {@code httpCode} ↔ {@code HTTP_code}), compared
 * without regard to case. An exact match wins over a mapped one.
 */
public final class Naming {
  private Naming() {}

  /** {@code deliveryId} → {@code delivery_id}; {@code HTTPCode} → {@code http_code}. */
  public static String snakeCase(String javaName) {
    StringBuilder out = new StringBuilder();
    char[] c = javaName.toCharArray();
    for (int i = 0; i < c.length; i++) {
      boolean upper = Character.isUpperCase(c[i]);
      if (upper && i > 0) {
        boolean prevLower = Character.isLowerCase(c[i - 1]) || Character.isDigit(c[i - 1]);
        boolean nextLower = i + 1 < c.length && Character.isLowerCase(c[i + 1]);
        if (prevLower || (nextLower && Character.isUpperCase(c[i - 1]))) {
          out.append('_');
        }
      }
      out.append(Character.toLowerCase(c[i]));
    }
    return out.toString();
  }

  /** Whether a Java component name matches a contract field name. */
  public static boolean matches(String javaName, String fieldName) {
    return javaName.equalsIgnoreCase(fieldName)
        || snakeCase(javaName).equals(fieldName.toLowerCase(Locale.ROOT))
        || javaName.equalsIgnoreCase(fieldName.replace("_", ""));
  }
}
