package dev.meshwork.core.model;

/**
 * A key/value custom property, as both ODPS and ODCS define it; {@code id} is ODCS v3.1's optional
 * stable identifier (null when not given).
 */
public record CustomProperty(String id, String property, Object value, String description) {

  /** A custom property without an id. */
  public CustomProperty(String property, Object value, String description) {
    this(null, property, value, description);
  }
}
