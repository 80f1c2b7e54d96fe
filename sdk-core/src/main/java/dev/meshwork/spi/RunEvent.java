package dev.meshwork.spi;

import dev.meshwork.core.Principal;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.schema.Schema;
import java.time.Instant;
import java.util.List;

/**
 * A stage of a run, as run listeners (lineage) see it: what was read at which version, what was
 * published at which version with which quality verdict, the policy decisions taken, and the error
 * of a failed run.
 */
public record RunEvent(
    Type type,
    Instant time,
    String runId,
    DataProduct product,
    Principal principal,
    RunOptions options,
    List<InputInfo> inputs,
    List<OutputInfo> outputs,
    List<PolicyOutcome> decisions,
    Throwable error) {

  /** Copies the lists. */
  public RunEvent {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    decisions = List.copyOf(decisions);
  }

  /** The stage. */
  public enum Type {
    START,
    /**
     * Work under way: the rows each output port has taken so far, at most one a second per run,
     * while rows are written in this process. Lineage backends do not hear of it.
     */
    PROGRESS,
    COMPLETE,
    FAIL,
    ABORT
  }

  /**
   * An input port as read: its contract, the upstream table and schema, the pinned version, the
   * version after which an incremental read started (null: the whole version), and what reading the
   * version or range reads (rows, data files, bytes; -1 when the store cannot tell), and how the
   * version was chosen ({@link dev.meshwork.core.InputRead}).
   */
  public record InputInfo(
      String port,
      DataContract contract,
      TableInfo table,
      Schema schema,
      Long version,
      Long after,
      InputTable.Volume volume,
      String read) {

    /** The rows read (-1: unknown). */
    public long rows() {
      return volume.rows();
    }
  }

  /**
   * An output port: its contract and the contract's schema object, table and schema, the version
   * published (null when not published), what the publish added, the quality verdict (null before
   * the gate ran), the write mode and the rows the publish removed (-1: unknown).
   */
  public record OutputInfo(
      String port,
      DataContract contract,
      SchemaObject schemaObject,
      TableInfo table,
      Schema schema,
      Long version,
      long rows,
      long files,
      long bytes,
      GateVerdict verdict,
      dev.meshwork.core.WriteMode mode,
      long removedRows) {}

  /** A policy decision taken during the run. */
  public record PolicyOutcome(
      Action action, String port, boolean allowed, List<String> reasons, String engine) {

    /** Copies the reasons. */
    public PolicyOutcome {
      reasons = List.copyOf(reasons);
    }
  }
}
