package dev.meshwork.core.internal.descriptor;

import dev.meshwork.core.DescriptorException;
import dev.meshwork.core.model.AuthoritativeDefinition;
import dev.meshwork.core.model.Comparison;
import dev.meshwork.core.model.CustomProperty;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.Description;
import dev.meshwork.core.model.InputPortSpec;
import dev.meshwork.core.model.LogicalType;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.core.model.QualityRule;
import dev.meshwork.core.model.Role;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.core.model.Server;
import dev.meshwork.core.model.SlaProperty;
import dev.meshwork.core.model.Team;
import dev.meshwork.core.model.TeamMember;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads ODPS products and ODCS contracts from YAML into the model, validating as it goes. */
public final class DescriptorReader {
  static final List<String> CONTRACT_API_VERSIONS = List.of("v3.0.0", "v3.0.1", "v3.0.2", "v3.1.0");
  static final List<String> PRODUCT_API_VERSIONS = List.of("v0.9.0", "v1.0.0");

  private DescriptorReader() {}

  /** A loader with the default contract search places. */
  public static Loader loader() {
    return new Loader();
  }

  /** Reads one ODCS contract file. */
  public static DataContract readContract(Path file) {
    return contract(YamlDocument.parse(file));
  }

  /**
   * Reads a product and its contracts from their texts, as shipped to a task elsewhere: the paths
   * only name them in messages, nothing is read from disk.
   */
  public static DataProduct fromTexts(
      Path productSource, String productText, Map<Path, String> contractTexts) {
    ContractIndex index = new ContractIndex(productSource);
    contractTexts.forEach(
        (file, text) -> index.addParsed(contract(YamlDocument.parse(file, text))));
    return product(YamlDocument.parse(productSource, productText), index);
  }

  /** Reads a contract back from a text written for it (the text is not remembered). */
  static DataContract contractFromText(Path source, String text) {
    return contract(YamlDocument.reparse(source, text));
  }

  /** Reads a product back from a text written for it, with the contracts it was loaded with. */
  static DataProduct productFromText(Path source, String text, DataProduct loaded) {
    ContractIndex index = new ContractIndex(source);
    loaded.contracts().values().forEach(index::addParsed);
    return product(YamlDocument.reparse(source, text), index);
  }

  /** Resolves a product's contracts from files and folders, then reads the product. */
  public static final class Loader {
    private final List<Path> contractFiles = new ArrayList<>();
    private final List<Path> contractDirs = new ArrayList<>();
    private final List<dev.meshwork.core.model.ContractSource> sources = new ArrayList<>();
    private boolean strict;

    private Loader() {}

    /**
     * Holds the product and the contract files it reads to their official JSON schemas: a finding
     * fails the load (without this, findings are logged as warnings when the validator is there).
     */
    public Loader strict() {
      if (!SchemaCheck.available()) {
        throw new IllegalStateException(
            "Cannot load strictly: the JSON schema validator is not on the class path. Add"
                + " com.networknt:json-schema-validator (1.5.x) to the project.");
      }
      strict = true;
      return this;
    }

