package dev.meshwork.spi;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.schema.Schema;
import java.util.Set;

/**
 * The output port a quality gate checks: product, contract, schema object and table schema, the
 * metrics of the port's earlier runs (for anomaly checks), the run's input data (for referential
 * checks) and the mode the output is published in (rules about the whole table judge the resulting
 * version when the mode replaces or removes rows).
 */
public record GateContext(
    String runId,
    DataProduct product,
    String port,
    DataContract contract,
    SchemaObject schemaObject,
    Schema schema,
    MetricsHistory history,
    ReferenceData references,
    dev.meshwork.core.WriteMode mode) {

  /** Defaults a missing mode to append. */
  public GateContext {
    mode = mode == null ? dev.meshwork.core.WriteMode.append() : mode;
  }

  /** A context of an appended output. */
  public GateContext(
      String runId,
      DataProduct product,
      String port,
      DataContract contract,
      SchemaObject schemaObject,
      Schema schema,
      MetricsHistory history,
      ReferenceData references) {
    this(runId, product, port, contract, schemaObject, schema, history, references, null);
  }

  /** A context without history or reference data. */
  public GateContext(
      String runId,
      DataProduct product,
      String port,
      DataContract contract,
      SchemaObject schemaObject,
      Schema schema) {
    this(
        runId,
        product,
        port,
        contract,
        schemaObject,
        schema,
        MetricsHistory.empty(),
        (p, c) -> Set.of(),
        null);
  }

  /** The values of a column of one of the run's input ports, read at the run's pinned version. */
  @FunctionalInterface
  public interface ReferenceData {
    /**
     * Distinct values (numbers as Double, everything else as text) of {@code column} of {@code
     * inputPort}.
     */
    Set<Object> values(String inputPort, String column);
  }
}
