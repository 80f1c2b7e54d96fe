package dev.meshwork.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An ODPS input port: what the product consumes, by the contract it expects. */
public record InputPortSpec(
    String name,
    String version,
    String contractId,
    List<String> tags,
    List<CustomProperty> customProperties,
    List<AuthoritativeDefinition> authoritativeDefinitions,
    Map<String, Object> extensions) {

  /** Copies the collections. */
  public InputPortSpec {
    tags = Copies.list(tags);
    customProperties = Copies.list(customProperties);
    authoritativeDefinitions = Copies.list(authoritativeDefinitions);
    extensions = Copies.map(extensions);
  }

  /** The value of a custom property, if set. */
  public Optional<Object> customProperty(String property) {
    return CustomProperties.find(customProperties, property);
  }
}