    /** Asks this source for contracts no file provides, after those given before it. */
    public Loader contractSource(dev.meshwork.core.model.ContractSource source) {
      sources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    /** Also looks for contracts in this folder (not recursively). */
    public Loader contractsFrom(Path dir) {
      contractDirs.add(Objects.requireNonNull(dir, "dir"));
      return this;
    }

    /** Uses this contract file, ahead of any found by searching folders. */
    public Loader contract(Path file) {
      contractFiles.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    /**
     * Uses these contract files by id, ahead of any found by searching folders; a file whose id
     * differs from its key is an error.
     */
    public Loader contracts(Map<String, Path> filesById) {
      filesById.forEach(
          (id, file) -> {
            DataContract c = readContract(file);
            if (!id.equals(c.id())) {
              throw new DescriptorException(
                  file.toAbsolutePath(),
                  0,
                  0,
                  "The contract map names this file for id '"
                      + id
                      + "', but its id is '"
                      + c.id()
                      + "'.");
            }
            contractFiles.add(file);
          });
      return this;
    }

    /** Reads the product file and every contract its ports reference. */
    public DataProduct load(Path productFile) {
      Path file = productFile.toAbsolutePath().normalize();
      YamlObject root = YamlDocument.parse(file);
      ContractIndex index = new ContractIndex(file);
      contractFiles.forEach(f -> index.addExplicit(f.toAbsolutePath().normalize()));
      Path dir = file.getParent();
      index.scan(dir);
      index.scan(dir.resolve("contracts"));
      contractDirs.forEach(d -> index.scan(d.toAbsolutePath().normalize()));
      index.sources.addAll(sources);
      DataProduct product = product(root, index);
      if (strict || SchemaCheck.available()) {
        List<Path> files = new ArrayList<>();
        files.add(file);
        product
            .contracts()
            .keySet()
            .forEach(
                id -> {
                  Path f = index.fileOf.get(id);
                  if (f != null) {
                    files.add(f);
                  }
                });
        List<dev.meshwork.core.model.SchemaFinding> findings = new ArrayList<>();
        try {
          files.forEach(f -> findings.addAll(SchemaCheck.check(f)));
        } catch (RuntimeException | LinkageError e) {
          if (strict) {
            throw e;
          }
          // A lenient load never fails for its warnings (another validator version, say).
          LOG.warn("Descriptors of {} were not checked against their JSON schemas: {}", file, e);
          return product;
        }
        report(findings, strict);
      }
      return product;
    }
  }

  /** Fails a strict load with every finding, or logs them as warnings. */
  private static void report(List<dev.meshwork.core.model.SchemaFinding> findings, boolean strict) {
    if (findings.isEmpty()) {
      return;
    }
    String all =
        findings.stream()
            .map(dev.meshwork.core.model.SchemaFinding::describe)
            .collect(Collectors.joining("\n  "));
    if (strict) {
      dev.meshwork.core.model.SchemaFinding first = findings.get(0);
      throw new DescriptorException(
          first.file(),
          first.line(),
          first.column(),
          findings.size()
              + " place(s) break the official JSON schema (strict loading):\n  "
              + all
              + "\nFix them, or load without strict() to have them as warnings.");
    }
    LOG.warn(
        "{} place(s) break the official JSON schema (loaded anyway; strict() refuses them):\n  {}",
        findings.size(),
        all);
  }

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DescriptorReader.class);

  /** Contract files found by id; reads them fully only when a port references the id. */
  private static final class ContractIndex {
    private final Path productFile;
    private final Map<String, List<Path>> filesById = new LinkedHashMap<>();
    private final Map<Path, String> unreadable = new LinkedHashMap<>();
    private final Set<Path> seen = new HashSet<>();
    private final Map<String, DataContract> loaded = new LinkedHashMap<>();
    private final List<Path> scanned = new ArrayList<>();
    private final List<Path> explicit = new ArrayList<>();
    private final List<dev.meshwork.core.model.ContractSource> sources = new ArrayList<>();
    private final Map<String, dev.meshwork.core.model.MissingContract> missing =
        new LinkedHashMap<>();
    private final Map<String, Path> fileOf = new LinkedHashMap<>();

    ContractIndex(Path productFile) {
      this.productFile = productFile;
    }

    void addExplicit(Path file) {
      explicit.add(file);
      DataContract c = readContract(file);
      seen.add(file);
      loaded.putIfAbsent(c.id(), c);
      fileOf.putIfAbsent(c.id(), file);
      filesById.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(file);
    }

    void addParsed(DataContract c) {
      loaded.putIfAbsent(c.id(), c);
    }

