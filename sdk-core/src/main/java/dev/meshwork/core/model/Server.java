package dev.meshwork.core.model;

import java.util.List;
import java.util.Map;

/**
 * An ODCS server where the data resides. The type-specific connection fields (host, location,
 * format, …) are kept verbatim in {@code properties}.
 */
public record Server(
    String id,
    String server,
    String type,
    String description,
    String environment,
    List<Role> roles,
    List<CustomProperty> customProperties,
    Map<String, Object> properties) {

  /** Copies the collections. */
  public Server {
    roles = Copies.list(roles);
    customProperties = Copies.list(customProperties);
    properties = Copies.map(properties);
  }
}
