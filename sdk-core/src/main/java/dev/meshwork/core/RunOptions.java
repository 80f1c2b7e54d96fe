package dev.meshwork.core;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Options of one run: its id (give the id of a failed run to rerun it idempotently), the purpose
 * the consumer declares for its reads, the nominal time it processes, and the run that started it.
 */
public final class RunOptions {
  private final String runId;
  private final String purpose;
  private final Instant nominalTime;
  private final ParentRun parent;
  private final Engine engine;
  private final OnFailure onFailure;
  private final java.util.Map<String, InputRead> reads;

  /** The longest run id accepted. */
  public static final int MAX_RUN_ID_LENGTH = 250;

  /**
   * The UUID OpenLineage knows run {@code runId} by: the id itself when it is a UUID, else one
   * derived from its text (name-based, so every attempt of the run gets the same).
   */
  public static String uuidOf(String runId) {
    try {
      return UUID.fromString(runId).toString().equals(runId.toLowerCase(java.util.Locale.ROOT))
          ? runId
          : nameBased(runId);
    } catch (IllegalArgumentException e) {
      return nameBased(runId);
    }
  }

  private static String nameBased(String runId) {
    return UUID.nameUUIDFromBytes(
            ("meshwork-run:" + runId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  /** What a failed or aborted run does with the parts tasks staged for it. */
  public enum OnFailure {
    /** Deletes them, and every file of the run's part attempts (the default: a batch job). */
    DELETE_PARTS,
    /**
     * Keeps them: a streaming job's checkpoint still refers to them and retries the commit after a
     * restore. Files no version references are deleted only after a successful commit.
     */
    KEEP_PARTS
  }

  /** The engine a run executes in (Spark, Flink), as lineage names it; the default is Meshwork. */
  public record Engine(String name, String version) {
    /** Requires both. */
    public Engine {
      java.util.Objects.requireNonNull(name, "name");
      java.util.Objects.requireNonNull(version, "version");
    }
  }

  private RunOptions(Builder b) {
    this.engine = b.engine;
    this.onFailure = b.onFailure;
    this.reads = java.util.Map.copyOf(b.reads);
    this.runId = b.runId;
    this.purpose = b.purpose;
    this.nominalTime = b.nominalTime;
    this.parent = b.parent;
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

  /** The time the run's data is for (a batch's day), if given. */
  public Optional<Instant> nominalTime() {
    return Optional.ofNullable(nominalTime);
  }

  /** The run that started this one, if given. */
  public Optional<ParentRun> parent() {
    return Optional.ofNullable(parent);
  }

  /** The processing engine the run executes in, when it is not Meshwork alone. */
  public Optional<Engine> engine() {
    return Optional.ofNullable(engine);
  }

  /** What a failed or aborted run does with the parts staged for it. */
  public OnFailure onFailure() {
    return onFailure;
  }

  /** How the run reads input port {@code port}, when chosen here rather than in the descriptor. */
  public Optional<InputRead> read(String port) {
    return Optional.ofNullable(reads.get(port));
  }

  /** Builds {@link RunOptions}. */
  public static final class Builder {
    private Engine engine;
    private OnFailure onFailure = OnFailure.DELETE_PARTS;
    private String runId;
    private String purpose;
    private Instant nominalTime;
    private ParentRun parent;
    private final java.util.Map<String, InputRead> reads = new java.util.LinkedHashMap<>();

    private Builder() {}

    /**
     * Reads input port {@code port} this way (incrementally, or at an older version), overriding
     * the port's {@code read} property in the descriptor.
     */
    public Builder read(String port, InputRead read) {
      reads.put(
          java.util.Objects.requireNonNull(port, "port"),
          java.util.Objects.requireNonNull(read, "read"));
      return this;
    }

    /**
     * Uses this run id: give the id of an earlier attempt to rerun it idempotently. Any non-blank
     * text of at most {@value #MAX_RUN_ID_LENGTH} characters, such as an orchestrator's own ({@code
     * scheduled__2026-11-22T00:00:00+00:00}); OpenLineage knows the run by {@link #uuidOf(String)}.
     */
    public Builder runId(String id) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException(
            "runId must be a non-blank text, but was " + (id == null ? "null" : "'" + id + "'"));
      }
      if (id.length() > MAX_RUN_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            "runId must be at most "
                + MAX_RUN_ID_LENGTH
                + " characters without control characters, but was '"
                + id.replaceAll("\\p{Cntrl}", "?")
                + "'");
      }
      this.runId = id;
      return this;
    }

    /** Declares the purpose of this run's reads (for purpose-bound policies). */
    public Builder purpose(String declaredPurpose) {
      this.purpose = declaredPurpose;
      return this;
    }

    /** The time the run's data is for, such as the start of the batch's day. */
    public Builder nominalTime(Instant time) {
      this.nominalTime = time;
      return this;
    }

    /** The engine the run executes in, such as Spark and its version (lineage names it). */
    public Builder engine(String name, String version) {
      this.engine = new Engine(name, version);
      return this;
    }

    /** What a failed or aborted run does with the parts staged for it (default: delete them). */
    public Builder onFailure(OnFailure parts) {
      this.onFailure = java.util.Objects.requireNonNull(parts, "parts");
      return this;
    }

    /** The run that started this one (lineage links the two). */
    public Builder parent(ParentRun parentRun) {
      this.parent = parentRun;
      return this;
    }

    /** The options. */
    public RunOptions build() {
      return new RunOptions(this);
    }
  }
}
