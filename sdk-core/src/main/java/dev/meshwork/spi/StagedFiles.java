package dev.meshwork.spi;

import java.util.List;

/** Data files written but not yet published: invisible to readers until a publish commits them. */
public interface StagedFiles {

  /** The file locations. */
  List<String> locations();

  /** Rows in the files. */
  long rows();

  /** Total size in bytes. */
  long bytes();
}
