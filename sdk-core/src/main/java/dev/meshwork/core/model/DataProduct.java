package dev.meshwork.core.model;

import dev.meshwork.core.UnknownPortException;
import dev.meshwork.core.internal.descriptor.DescriptorReader;
import dev.meshwork.core.internal.descriptor.DescriptorWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Bitol ODPS v1 data product with the ODCS contracts its ports reference.
 *
 * <p>Load one with {@link #load(Path)}; contracts are found by {@code contractId} in the product's
 * folder, its {@code contracts/} sub-folder, or places and sources given to {@link #loader()}. A
 * product loads without the contracts found nowhere; the ports that need them fail when opened.
 */
public record DataProduct(
    String apiVersion,
    String kind,
    String id,
    String name,
    String version,
    String status,
    String domain,
    String tenant,
    Description description,
    List<String> tags,
    List<AuthoritativeDefinition> authoritativeDefinitions,
    List<CustomProperty> customProperties,
    List<InputPortSpec> inputPorts,
    List<OutputPortSpec> outputPorts,
    List<Map<String, Object>> managementPorts,
    List<Map<String, Object>> support,
    Team team,
    String productCreatedTs,
    Map<String, Object> extensions,
    Map<String, DataContract> contracts,
    List<MissingContract> missingContracts,
    Path source) {

  /** Copies the collections. */
  public DataProduct {
    tags = Copies.list(tags);
    authoritativeDefinitions = Copies.list(authoritativeDefinitions);
    customProperties = Copies.list(customProperties);
    inputPorts = Copies.list(inputPorts);
    outputPorts = Copies.list(outputPorts);
    managementPorts = Copies.list(managementPorts);
    support = Copies.list(support);
    extensions = Copies.map(extensions);
    contracts = Copies.map(contracts);
    missingContracts = Copies.list(missingContracts);
  }

  /**
   * Loads a product file and the contracts its ports reference; a contract found nowhere does not
   * stop the load (see {@link #missingContracts()}), only the port that needs it.
   */
  public static DataProduct load(Path productFile) {
    return loader().load(productFile);
  }

  /** A loader that can be told where else to find contracts. */
  public static ProductLoader loader() {
    return new ProductLoader(DescriptorReader.loader());
  }

  /**
   * This product as ODPS YAML (contracts not included), keeping every field it was loaded with and,
   * where values are unchanged, the layout of its file (see {@link DataContract#toYaml()}).
   */
  public String toYaml() {
    return DescriptorWriter.productToYaml(this);
  }

  /** The name used in messages: the product's name, or its id when it has none. */
  public String displayName() {
    return name != null ? name : id;
  }

  /**
   * The input port with this name: of a port listed in several versions (ODPS entries of one name),
   * the highest release (a pre-release only when there is no release), or the one {@code
   * name@version} names.
   */
  public InputPortSpec inputPort(String portName) {
    int at = portName.lastIndexOf('@');
    String name = at > 0 ? portName.substring(0, at) : portName;
    String version = at > 0 ? portName.substring(at + 1) : null;
    List<InputPortSpec> versions = inputPorts.stream().filter(p -> name.equals(p.name())).toList();
    if (versions.isEmpty()) {
      throw unknownPort(
          "input", portName, inputPorts.stream().map(InputPortSpec::name).distinct().toList());
    }
    return chosen(portName, "input", name, version, versions, InputPortSpec::version);
  }

  /**
   * The output port with this name: of a port listed in several major versions, the highest
   * release, or the entry {@code name@version} or its stored name ({@code payments_v2}, see {@link
   * #outputKey}) names.
   */
  public OutputPortSpec outputPort(String portName) {
    int at = portName.lastIndexOf('@');
    String name = at > 0 ? portName.substring(0, at) : portName;
    String version = at > 0 ? portName.substring(at + 1) : null;
    List<OutputPortSpec> versions =
        outputPorts.stream().filter(p -> name.equals(p.name())).toList();
    if (versions.isEmpty()) {
      return outputPorts.stream()
          .filter(p -> version == null && portName.equals(outputKey(p)))
          .findFirst()
          .orElseThrow(
              () ->
                  unknownPort(
                      "output",
                      portName,
                      outputPorts.stream().map(OutputPortSpec::name).distinct().toList()));
    }
    return chosen(portName, "output", name, version, versions, OutputPortSpec::version);
  }

  /** Of the entries of one port, the highest release or the one {@code version} names. */
  private <T> T chosen(
      String portName,
      String kind,
      String name,
      String version,
      List<T> entries,
      java.util.function.Function<T, String> versionOf) {
    if (version == null) {
      return Versions.highest(entries, versionOf);
    }
    return entries.stream()
        .filter(p -> version.equals(versionOf.apply(p)))
        .findFirst()
        .orElseThrow(
            () ->
                new UnknownPortException(
                    "Cannot open "
                        + kind
                        + " port '"
                        + portName
                        + "' of data product '"
                        + displayName()
                        + "': it lists port '"
                        + name
                        + "' in versions "
                        + entries.stream().map(versionOf).toList()
                        + ", not "
                        + version
                        + ". Use one of them, or the port's name alone for the highest."));
  }

  /**
   * The name an output port entry is stored and run under: the port's name, or, for a port listed
   * in several major versions (one entry each), {@code <name>_v<major>} for every major above the
   * lowest one listed, whose table keeps the plain name. Each major is a table of its own, so a
   * breaking change is published beside the old version while consumers move.
   */
  public String outputKey(OutputPortSpec port) {
    List<OutputPortSpec> versions =
        outputPorts.stream().filter(p -> p.name().equals(port.name())).toList();
    if (versions.size() < 2) {
      return port.name();
    }
    long lowest = versions.stream().mapToLong(p -> Versions.major(p.version())).min().getAsLong();
    long major = Versions.major(port.version());
    return major == lowest ? port.name() : port.name() + "_v" + major;
  }

  /**
   * The output port entry stored and run under {@code key} (see {@link #outputKey}): for a port
   * listed in several major versions the plain name is the lowest major's entry, not the highest.
   */
  public OutputPortSpec outputPortByKey(String key) {
    return outputPorts.stream()
        .filter(p -> key.equals(outputKey(p)))
        .findFirst()
        .orElseGet(() -> outputPort(key));
  }

  /** The stored name ({@link #outputKey}) of the output port entry {@code portName} names. */
  public String outputKey(String portName) {
    return outputKey(outputPort(portName));
  }

  /** Why the contract with this id was not loaded, if it is one a port names and none was found. */
  public Optional<MissingContract> missingContract(String contractId) {
    return missingContracts.stream().filter(m -> m.contractId().equals(contractId)).findFirst();
  }

  /** The contract with this id, if it was loaded. */
  public Optional<DataContract> contract(String contractId) {
    return Optional.ofNullable(contracts.get(contractId));
  }

  private UnknownPortException unknownPort(String kind, String portName, List<String> known) {
    return new UnknownPortException(
        "Cannot open "
            + kind
            + " port '"
            + portName
            + "' of data product '"
            + displayName()
            + "': it has no such "
            + kind
            + " port. Known "
            + kind
            + " ports: "
            + (known.isEmpty() ? "(none)" : known.stream().collect(Collectors.joining(", ")))
            + (source == null ? "" : ". Ports are declared in " + source));
  }
}
