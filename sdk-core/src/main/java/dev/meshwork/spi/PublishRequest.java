package dev.meshwork.spi;

import java.util.List;
import java.util.Map;

/**
 * Publishes staged files as one new table version. {@code summary} is recorded with the version
 * (product, run and contract ids, consumed inputs) and {@code runId} makes reruns idempotent; a
 * version that carries the rows of several runs (the metrics of runs kept together) names the
 * others in {@code carriedRuns}, and is published only if none of them was. {@code mode} says how
 * the files change the table (a store is handed a mode other than append only when it implements
 * {@link RowLevelWrites} and lists the mode there).
 */
public record PublishRequest(
    String runId,
    StagedFiles files,
    Map<String, String> summary,
    OnFailure onFailure,
    List<String> carriedRuns,
    dev.meshwork.core.WriteMode mode) {

  /** What a publish that fails with a known outcome does with the staged files. */
  public enum OnFailure {
    /** Deletes them: nothing else refers to them (the default). */
    DELETE_FILES,
    /** Keeps them: the caller still owns them (a streaming job's checkpoint retries the commit). */
    KEEP_FILES
  }

  /** Copies the summary and the carried runs. */
  public PublishRequest {
    summary = Map.copyOf(summary);
    java.util.Objects.requireNonNull(onFailure, "onFailure");
    carriedRuns = List.copyOf(carriedRuns);
    java.util.Objects.requireNonNull(mode, "mode");
  }

  /** An append of several runs' rows. */
  public PublishRequest(
      String runId,
      StagedFiles files,
      Map<String, String> summary,
      OnFailure onFailure,
      List<String> carriedRuns) {
    this(runId, files, summary, onFailure, carriedRuns, dev.meshwork.core.WriteMode.append());
  }

  /** This request with another write mode. */
  public PublishRequest withMode(dev.meshwork.core.WriteMode other) {
    return new PublishRequest(runId, files, summary, onFailure, carriedRuns, other);
  }

  /** A request for one run's version. */
  public PublishRequest(
      String runId, StagedFiles files, Map<String, String> summary, OnFailure onFailure) {
    this(runId, files, summary, onFailure, List.of());
  }

  /** {@code runId} and then the carried runs: every run the version publishes. */
  public List<String> runIds() {
    List<String> all = new java.util.ArrayList<>(carriedRuns.size() + 1);
    all.add(runId);
    all.addAll(carriedRuns);
    return List.copyOf(all);
  }

  /** A request whose files are deleted when the publish fails. */
  public PublishRequest(String runId, StagedFiles files, Map<String, String> summary) {
    this(runId, files, summary, OnFailure.DELETE_FILES);
  }
}
