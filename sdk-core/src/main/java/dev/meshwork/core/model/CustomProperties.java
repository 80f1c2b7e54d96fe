package dev.meshwork.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Lookup of custom properties by name. */
final class CustomProperties {
  private CustomProperties() {}

  static Optional<Object> find(List<CustomProperty> properties, String property) {
    return properties.stream()
        .filter(p -> Objects.equals(p.property(), property))
        .map(CustomProperty::value)
        .filter(Objects::nonNull)
        .findFirst();
  }
}