    void scan(Path dir) {
      scanned.add(dir);
      if (!Files.isDirectory(dir)) {
        return;
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files =
            s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                .filter(Files::isRegularFile)
                .map(p -> p.toAbsolutePath().normalize())
                .sorted()
                .toList();
      } catch (IOException e) {
        throw new DescriptorException(
            dir, 0, 0, "Cannot list contract folder: " + e.getMessage(), e);
      }
      for (Path f : files) {
        if (f.equals(productFile) || !seen.add(f)) {
          continue;
        }
        try {
          String text = Files.readString(f);
          if (!text.contains("DataContract")) {
            continue;
          }
          YamlObject o = YamlDocument.parse(f, text);
          if ("DataContract".equals(o.str("kind")) && o.str("id") != null) {
            filesById.computeIfAbsent(o.str("id"), k -> new ArrayList<>()).add(f);
          }
        } catch (IOException | DescriptorException e) {
          unreadable.put(f, e.getMessage());
        }
      }
    }

    /**
     * The contract {@code port} references, or null when none is found anywhere: then the product
     * loads without it and the port fails when it opens, naming every place searched.
     */
    DataContract resolve(YamlObject port, String portName, String contractId) {
      DataContract done = loaded.get(contractId);
      if (done != null) {
        return done;
      }
      List<Path> files = filesById.getOrDefault(contractId, List.of());
      if (files.size() > 1) {
        throw port.error(
            "contractId",
            port.childPath("contractId")
                + " '"
                + contractId
                + "' is the id of several contract files: "
                + files
                + ". Give each contract a unique id.");
      }
      if (files.isEmpty()) {
        for (dev.meshwork.core.model.ContractSource source : sources) {
          java.util.Optional<DataContract> found = source.find(contractId);
          if (found.isPresent()) {
            loaded.put(contractId, found.get());
            return found.get();
          }
        }
        StringBuilder msg =
            new StringBuilder(port.childPath("contractId"))
                .append(" '")
                .append(contractId)
                .append("' matches no contract in ")
                .append(searched())
                .append("; known contract ids: ")
                .append(filesById.isEmpty() ? "(none)" : String.join(", ", filesById.keySet()))
                .append(
                    ". Put the ODCS file beside the product or in its contracts/ folder, or tell"
                        + " the loader where it is (contractsFrom, contract, contractSource).");
        if (!unreadable.isEmpty()) {
          msg.append(" Files that could not be read: ");
          unreadable.forEach(
              (f, why) -> msg.append(f.getFileName()).append(" (").append(why).append("); "));
        }
        DescriptorException e = port.error("contractId", msg.toString().trim());
        String prefix = e.file() + ":" + e.line() + ":" + e.column() + ": ";
        String text = e.getMessage();
        missing.putIfAbsent(
            contractId,
            new dev.meshwork.core.model.MissingContract(
                contractId,
                portName,
                e.file(),
                e.line(),
                e.column(),
                text.startsWith(prefix) ? text.substring(prefix.length()) : text));
        return null;
      }
      DataContract c = readContract(files.get(0));
      loaded.put(contractId, c);
      fileOf.put(contractId, files.get(0));
      return c;
    }

    /** Every place actually searched, in order. */
    private String searched() {
      List<String> places = new ArrayList<>();
      explicit.forEach(f -> places.add("file " + f));
      scanned.forEach(d -> places.add(Files.isDirectory(d) ? d.toString() : d + " (absent)"));
      if (scanned.isEmpty()) {
        places.add("the contracts shipped with the product");
      }
      sources.forEach(s -> places.add(s.describe()));
      return String.join(", ", places);
    }

    java.util.List<dev.meshwork.core.model.MissingContract> missing() {
      return List.copyOf(missing.values());
    }

    Map<String, DataContract> loaded() {
      return loaded;
    }
  }

