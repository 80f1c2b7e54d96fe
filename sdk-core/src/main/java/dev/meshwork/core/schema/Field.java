package dev.meshwork.core.schema;

import java.util.Objects;

/** A named column or nested field; {@code required} fields never hold null. */
public record Field(String name, DataType type, boolean required, String description) {

  /** Validates the name and type. */
  public Field {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("field name must not be blank");
    }
    Objects.requireNonNull(type, () -> "field '" + name + "' needs a type");
  }

  /** A field that may hold null. */
  public static Field optional(String name, DataType type) {
    return new Field(name, type, false, null);
  }

  /** A field that never holds null. */
  public static Field required(String name, DataType type) {
    return new Field(name, type, true, null);
  }
}
