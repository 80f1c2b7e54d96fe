package dev.meshwork.core.model;

import java.util.List;
import java.util.Map;

/**
 * An ODCS quality rule (library metric, SQL, custom engine or text), at schema or property level.
 */
public record QualityRule(
    String id,
    String name,
    String description,
    String type,
    String metric,
    Map<String, Object> arguments,
    Comparison comparison,
    String unit,
    String severity,
    String dimension,
    String businessImpact,
    String method,
    String schedule,
    String scheduler,
    String query,
    String engine,
    Object implementation,
    List<String> tags,
    List<AuthoritativeDefinition> authoritativeDefinitions,
    List<CustomProperty> customProperties,
    Map<String, Object> extensions) {

  /** Copies the collections. */
  public QualityRule {
    arguments = Copies.map(arguments);
    tags = Copies.list(tags);
    authoritativeDefinitions = Copies.list(authoritativeDefinitions);
    customProperties = Copies.list(customProperties);
    extensions = Copies.map(extensions);
  }
}
