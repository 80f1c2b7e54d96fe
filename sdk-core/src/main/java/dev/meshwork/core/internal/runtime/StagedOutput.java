package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.schema.Schema;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.StagedFiles;
import java.util.Map;

/**
 * Where writing meets publishing: one table's staged files with the summary to publish them with,
 * the quality verdict that allowed them (null for quarantine tables), the audit to pass first
 * (null: publish directly), the rows diverted to quarantine and the mode to publish in.
 */
record StagedOutput(
    String port,
    OutputTable table,
    Schema schema,
    StagedFiles files,
    Map<String, String> summary,
    GateVerdict verdict,
    QualityGate.Audit audit,
    long quarantined,
    dev.meshwork.core.WriteMode mode) {

  /** Copies the summary. */
  StagedOutput {
    summary = Map.copyOf(summary);
  }

  /** What a writer staged, before the run describes it. */
  static StagedOutput of(
      String port, OutputTable table, Schema schema, StagedFiles files, long quarantined) {
    return new StagedOutput(
        port,
        table,
        schema,
        files,
        Map.of(),
        null,
        null,
        quarantined,
        dev.meshwork.core.WriteMode.append());
  }

  /** The same files, to publish in {@code other}. */
  StagedOutput inMode(dev.meshwork.core.WriteMode other) {
    return new StagedOutput(
        port, table, schema, files, summary, verdict, audit, quarantined, other);
  }

  /** The same files with the summary to publish them with, the verdict and the audit. */
  StagedOutput describedBy(
      Map<String, String> withSummary, GateVerdict withVerdict, QualityGate.Audit withAudit) {
    return new StagedOutput(
        port, table, schema, files, withSummary, withVerdict, withAudit, quarantined, mode);
  }
}
