package dev.meshwork.spi;

import java.util.List;

/**
 * Data files written but not yet published: invisible to readers until a publish commits them.
 * Serializable, so a task can send the files it staged to the coordinator that publishes them.
 */
public interface StagedFiles extends java.io.Serializable {

  /** The file locations. */
  List<String> locations();

  /** Rows in the files. */
  long rows();

  /** Total size in bytes. */
  long bytes();
}