  private static DataProduct product(YamlObject o, ContractIndex index) {
    if ("DataContract".equals(o.str("kind")) || o.has("dataContractSpecification")) {
      throw o.error(
          o.has("kind") ? "kind" : "dataContractSpecification",
          "This is a data contract, not a data product: load it with DataContract.load, or name"
              + " it from a port of the product (contractId).");
    }
    String apiVersion = o.requiredStr("apiVersion", "Use one of " + PRODUCT_API_VERSIONS + ".");
    if (!PRODUCT_API_VERSIONS.contains(apiVersion)) {
      throw o.error(
          "apiVersion",
          "apiVersion '"
              + apiVersion
              + "' is not a supported ODPS version; use one of "
              + PRODUCT_API_VERSIONS
              + ".");
    }
    String kind = o.requiredStr("kind", "A data product file has 'kind: DataProduct'.");
    if (!"DataProduct".equals(kind)) {
      throw o.error(
          "kind",
          "kind is '"
              + kind
              + "', but a product file must have 'kind: DataProduct'. Is this a contract file?");
    }
    String id = o.requiredStr("id", "Give the product a unique id, such as a UUID.");
    String status =
        o.requiredStr("status", "Use e.g. proposed, draft, active, deprecated or retired.");
    Map<String, DataContract> used = new LinkedHashMap<>();
    Map<String, String> inputVersions = new LinkedHashMap<>();
    List<InputPortSpec> inputs =
        o.list(
            "inputPorts",
            p -> {
              InputPortSpec spec = inputPort(p);
              // ODPS lists a port's versions as entries of one name; one entry per version.
              checkVersionOnce(p, "input", spec.name(), spec.version(), inputVersions);
              DataContract c = index.resolve(p, spec.name(), spec.contractId());
              if (c != null) {
                used.put(spec.contractId(), c);
              }
              return spec;
            });
    Map<String, String> outputVersions = new LinkedHashMap<>();
    Map<String, String> outputMajors = new LinkedHashMap<>();
    List<YamlObject> outputNodes = new ArrayList<>();
    List<OutputPortSpec> outputs =
        o.list(
            "outputPorts",
            p -> {
              OutputPortSpec spec = outputPort(p);
              outputNodes.add(p);
              checkOutputVersion(p, spec, outputVersions, outputMajors);
              if (spec.contractId() != null) {
                DataContract c = index.resolve(p, spec.name(), spec.contractId());
                if (c != null) {
                  used.put(spec.contractId(), c);
                }
              }
              return spec;
            });
    DataProduct product =
        new DataProduct(
            apiVersion,
            kind,
            id,
            o.str("name"),
            o.str("version"),
            status,
            o.str("domain"),
            o.str("tenant"),
            o.object("description", DescriptorReader::description),
            o.strings("tags"),
            o.list("authoritativeDefinitions", DescriptorReader::authoritativeDefinition),
            o.list("customProperties", DescriptorReader::customProperty),
            inputs,
            outputs,
            o.mapList("managementPorts"),
            o.mapList("support"),
            team(o),
            o.str("productCreatedTs"),
            o.rest(),
            used,
            index.missing(),
            o.file());
    Map<String, String> tables = new LinkedHashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      OutputPortSpec spec = outputs.get(i);
      String key = product.outputKey(spec);
      String described =
          key.equals(spec.name())
              ? "'" + key + "'"
              : "'" + spec.name() + "' version " + spec.version() + " (stored as " + key + ")";
      checkTableName(outputNodes.get(i), key, described, tables);
    }
    return product;
  }

  /**
   * ODPS lists a port's versions as entries of one name. An output port has one entry per major
   * version, each a table of its own; a version listed twice, or two of one major, is refused at
   * the duplicate's own version line.
   */
  private static void checkOutputVersion(
      YamlObject p, OutputPortSpec spec, Map<String, String> versions, Map<String, String> majors) {
    checkVersionOnce(p, "output", spec.name(), spec.version(), versions);
    String major = majorOf(spec.version());
    String earlier = majors.putIfAbsent(spec.name() + "@" + major, spec.version());
    if (earlier != null) {
      throw p.error(
          "version",
          p.childPath("version")
              + ": output port '"
              + spec.name()
              + "' lists versions "
              + earlier
              + " and "
              + spec.version()
              + (major.isEmpty()
                  ? "; entries of a port listed several times need semantic versions"
                      + " (1.0.0, 2.0.0) to tell their tables apart."
                  : " of one major version; an output port has one entry per major version (each"
                      + " major is a table of its own). Keep the current "
                      + major
                      + ".x entry."));
    }
  }

