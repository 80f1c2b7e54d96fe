package dev.meshwork.spi;

import dev.meshwork.core.Principal;
import dev.meshwork.core.model.DataProduct;
import java.time.Instant;
import java.util.List;

/**
 * A stage of a run, as run listeners (lineage) see it: what was read at which version, what was
 * published at which version, and the error for failed runs.
 */
public record RunEvent(
    Type type,
    Instant time,
    String runId,
    DataProduct product,
    Principal principal,
    List<InputInfo> inputs,
    List<OutputInfo> outputs,
    Throwable error) {

  /** Copies the lists. */
  public RunEvent {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** The stage. */
  public enum Type {
    START,
    COMPLETE,
    FAIL,
    ABORT
  }

  /** An input port as read: the upstream table and the version pinned for the run. */
  public record InputInfo(String port, String contractId, TableInfo table, Long version) {}

  /** An output port as published (version null when not published). */
  public record OutputInfo(
      String port,
      String contractId,
      TableInfo table,
      Long version,
      long rows,
      long files,
      long bytes) {}
}
