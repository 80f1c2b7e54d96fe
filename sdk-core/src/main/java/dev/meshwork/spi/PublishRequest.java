package dev.meshwork.spi;

import java.util.Map;

/**
 * Publishes staged files as one new table version. {@code summary} is recorded with the version
 * (product, run and contract ids, consumed inputs) and {@code runId} makes reruns idempotent.
 */
public record PublishRequest(
    String runId, StagedFiles files, Map<String, String> summary, OnFailure onFailure) {

  /** What a publish that fails with a known outcome does with the staged files. */
  public enum OnFailure {
    /** Deletes them: nothing else refers to them (the default). */
    DELETE_FILES,
    /** Keeps them: the caller still owns them (a streaming job's checkpoint retries the commit). */
    KEEP_FILES
  }

  /** Copies the summary. */
  public PublishRequest {
    summary = Map.copyOf(summary);
    java.util.Objects.requireNonNull(onFailure, "onFailure");
  }

  /** A request whose files are deleted when the publish fails. */
  public PublishRequest(String runId, StagedFiles files, Map<String, String> summary) {
    this(runId, files, summary, OnFailure.DELETE_FILES);
  }
}
