package dev.meshwork.spi;

import java.util.Map;

/**
 * Publishes staged files as one new table version. {@code summary} is recorded with the version
 * (product, run and contract ids, consumed inputs) and {@code runId} makes reruns idempotent.
 */
public record PublishRequest(String runId, StagedFiles files, Map<String, String> summary) {

  /** Copies the summary. */
  public PublishRequest {
    summary = Map.copyOf(summary);
  }
}
