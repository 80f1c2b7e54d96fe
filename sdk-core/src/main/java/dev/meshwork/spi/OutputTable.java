package dev.meshwork.spi;

import dev.meshwork.spi.write.StructShape;

/**
 * An output port's table, opened by a store for one run. What a store can do beyond appending is
 * declared by the capabilities its tables implement besides: {@link RowLevelWrites}, {@link
 * AuditedPublishing} and {@link PartedWrites}.
 */
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

  /** The summary of the version at the head of a branch ({@code main} included), empty if none. */
  default java.util.Map<String, String> headSummary(String branch) {
    return java.util.Map.of();
  }
}
