package dev.meshwork.core;

import java.util.Optional;
import java.util.UUID;

/**
 * Options of one run: its id (give the id of a failed run to rerun it idempotently) and the purpose
 * the consumer declares for its reads.
 */
public final class RunOptions {
  private final String runId;
  private final String purpose;

  private RunOptions(Builder b) {
    this.runId = b.runId;
    this.purpose = b.purpose;
  }

  /** Options with defaults: a fresh random run id, no declared purpose. */
  public static RunOptions defaults() {
    return builder().build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The run id, when one was given. */
  public Optional<String> runId() {
    return Optional.ofNullable(runId);
  }

  /** The declared purpose of reads, if any. */
  public Optional<String> purpose() {
    return Optional.ofNullable(purpose);
  }

  /** Builds {@link RunOptions}. */
  public static final class Builder {
    private String runId;
    private String purpose;

    private Builder() {}

    /** Uses this run id; it must be a UUID, as OpenLineage requires. */
    public Builder runId(String id) {
      try {
        UUID.fromString(id);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("runId must be a UUID, but was '" + id + "'");
      }
      this.runId = id;
      return this;
    }

    /** Declares the purpose of this run's reads (for purpose-bound policies). */
    public Builder purpose(String declaredPurpose) {
      this.purpose = declaredPurpose;
      return this;
    }

    /** The options. */
    public RunOptions build() {
      return new RunOptions(this);
    }
  }
}
