package dev.meshwork.spi;

import dev.meshwork.spi.write.StructShape;

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

  /** A handle through which tasks elsewhere stage parts of this output (see {@link PartTarget}). */
  default PartTarget partTarget() {
    throw new UnsupportedOperationException(
        info().identifier() + " cannot be written in parts by tasks elsewhere");
  }

  /**
   * Deletes every file that part writers staged for this run and that no version references:
   * attempts that failed, were killed or never reached the coordinator. Deletes nothing it cannot
   * prove unreferenced; a store that cannot list its files does nothing.
   */
  default void discardParts(String runId) {}

  /** The staged files of several parts as one set, to publish as one version. */
  default StagedFiles combine(java.util.List<StagedFiles> parts) {
    throw new UnsupportedOperationException(
        info().identifier() + " cannot publish parts written elsewhere");
  }

  /**
   * Commits staged files as one version on an audit branch, invisible to readers of main
   * (write-audit-publish). Returns ALREADY_PUBLISHED, without a branch, when main already holds the
   * run's version.
   */
  default PublishResult publishToBranch(PublishRequest request, String branch) {
    throw new UnsupportedOperationException(
        info().identifier() + " does not support write-audit-publish");
  }

  /**
   * Makes main show the audit branch's version, then removes the branch. Returns ALREADY_PUBLISHED,
   * with the version that won, when another attempt of the run published first: then the branch is
   * removed and those of {@code files} that version does not reference are deleted.
   */
  default PublishResult promote(String branch, StagedFiles files) {
    throw new UnsupportedOperationException(
        info().identifier() + " does not support write-audit-publish");
  }

  /** Removes an audit branch whose version will not be published, and deletes its files. */
  default void dropBranch(String branch, StagedFiles files) {
    throw new UnsupportedOperationException(
        info().identifier() + " does not support write-audit-publish");
  }

  /** The summary of the version at the head of a branch ({@code main} included), empty if none. */
  default java.util.Map<String, String> headSummary(String branch) {
    return java.util.Map.of();
  }

  /** The rows at the head of a branch; close the stream. */
  default <T> java.util.stream.Stream<T> readBranch(String branch, StructShape<T> shape) {
    return java.util.stream.Stream.empty();
  }
}
