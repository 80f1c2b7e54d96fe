package dev.meshwork.core.schema;

/** A map with non-null keys; {@code valueRequired} says whether values may be null. */
public record MapType(DataType key, DataType value, boolean valueRequired) implements DataType {

  /** A map whose values may be null. */
  public static MapType ofOptional(DataType key, DataType value) {
    return new MapType(key, value, false);
  }

  @Override
  public String display() {
    return "map<" + key.display() + "," + value.display() + ">";
  }
}
