package dev.meshwork.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ODCS schema object: one table (or view, topic, file) with its properties and quality rules.
 */
public record SchemaObject(
    String id,
    String name,
    String physicalName,
    String physicalType,
    String description,
    String businessName,
    String logicalType,
    String dataGranularityDescription,
    List<SchemaProperty> properties,
    List<QualityRule> quality,
    List<Map<String, Object>> relationships,
    List<String> tags,
    List<AuthoritativeDefinition> authoritativeDefinitions,
    List<CustomProperty> customProperties,
    Map<String, Object> extensions) {

  /** Copies the collections. */
  public SchemaObject {
    properties = Copies.list(properties);
    quality = Copies.list(quality);
    relationships = Copies.list(relationships);
    tags = Copies.list(tags);
    authoritativeDefinitions = Copies.list(authoritativeDefinitions);
    customProperties = Copies.list(customProperties);
    extensions = Copies.map(extensions);
  }

  /** The top-level property with this name, if any. */
  public Optional<SchemaProperty> property(String name) {
    return properties.stream().filter(p -> name.equals(p.name())).findFirst();
  }
}
