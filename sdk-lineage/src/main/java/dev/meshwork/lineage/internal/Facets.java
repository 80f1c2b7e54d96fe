package dev.meshwork.lineage.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.openlineage.client.OpenLineage;
import java.net.URI;
import java.util.List;

/** Facets the standard lacks (Meshwork's own, each with a shipped JSON schema) and wrappers. */
public final class Facets {
  /** Where Meshwork's facet schemas are published; the same files ship in this module. */
  public static final String SCHEMA_BASE = "https://meshwork.dev/spec/facets/1-0-0/";

  /** The JSON schema resource of a custom facet, inside this module's jar. */
  public static String schemaResource(String facetName) {
    return "/dev/meshwork/lineage/facets/" + facetName + ".json";
  }

  private Facets() {}

  /** The data contract a dataset is published under: id, version, status and a content hash. */
  public static final class DataContractDatasetFacet extends OpenLineage.DefaultDatasetFacet {
    static final URI SCHEMA =
        URI.create(SCHEMA_BASE + "DataContractDatasetFacet.json#/$defs/DataContractDatasetFacet");

    private final String contractId;
    private final String version;
    private final String apiVersion;
    private final String status;
    private final String sha256;

    DataContractDatasetFacet(
        URI producer,
        String contractId,
        String version,
        String apiVersion,
        String status,
        String sha256) {
      super(producer, null);
      this.contractId = contractId;
      this.version = version;
      this.apiVersion = apiVersion;
      this.status = status;
      this.sha256 = sha256;
    }

    @Override
    public URI get_schemaURL() {
      return SCHEMA;
    }

    /** The contract id. */
    @JsonProperty("contractId")
    public String getContractId() {
      return contractId;
    }

    /** The contract version. */
    @JsonProperty("version")
    public String getVersion() {
      return version;
    }

    /** The ODCS version of the contract. */
    @JsonProperty("apiVersion")
    public String getApiVersion() {
      return apiVersion;
    }

    /** The contract status. */
    @JsonProperty("status")
    public String getStatus() {
      return status;
    }

    /** SHA-256 of the contract as Meshwork writes it, so consumers can tell versions apart. */
    @JsonProperty("sha256")
    public String getSha256() {
      return sha256;
    }
  }

  /** The run id the pipeline gave (an orchestrator's text), which the event's UUID derives from. */
  public static final class RunIdRunFacet extends OpenLineage.DefaultRunFacet {
    static final URI SCHEMA = URI.create(SCHEMA_BASE + "RunIdRunFacet.json#/$defs/RunIdRunFacet");

    private final String runId;

    RunIdRunFacet(URI producer, String runId) {
      super(producer);
      this.runId = runId;
    }

    @Override
    public URI get_schemaURL() {
      return SCHEMA;
    }

    /** The run id as the pipeline gave it. */
    @JsonProperty("runId")
    public String getRunId() {
      return runId;
    }
  }

  /** How a publish changed an output beyond appending: its write mode and the rows it removed. */
  public static final class WriteOutputDatasetFacet extends OpenLineage.DefaultOutputDatasetFacet {
    static final URI SCHEMA =
        URI.create(SCHEMA_BASE + "WriteOutputDatasetFacet.json#/$defs/WriteOutputDatasetFacet");

    private final String mode;
    private final String description;
    private final Long removedRows;

    WriteOutputDatasetFacet(
        URI producer, dev.meshwork.core.WriteMode.Kind mode, String description, long removed) {
      super(producer);
      this.mode = mode.name();
      this.description = description;
      this.removedRows = removed < 0 ? null : removed;
    }

    @Override
    public URI get_schemaURL() {
      return SCHEMA;
    }

    /** The mode: OVERWRITE, REPLACE_PARTITIONS, UPSERT or DELETE. */
    @JsonProperty("mode")
    public String getMode() {
      return mode;
    }

    /** The mode with its filter or key, as the run was told. */
    @JsonProperty("description")
    public String getDescription() {
      return description;
    }

    /** The rows the version removed (replaced or deleted); absent when the store cannot tell. */
    @JsonProperty("removedRows")
    @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public Long getRemovedRows() {
      return removedRows;
    }
  }

  /** How a run chose the version of an input it read, and the range of an incremental read. */
  public static final class ReadInputDatasetFacet extends OpenLineage.DefaultInputDatasetFacet {
    static final URI SCHEMA =
        URI.create(SCHEMA_BASE + "ReadInputDatasetFacet.json#/$defs/ReadInputDatasetFacet");

    private final String read;
    private final String version;
    private final String afterVersion;

    ReadInputDatasetFacet(URI producer, String read, Long version, Long afterVersion) {
      super(producer);
      this.read = read;
      this.version = version == null ? null : version.toString();
      this.afterVersion = afterVersion == null ? null : afterVersion.toString();
    }

    @Override
    public URI get_schemaURL() {
      return SCHEMA;
    }

    /** How the version was chosen. */
    @JsonProperty("read")
    public String getRead() {
      return read;
    }

    /** The version read or read up to; null before the input's first version. */
    @JsonProperty("version")
    @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public String getVersion() {
      return version;
    }

    /** Where an incremental read started; null for a whole version. */
    @JsonProperty("afterVersion")
    @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public String getAfterVersion() {
      return afterVersion;
    }
  }

  /** The policy decisions a run took: action, port, outcome, reasons and deciding engine. */
  public static final class PolicyDecisionsRunFacet extends OpenLineage.DefaultRunFacet {
    static final URI SCHEMA =
        URI.create(SCHEMA_BASE + "PolicyDecisionsRunFacet.json#/$defs/PolicyDecisionsRunFacet");

    private final List<Decision> decisions;

    PolicyDecisionsRunFacet(URI producer, List<Decision> decisions) {
      super(producer);
      this.decisions = List.copyOf(decisions);
    }

    @Override
    public URI get_schemaURL() {
      return SCHEMA;
    }

    /** The decisions, in the order they were taken. */
    @JsonProperty("decisions")
    public List<Decision> getDecisions() {
      return decisions;
    }

    /** One decision. */
    public record Decision(
        @JsonProperty("action") String action,
        @JsonProperty("port") String port,
        @JsonProperty("allowed") boolean allowed,
        @JsonProperty("reasons") List<String> reasons,
        @JsonProperty("engine") String engine) {}
  }

  /**
   * The standard {@code dataQualityAssertions} facet on an output dataset: the Java client types it
   * as an input facet only, so outputs carry it through this wrapper with the standard schema URL.
   */
  public static final class OutputAssertionsFacet extends OpenLineage.DefaultDatasetFacet {
    static final URI SCHEMA =
        URI.create(
            "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet");

    private final List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions;

    OutputAssertionsFacet(
        URI producer, List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions) {
      super(producer, null);
      this.assertions = List.copyOf(assertions);
    }

    @Override
    public URI get_schemaURL() {
      return SCHEMA;
    }

    /** The checked assertions. */
    @JsonProperty("assertions")
    public List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> getAssertions() {
      return assertions;
    }
  }
}