  /** Refuses a port entry whose version an earlier entry of the port has, at its version line. */
  private static void checkVersionOnce(
      YamlObject p, String kind, String name, String version, Map<String, String> seen) {
    String first = seen.putIfAbsent(name + "@" + version, p.childPath("version"));
    if (first != null) {
      throw p.error(
          "version",
          p.childPath("version")
              + ": "
              + kind
              + " port '"
              + name
              + "' version "
              + version
              + " is declared a second time (first as "
              + first
              + "); give each entry of a port its own version.");
    }
  }

  /** The major of a semantic version ("2" of "2.1.0"), or "" when it has none. */
  private static String majorOf(String version) {
    if (version == null) {
      return "";
    }
    String v = version.startsWith("v") ? version.substring(1) : version;
    String first = v.split("[.+-]")[0];
    return first.matches("\\d{1,18}") ? String.valueOf(Long.parseLong(first)) : "";
  }

  /**
   * Refuses an output port whose table would be one of Meshwork's own ({@code quality_metrics}, a
   * {@code <port>__quarantine}) or another port's (names that differ only in case or punctuation).
   */
  private static void checkTableName(
      YamlObject port, String name, String described, Map<String, String> tables) {
    String table =
        new dev.meshwork.spi.TableAddress(null, "product", name).conventionalName().get(2);
    String reserved = null;
    if (table.equals(dev.meshwork.spi.MetricsHistory.TABLE)) {
      reserved = "'" + table + "', the table of the product's quality metrics";
    } else if (table.endsWith(dev.meshwork.core.QuarantineColumns.TABLE_SUFFIX)) {
      reserved =
          "a name ending in '"
              + dev.meshwork.core.QuarantineColumns.TABLE_SUFFIX
              + "', the suffix of quarantine tables";
    }
    if (reserved != null) {
      throw port.error(
          "name",
          "Output port '"
              + name
              + "' would be stored as table '"
              + table
              + "', which is "
              + reserved
              + " and reserved by Meshwork; rename the port.");
    }
    String other = tables.putIfAbsent(table, described);
    if (other != null) {
      throw port.error(
          "name",
          "Output ports "
              + other
              + " and "
              + described
              + " would both be stored as table '"
              + table
              + "'; rename one of them.");
    }
  }

  private static InputPortSpec inputPort(YamlObject o) {
    return new InputPortSpec(
        o.requiredStr("name", "Every input port needs a name."),
        o.requiredStr("version", "Every input port needs a version, e.g. 1.0.0."),
        o.requiredStr("contractId", "An input port names the contract it expects by its id."),
        o.strings("tags"),
        o.list("customProperties", DescriptorReader::inputCustomProperty),
        o.list("authoritativeDefinitions", DescriptorReader::authoritativeDefinition),
        o.rest());
  }

  private static OutputPortSpec outputPort(YamlObject o) {
    return new OutputPortSpec(
        o.requiredStr("name", "Every output port needs a name."),
        o.str("description"),
        o.str("type"),
        o.requiredStr("version", "Every output port needs a version, e.g. 1.0.0."),
        o.str("contractId"),
        o.mapList("sbom"),
        o.mapList("inputContracts"),
        o.strings("tags"),
        o.list("customProperties", DescriptorReader::outputCustomProperty),
        o.list("authoritativeDefinitions", DescriptorReader::authoritativeDefinition),
        o.rest());
  }

