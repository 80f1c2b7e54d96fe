package dev.meshwork.core.model;

import java.util.List;
import java.util.Map;

/**
 * The owning team. ODCS v3.0 wrote a bare list of members; {@link #memberListOnly()} remembers that
 * form so that writing the descriptor back keeps it.
 */
public record Team(
    String id,
    String name,
    String description,
    List<TeamMember> members,
    List<String> tags,
    List<CustomProperty> customProperties,
    List<AuthoritativeDefinition> authoritativeDefinitions,
    Map<String, Object> extensions,
    boolean memberListOnly) {

  /** Copies the collections. */
  public Team {
    members = Copies.list(members);
    tags = Copies.list(tags);
    customProperties = Copies.list(customProperties);
    authoritativeDefinitions = Copies.list(authoritativeDefinitions);
    extensions = Copies.map(extensions);
  }
}
