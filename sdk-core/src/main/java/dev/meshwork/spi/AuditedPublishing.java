package dev.meshwork.spi;

import dev.meshwork.spi.write.StructShape;
import java.util.stream.Stream;

/**
 * An {@link OutputTable} that publishes by write-audit-publish: it commits to an audit branch that
 * readers of main do not see, and moves main to it only once the audit passed. A run checks for it
 * when a port that needs an audit opens, so a store without it fails before anything is written.
 */
public interface AuditedPublishing {

  /**
   * Commits staged files as one version on an audit branch, invisible to readers of main. Returns
   * ALREADY_PUBLISHED, without a branch, when main already holds the run's version.
   */
  PublishResult publishToBranch(PublishRequest request, String branch);

  /**
   * Makes main show the audit branch's version, then removes the branch. Returns ALREADY_PUBLISHED,
   * with the version that won, when another attempt of the run published first: then the branch is
   * removed and those of {@code files} that version does not reference are deleted.
   */
  PublishResult promote(String branch, StagedFiles files);

  /** Removes an audit branch whose version will not be published, and deletes its files. */
  void dropBranch(String branch, StagedFiles files);

  /** The rows at the head of a branch, row-level deletes applied; close the stream. */
  <T> Stream<T> readBranch(String branch, StructShape<T> shape);
}
