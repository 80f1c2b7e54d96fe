package dev.meshwork.core;

import java.util.Objects;
import java.util.UUID;

/**
 * The run that started this one (an orchestrator task, a Spark application), as OpenLineage's
 * parent facet names it: job namespace, job name and run id.
 */
public record ParentRun(String namespace, String jobName, String runId) {

  /** Validates that every part is present and the run id is a UUID. */
  public ParentRun {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(jobName, "jobName");
    try {
      UUID.fromString(runId);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("parent runId must be a UUID, but was '" + runId + "'");
    }
  }

  /**
   * Parses {@code namespace/jobName/runId}, the form orchestrators pass (for example Airflow's
   * {@code lineage_parent_id} macro); the job name may contain slashes.
   */
  public static ParentRun parse(String id) {
    int first = id == null ? -1 : id.indexOf('/');
    int last = id == null ? -1 : id.lastIndexOf('/');
    if (first <= 0 || last <= first) {
      throw new IllegalArgumentException(
          "parent id must look like namespace/jobName/runId, but was '" + id + "'");
    }
    return new ParentRun(
        id.substring(0, first), id.substring(first + 1, last), id.substring(last + 1));
  }
}
