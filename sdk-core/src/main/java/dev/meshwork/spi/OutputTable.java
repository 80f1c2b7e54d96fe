package dev.meshwork.spi;

/** An output port's table, opened by a store for one run. */
public interface OutputTable {

  /** The table's name and location. */
  TableInfo info();

  /** A writer that stages files for values of the given shape. */
  <T> StagedWriter<T> newWriter(StructShape<T> shape, String runId);

  /**
   * Commits staged files as one version. Known failures clean the staged files and throw {@code
   * StoreException}; an unknown outcome throws {@code CommitStateUnknownException} and deletes
   * nothing. A version already published by the same run id is returned instead of appending twice.
   */
  PublishResult publish(PublishRequest request);

  /** Deletes staged files that will not be published. */
  void discard(StagedFiles files);
}
