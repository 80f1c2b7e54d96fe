package dev.meshwork.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An ODPS output port: what the product promises, under which contract. */
public record OutputPortSpec(
    String name,
    String description,
    String type,
    String version,
    String contractId,
    List<Map<String, Object>> sbom,
    List<Map<String, Object>> inputContracts,
    List<String> tags,
    List<CustomProperty> customProperties,
    List<AuthoritativeDefinition> authoritativeDefinitions,
    Map<String, Object> extensions) {

  /** Copies the collections. */
  public OutputPortSpec {
    sbom = Copies.list(sbom);
    inputContracts = Copies.list(inputContracts);
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
