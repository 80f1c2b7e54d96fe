package dev.meshwork.spi;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.schema.Schema;
import java.util.Set;

/**
 * The output port a quality gate checks: product, contract, schema object and table schema, the
 * metrics of the port's earlier runs (for anomaly checks) and the run's input data (for referential
 * checks).
 */
public record GateContext(
    String runId,
    DataProduct product,
    String port,
    DataContract contract,
    SchemaObject schemaObject,
    Schema schema,
    MetricsHistory history,
    ReferenceData references) {

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
        (p, c) -> Set.of());
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
