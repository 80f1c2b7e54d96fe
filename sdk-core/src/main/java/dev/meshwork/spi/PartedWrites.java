package dev.meshwork.spi;

import java.util.List;

/**
 * An {@link OutputTable} whose output tasks elsewhere (Spark or Flink tasks) may stage in parts,
 * published by the coordinator as one version. A run checks for it when it hands a port out in
 * parts.
 */
public interface PartedWrites {

  /** A handle through which tasks elsewhere stage parts of this output (see {@link PartTarget}). */
  PartTarget partTarget();

  /** The staged files of several parts as one set, to publish as one version. */
  StagedFiles combine(List<StagedFiles> parts);

  /**
   * Deletes every file that part writers staged for this run and that no version references:
   * attempts that failed, were killed or never reached the coordinator. Deletes nothing it cannot
   * prove unreferenced; a store that cannot list its files does nothing.
   */
  void discardParts(String runId);
}
