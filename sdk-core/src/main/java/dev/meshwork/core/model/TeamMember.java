package dev.meshwork.core.model;

import java.util.List;
import java.util.Map;

/** A member of the team that owns a product or contract. */
public record TeamMember(
    String id,
    String username,
    String name,
    String description,
    String role,
    String dateIn,
    String dateOut,
    String replacedByUsername,
    List<String> tags,
    List<CustomProperty> customProperties,
    List<AuthoritativeDefinition> authoritativeDefinitions,
    Map<String, Object> extensions) {

  /** Copies the collections. */
  public TeamMember {
    tags = Copies.list(tags);
    customProperties = Copies.list(customProperties);
    authoritativeDefinitions = Copies.list(authoritativeDefinitions);
    extensions = Copies.map(extensions);
  }
}
