package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.OutputPort;
import dev.meshwork.core.RunStateException;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.StagedWriter;
import dev.meshwork.spi.write.StructShape;
import java.util.function.Consumer;

/** An output port: stages values through the store's writer and feeds the quality gate. */
final class OutputPortImpl<T> implements OutputPort<T> {
  private final String name;
  private final DataContract contract;
  private final SchemaObject schemaObject;
  private final Schema schema;
  private final OutputTable table;
  private final StructShape<T> shape;
  private final String runId;
  private final QualityGate.Session gate;
  private final Consumer<RuntimeException> onFailure;
  private final QuarantineSink quarantine;
  private long quarantined;
  private StagedWriter<T> writer;
  private boolean finished;
  private GateVerdict verdict;

  OutputPortImpl(
      String name,
      DataContract contract,
      SchemaObject schemaObject,
      Schema schema,
      OutputTable table,
      StructShape<T> shape,
      String runId,
      QualityGate.Session gate,
      Consumer<RuntimeException> onFailure,
      QuarantineSink quarantine) {
    this.name = name;
    this.contract = contract;
    this.schemaObject = schemaObject;
    this.schema = schema;
    this.table = table;
    this.shape = shape;
    this.runId = runId;
    this.gate = gate;
    this.onFailure = onFailure;
    this.quarantine = quarantine;
  }

  /** Receives rows a quality rule diverted, with the rejection that diverted them. */
  interface QuarantineSink {
    /** Stages one diverted row. */
    <T> void divert(StructShape<T> shape, T value, QualityGate.Rejection why);
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
    if (finished) {
      throw new RunStateException(
          "Cannot write to output port '"
              + name
              + "': the run was committed or closed. Start a new run.");
    }
    if (value == null) {
      throw fail(
          new dev.meshwork.core.ContractViolationException(
              "Cannot write a null value to output port '" + name + "'."));
    }
    try {
      if (writer == null) {
        writer = table.newWriter(shape, runId);
        if (gate != null) {
          // Checks the store runs on the pages it encodes need not read every row here.
          java.util.List<dev.meshwork.spi.write.ColumnCheck> offered = gate.columnChecks(shape);
          if (!offered.isEmpty()) {
            java.util.Set<dev.meshwork.spi.write.ColumnCheck> taken = writer.attach(offered);
            if (!taken.isEmpty()) {
              gate.checkedByStore(taken);
            }
          }
        }
      }
      QualityGate.Rejection rejected = gate == null ? null : gate.observe(shape, value);
      if (rejected != null) {
        quarantine.divert(shape, value, rejected);
        quarantined++;
        return;
      }
      writer.write(value);
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  /**
   * Writes a batch a column at a time when nothing needs its rows one by one (no quality gate) and
   * the store can; returns false, having written nothing, when the rows must go through {@link
   * #write} instead.
   */
  boolean writeBatch(dev.meshwork.spi.write.RowBatch<T> rows) {
    if (finished || gate != null) {
      return false;
    }
    try {
      if (writer == null) {
        writer = table.newWriter(shape, runId);
      }
      return writer.writeBatch(rows);
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  private RuntimeException fail(RuntimeException e) {
    onFailure.accept(e);
    return e;
  }

  @Override
  public long rows() {
    return writer == null ? 0 : writer.rows();
  }

  /** Values diverted to quarantine. */
  long quarantined() {
    return quarantined;
  }

  StructShape<T> shape() {
    return shape;
  }

  DataContract contract() {
    return contract;
  }

  OutputTable outputTable() {
    return table;
  }

  StagedFiles finish() {
    finished = true;
    if (writer == null) {
      writer = table.newWriter(shape, runId);
    }
    return writer.finish();
  }

  SchemaObject schemaObject() {
    return schemaObject;
  }

  Schema schema() {
    return schema;
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
    finished = true;
    if (writer != null) {
      writer.abort();
    }
  }
}
