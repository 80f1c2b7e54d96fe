package dev.meshwork.core.model;

import java.util.List;
import java.util.Map;

/** An ODCS role that grants access to the dataset. */
public record Role(
    String id,
    String role,
    String description,
    String access,
    String firstLevelApprovers,
    String secondLevelApprovers,
    List<CustomProperty> customProperties,
    Map<String, Object> extensions) {

  /** Copies the collections. */
  public Role {
    customProperties = Copies.list(customProperties);
    extensions = Copies.map(extensions);
  }
}