  static DataContract contract(YamlObject o) {
    if ("DataProduct".equals(o.str("kind"))) {
      throw o.error(
          "kind",
          "This is a data product (kind: DataProduct), not a contract: load it with"
              + " DataProduct.load.");
    }
    if (o.has("dataContractSpecification")) {
      throw o.error(
          "dataContractSpecification",
          "This is a Data Contract Specification file (dataContractSpecification: "
              + o.str("dataContractSpecification")
              + "), not an ODCS v3 contract. Export it as ODCS (datacontract-cli: datacontract"
              + " export --format odcs FILE) or rewrite it with apiVersion: v3.1.0, kind:"
              + " DataContract and its models as schema objects.");
    }
    if (!o.has("apiVersion") && (o.has("datasetName") || o.has("dataset") || o.has("uuid"))) {
      throw o.error(
          o.has("datasetName") ? "datasetName" : o.has("dataset") ? "dataset" : "uuid",
          "This looks like an ODCS v2 contract (datasetName, dataset, uuid), which Meshwork does"
              + " not read. Convert it to v3: apiVersion: v3.1.0, kind: DataContract, id (was"
              + " uuid), and the table's columns as schema[].properties (was"
              + " dataset[].columns).");
    }
    String apiVersion = o.requiredStr("apiVersion", "Use one of " + CONTRACT_API_VERSIONS + ".");
    if (!CONTRACT_API_VERSIONS.contains(apiVersion)) {
      throw o.error(
          "apiVersion",
          "apiVersion '"
              + apiVersion
              + "' is not a supported ODCS version; use one of "
              + CONTRACT_API_VERSIONS
              + (apiVersion.startsWith("v2")
                  ? ". This is an ODCS v2 contract: convert it to v3 (apiVersion: v3.1.0; id"
                      + " instead of uuid; the table's columns as schema[].properties instead of"
                      + " dataset[].columns)."
                  : "."));
    }
    String kind = o.requiredStr("kind", "A contract file has 'kind: DataContract'.");
    if (!"DataContract".equals(kind)) {
      throw o.error(
          "kind", "kind is '" + kind + "', but a contract file must have 'kind: DataContract'.");
    }
    return new DataContract(
        apiVersion,
        kind,
        o.requiredStr("id", "Give the contract a unique id, such as a UUID."),
        o.str("name"),
        o.requiredStr("version", "Give the contract a version, e.g. 1.0.0."),
        o.requiredStr("status", "Use e.g. proposed, draft, active, deprecated or retired."),
        o.str("tenant"),
        o.str("domain"),
        o.str("dataProduct"),
        o.object("description", DescriptorReader::description),
        o.strings("tags"),
        o.list("schema", DescriptorReader::schemaObject),
        o.list("servers", DescriptorReader::server),
        team(o),
        o.list("roles", DescriptorReader::role),
        o.str("slaDefaultElement"),
        o.list("slaProperties", DescriptorReader::slaProperty),
        o.isSequence("support") ? o.mapList("support") : wrap(o.map("support")),
        o.map("price"),
        o.list("authoritativeDefinitions", DescriptorReader::authoritativeDefinition),
        o.list("customProperties", DescriptorReader::customProperty),
        o.str("contractCreatedTs"),
        o.rest(),
        o.file());
  }

  private static List<Map<String, Object>> wrap(Map<String, Object> map) {
    return map == null ? List.of() : List.of(map);
  }

  private static SchemaObject schemaObject(YamlObject o) {
    return new SchemaObject(
        o.str("id"),
        o.requiredStr("name", "Every schema object needs a name (the table name)."),
        o.str("physicalName"),
        o.str("physicalType"),
        o.str("description"),
        o.str("businessName"),
        o.str("logicalType"),
        o.str("dataGranularityDescription"),
        o.list("properties", DescriptorReader::schemaProperty),
        o.list("quality", DescriptorReader::qualityRule),
        o.mapList("relationships"),
        o.strings("tags"),
        o.list("authoritativeDefinitions", DescriptorReader::authoritativeDefinition),
        o.list("customProperties", DescriptorReader::customProperty),
        o.rest());
  }

  private static SchemaProperty schemaProperty(YamlObject o) {
    return schemaProperty(
        o, o.requiredStr("name", "Every schema property needs a name (the column name)."));
  }

  /** Array items describe elements, which have no name of their own. */
  private static SchemaProperty schemaItems(YamlObject o) {
    return schemaProperty(o, o.str("name"));
  }

