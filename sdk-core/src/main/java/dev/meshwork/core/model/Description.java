package dev.meshwork.core.model;

import java.util.List;
import java.util.Map;

/** The structured description of a product or contract: purpose, limitations and usage. */
public record Description(
    String purpose,
    String limitations,
    String usage,
    List<AuthoritativeDefinition> authoritativeDefinitions,
    List<CustomProperty> customProperties,
    Map<String, Object> extensions) {

  /** Copies the collections. */
  public Description {
    authoritativeDefinitions = Copies.list(authoritativeDefinitions);
    customProperties = Copies.list(customProperties);
    extensions = Copies.map(extensions);
  }
}
