package dev.meshwork.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The logical types of ODCS v3. */
public enum LogicalType {
  STRING,
  DATE,
  TIMESTAMP,
  TIME,
  NUMBER,
  INTEGER,
  OBJECT,
  ARRAY,
  BOOLEAN;

  /** The name used in descriptors, such as {@code timestamp}. */
  public String descriptorName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a descriptor name, ignoring case. */
  public static Optional<LogicalType> parse(String name) {
    return Arrays.stream(values())
        .filter(t -> t.descriptorName().equalsIgnoreCase(name))
        .findFirst();
  }
}
