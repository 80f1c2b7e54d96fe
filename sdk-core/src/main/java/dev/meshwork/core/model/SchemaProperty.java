package dev.meshwork.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ODCS schema property (a column, or a nested field): its logical and physical type,
 * constraints, classification and quality rules. Objects nest {@code properties}; arrays describe
 * {@code items}.
 */
public record SchemaProperty(
    String id,
    String name,
    String physicalName,
    String physicalType,
    String description,
    String businessName,
    LogicalType logicalType,
    Map<String, Object> logicalTypeOptions,
    boolean required,
    boolean unique,
    boolean primaryKey,
    int primaryKeyPosition,
    boolean partitioned,
    int partitionKeyPosition,
    String classification,
    String encryptedName,
    boolean criticalDataElement,
    List<String> transformSourceObjects,
    String transformLogic,
    String transformDescription,
    List<Object> examples,
    List<SchemaProperty> properties,
    SchemaProperty items,
    List<QualityRule> quality,
    List<Map<String, Object>> relationships,
    List<String> tags,
    List<AuthoritativeDefinition> authoritativeDefinitions,
    List<CustomProperty> customProperties,
    Map<String, Object> extensions) {

  /** Copies the collections. */
  public SchemaProperty {
    logicalTypeOptions = Copies.map(logicalTypeOptions);
    transformSourceObjects = Copies.list(transformSourceObjects);
    examples = Copies.list(examples);
    properties = Copies.list(properties);
    quality = Copies.list(quality);
    relationships = Copies.list(relationships);
    tags = Copies.list(tags);
    authoritativeDefinitions = Copies.list(authoritativeDefinitions);
    customProperties = Copies.list(customProperties);
    extensions = Copies.map(extensions);
  }

  /** The value of a custom property, if set. */
  public Optional<Object> customProperty(String property) {
    return CustomProperties.find(customProperties, property);
  }
}
