package dev.meshwork.spi;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.schema.Schema;

/**
 * The output port a quality gate checks: product, contract, schema object and table schema, and the
 * metrics of the port's earlier runs (for anomaly checks).
 */
public record GateContext(
    String runId,
    DataProduct product,
    String port,
    DataContract contract,
    SchemaObject schemaObject,
    Schema schema,
    MetricsHistory history) {

  /** A context without history. */
  public GateContext(
      String runId,
      DataProduct product,
      String port,
      DataContract contract,
      SchemaObject schemaObject,
      Schema schema) {
    this(runId, product, port, contract, schemaObject, schema, MetricsHistory.empty());
  }
}