  private static SchemaProperty schemaProperty(YamlObject o, String name) {
    String logical = o.str("logicalType");
    LogicalType logicalType = null;
    if (logical != null) {
      logicalType =
          LogicalType.parse(logical)
              .orElseThrow(
                  () ->
                      o.error(
                          "logicalType",
                          o.childPath("logicalType")
                              + " '"
                              + logical
                              + "' is not an ODCS logical type; use one of "
                              + Arrays.stream(LogicalType.values())
                                  .map(LogicalType::descriptorName)
                                  .collect(Collectors.joining(", "))
                              + "."));
    }
    return new SchemaProperty(
        o.str("id"),
        name,
        o.str("physicalName"),
        o.str("physicalType"),
        o.str("description"),
        o.str("businessName"),
        logicalType,
        o.map("logicalTypeOptions"),
        o.bool("required"),
        o.bool("unique"),
        o.bool("primaryKey"),
        o.integer("primaryKeyPosition", -1),
        o.bool("partitioned"),
        o.integer("partitionKeyPosition", -1),
        o.str("classification"),
        o.str("encryptedName"),
        o.bool("criticalDataElement"),
        o.strings("transformSourceObjects"),
        o.str("transformLogic"),
        o.str("transformDescription"),
        o.anyList("examples"),
        o.list("properties", DescriptorReader::schemaProperty),
        o.object("items", DescriptorReader::schemaItems),
        o.list("quality", DescriptorReader::qualityRule),
        o.mapList("relationships"),
        o.strings("tags"),
        o.list("authoritativeDefinitions", DescriptorReader::authoritativeDefinition),
        o.list("customProperties", DescriptorReader::customProperty),
        o.rest());
  }

  private static QualityRule qualityRule(YamlObject o) {
    Comparison comparison = null;
    for (String key : List.copyOf(o.keys())) {
      var op = Comparison.Operator.forKey(key);
      if (op.isEmpty()) {
        continue;
      }
      if (comparison != null) {
        // ODCS 3.0 allows several: the others are kept with the rest (and written back), and the
        // quality gate checks each of them.
        continue;
      }
      Object operand = o.any(key);
      boolean range =
          op.get() == Comparison.Operator.MUST_BE_BETWEEN
              || op.get() == Comparison.Operator.MUST_NOT_BE_BETWEEN;
      if (range
          && !(operand instanceof List<?> l
              && l.size() == 2
              && l.stream().allMatch(Number.class::isInstance))) {
        throw o.error(
            key,
            o.childPath(key) + " must be a list of two numbers, smallest first, e.g. [0, 100].");
      }
      if (!range
          && op.get() != Comparison.Operator.MUST_BE
          && op.get() != Comparison.Operator.MUST_NOT_BE
          && !(operand instanceof Number)) {
        throw o.error(key, o.childPath(key) + " must be a number, but is '" + operand + "'.");
      }
      comparison = new Comparison(op.get(), operand);
    }
    return new QualityRule(
        o.str("id"),
        o.str("name"),
        o.str("description"),
        o.str("type"),
        o.str("metric"),
        o.map("arguments"),
        comparison,
        o.str("unit"),
        o.str("severity"),
        o.str("dimension"),
        o.str("businessImpact"),
        o.str("method"),
        o.str("schedule"),
        o.str("scheduler"),
        o.str("query"),
        o.str("engine"),
        o.any("implementation"),
        o.strings("tags"),
        o.list("authoritativeDefinitions", DescriptorReader::authoritativeDefinition),
        o.list("customProperties", DescriptorReader::customProperty),
        o.rest());
  }

  private static Server server(YamlObject o) {
    return new Server(
        o.str("id"),
        o.str("server"),
        o.str("type"),
        o.str("description"),
        o.str("environment"),
        o.list("roles", DescriptorReader::role),
        o.list("customProperties", DescriptorReader::customProperty),
        o.rest());
  }

  private static Role role(YamlObject o) {
    return new Role(
        o.str("id"),
        o.requiredStr("role", "Every role needs a role name."),
        o.str("description"),
        o.str("access"),
        o.str("firstLevelApprovers"),
        o.str("secondLevelApprovers"),
        o.list("customProperties", DescriptorReader::customProperty),
        o.rest());
  }

