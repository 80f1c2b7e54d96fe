package dev.meshwork.core.model;

import dev.meshwork.core.internal.descriptor.DescriptorReader;
import dev.meshwork.core.internal.descriptor.DescriptorWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Bitol ODCS v3 data contract: the schema, quality rules and terms of one port's data. */
public record DataContract(
    String apiVersion,
    String kind,
    String id,
    String name,
    String version,
    String status,
    String tenant,
    String domain,
    String dataProduct,
    Description description,
    List<String> tags,
    List<SchemaObject> schema,
    List<Server> servers,
    Team team,
    List<Role> roles,
    String slaDefaultElement,
    List<SlaProperty> slaProperties,
    List<Map<String, Object>> support,
    Map<String, Object> price,
    List<AuthoritativeDefinition> authoritativeDefinitions,
    List<CustomProperty> customProperties,
    String contractCreatedTs,
    Map<String, Object> extensions,
    Path source) {

  /** Copies the collections. */
  public DataContract {
    tags = Copies.list(tags);
    schema = Copies.list(schema);
    servers = Copies.list(servers);
    roles = Copies.list(roles);
    slaProperties = Copies.list(slaProperties);
    support = Copies.list(support);
    price = price == null ? null : Copies.map(price);
    authoritativeDefinitions = Copies.list(authoritativeDefinitions);
    customProperties = Copies.list(customProperties);
    extensions = Copies.map(extensions);
  }

  /** Loads a contract from an ODCS v3.0.x or v3.1.0 YAML file. */
  public static DataContract load(Path file) {
    return DescriptorReader.readContract(file);
  }

  /**
   * This contract as ODCS YAML, keeping every field it was loaded with and, where values are
   * unchanged, the layout of its file: key order, comments, quoting, operator spelling and fields
   * written with their default value.
   */
  public String toYaml() {
    return DescriptorWriter.contractToYaml(this);
  }

  /**
   * This contract as ODCS YAML in Meshwork's canonical layout: the same text for the same values
   * however the file was written (for fingerprints and comparisons).
   */
  public String toCanonicalYaml() {
    return DescriptorWriter.contractToCanonicalYaml(this);
  }

  /** The schema object with this name, if any. */
  public Optional<SchemaObject> schemaObject(String name) {
    return schema.stream().filter(o -> name.equals(o.name())).findFirst();
  }

  /**
   * The schema object a port of this contract uses: the one named {@code explicitName} (the port's
   * custom property {@code schemaObject}) when given, else the only one, else the one named after
   * the port (its dashes read as underscores); empty when none is.
   */
  public Optional<SchemaObject> schemaObjectFor(String portName, String explicitName) {
    if (explicitName != null) {
      return schemaObject(explicitName);
    }
    if (schema.size() == 1) {
      return Optional.of(schema.get(0));
    }
    return schema.stream()
        .filter(
            o ->
                o.name().equalsIgnoreCase(portName)
                    || o.name().equalsIgnoreCase(portName.replace('-', '_')))
        .findFirst();
  }

  /** The value of a custom property, if set. */
  public Optional<Object> customProperty(String property) {
    return CustomProperties.find(customProperties, property);
  }
}
