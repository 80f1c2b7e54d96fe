package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.OutputPort;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.write.StructShape;

/**
 * An output port of a run: its contract and table, the {@link PortWriter} that stages its values
 * and the quality session that decides at commit.
 */
final class OutputPortImpl<T> implements OutputPort<T> {
  private final String name;
  private final DataContract contract;
  private final SchemaObject schemaObject;
  private final Schema schema;
  private final OutputTable table;
  private final QualityGate.Session gate;
  private final PortWriter<T> writer;
  private final dev.meshwork.core.WriteMode mode;
  private long quarantinedElsewhere;
  private GateVerdict verdict;

  OutputPortImpl(
      String name,
      DataContract contract,
      SchemaObject schemaObject,
      Schema schema,
      OutputTable table,
      QualityGate.Session gate,
      PortWriter<T> writer,
      dev.meshwork.core.WriteMode mode) {
    this.name = name;
    this.contract = contract;
    this.schemaObject = schemaObject;
    this.schema = schema;
    this.table = table;
    this.gate = gate;
    this.writer = writer;
    this.mode = mode;
  }

  /** How the port's rows change its table when published. */
  dev.meshwork.core.WriteMode mode() {
    return mode;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String table() {
    return table.info().identifier();
  }

  /** The summary of the version readers see now (empty before the first publish). */
  java.util.Map<String, String> publishedSummary() {
    return table.headSummary("main");
  }

  @Override
  public void write(T value) {
    writer.write(value);
  }

  /** See {@link PortWriter#writeBatch}. */
  boolean writeBatch(dev.meshwork.spi.write.RowBatch<T> rows) {
    return writer.writeBatch(rows);
  }

  @Override
  public long rows() {
    return writer.rows();
  }

  /** Values diverted to quarantine, here and by parts written elsewhere. */
  long quarantined() {
    return writer.quarantined() + quarantinedElsewhere;
  }

  /** Counts values that parts written elsewhere diverted. */
  void quarantinedElsewhere(long rows) {
    quarantinedElsewhere += rows;
  }

  StructShape<T> shape() {
    return writer.shape();
  }

  DataContract contract() {
    return contract;
  }

  OutputTable outputTable() {
    return table;
  }

  StagedFiles finish() {
    return writer.finish();
  }

  SchemaObject schemaObject() {
    return schemaObject;
  }

  Schema schema() {
    return schema;
  }

  /** The quality session, or null without checks. */
  QualityGate.Session session() {
    return gate;
  }

  /** Evaluates the gate once; later calls return the same verdict. */
  GateVerdict verdict() {
    if (verdict == null) {
      verdict = gate == null ? GateVerdict.passed() : gate.verdict();
    }
    return verdict;
  }

  /** The write-audit-publish audit of the gate, or null. */
  QualityGate.Audit audit() {
    return gate == null ? null : gate.audit();
  }

  /** The verdict, or null when the gate has not run. */
  GateVerdict lastVerdict() {
    return verdict;
  }

  void abort() {
    writer.abort();
  }
}