  private static SlaProperty slaProperty(YamlObject o) {
    return new SlaProperty(
        o.str("id"),
        o.requiredStr("property", "Every SLA property names what it measures, e.g. latency."),
        o.any("value"),
        o.any("valueExt"),
        o.str("unit"),
        o.str("element"),
        o.str("driver"),
        o.str("description"),
        o.str("scheduler"),
        o.str("schedule"),
        o.rest());
  }

  private static Team team(YamlObject o) {
    if (!o.has("team")) {
      o.valueNode("team");
      return null;
    }
    if (o.isSequence("team")) {
      List<TeamMember> members = o.list("team", DescriptorReader::teamMember);
      return new Team(null, null, null, members, List.of(), List.of(), List.of(), Map.of(), true);
    }
    return o.object(
        "team",
        t ->
            new Team(
                t.str("id"),
                t.str("name"),
                t.str("description"),
                t.list("members", DescriptorReader::teamMember),
                t.strings("tags"),
                t.list("customProperties", DescriptorReader::customProperty),
                t.list("authoritativeDefinitions", DescriptorReader::authoritativeDefinition),
                t.rest(),
                false));
  }

  private static TeamMember teamMember(YamlObject o) {
    return new TeamMember(
        o.str("id"),
        o.str("username"),
        o.str("name"),
        o.str("description"),
        o.str("role"),
        o.str("dateIn"),
        o.str("dateOut"),
        o.str("replacedByUsername"),
        o.strings("tags"),
        o.list("customProperties", DescriptorReader::customProperty),
        o.list("authoritativeDefinitions", DescriptorReader::authoritativeDefinition),
        o.rest());
  }

  private static Description description(YamlObject o) {
    return new Description(
        o.str("purpose"),
        o.str("limitations"),
        o.str("usage"),
        o.list("authoritativeDefinitions", DescriptorReader::authoritativeDefinition),
        o.list("customProperties", DescriptorReader::customProperty),
        o.rest());
  }

  private static AuthoritativeDefinition authoritativeDefinition(YamlObject o) {
    return new AuthoritativeDefinition(o.str("type"), o.str("url"), o.str("description"), o.rest());
  }

  /** A custom property of an input port; its read mode ({@code read}) is checked here. */
  private static CustomProperty inputCustomProperty(YamlObject o) {
    return checked(o, dev.meshwork.core.InputRead.PROPERTY, dev.meshwork.core.InputRead::parse);
  }

  /** A custom property of an output port; its write mode ({@code writeMode}) is checked here. */
  private static CustomProperty outputCustomProperty(YamlObject o) {
    return checked(o, dev.meshwork.core.WriteMode.PROPERTY, dev.meshwork.core.WriteMode::parse);
  }

  /** A custom property whose value, when it is {@code property}, {@code parse} must accept. */
  private static CustomProperty checked(
      YamlObject o, String property, java.util.function.Function<String, ?> parse) {
    CustomProperty p = customProperty(o);
    if (property.equals(p.property())) {
      try {
        parse.apply(p.value() == null ? null : String.valueOf(p.value()));
      } catch (IllegalArgumentException e) {
        throw o.error("value", o.path() + ": " + e.getMessage() + ".");
      }
    }
    return p;
  }

  private static CustomProperty customProperty(YamlObject o) {
    String id = o.str("id");
    // ODCS 3.0 and ODPS do not require 'property' and 'value' (ODCS 3.1 does: strict loads say so).
    String property = o.str("property");
    Object value = o.any("value");
    String description = o.str("description");
    Map<String, Object> rest = o.rest();
    if (!rest.isEmpty()) {
      throw o.error(
          rest.keySet().iterator().next(),
          o.path()
              + " has unexpected fields "
              + rest.keySet()
              + "; a custom property has only id, property, value and description.");
    }
    return new CustomProperty(id, property, value, description);
  }
}
