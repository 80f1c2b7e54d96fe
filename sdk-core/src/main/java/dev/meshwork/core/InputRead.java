package dev.meshwork.core;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which rows of an upstream table an input port reads in a run: the current version (the default),
 * only what was appended since this product's last published run ({@link #incremental()}), or an
 * older version (time travel). Chosen per port with {@link RunOptions.Builder#read(String,
 * InputRead)} or, for the first three modes, with the input port's custom property {@code read}
 * ({@code latest}, {@code incremental} or {@code changes}) in the product descriptor. A rerun with
 * the id of a run that published already reads what that run read, whatever is chosen here.
 */
public sealed interface InputRead
    permits InputRead.Latest,
        InputRead.Incremental,
        InputRead.Changes,
        InputRead.Snapshot,
        InputRead.AsOf,
        InputRead.Ref,
        InputRead.PublishedBy {

  /** The custom property of an input port that chooses its mode in the descriptor. */
  String PROPERTY = "read";

  /** The whole table at its current version. */
  static InputRead latest() {
    return new Latest();
  }

  /**
   * Only the versions appended after the one this product's last published run consumed; the first
   * run reads the whole table. Compaction rewrites (Iceberg {@code replace} snapshots) are skipped;
   * a version that overwrote or deleted rows stops the run with an error naming it and the options.
   */
  static InputRead incremental() {
    return new Incremental(OptionalLong.empty());
  }

  /**
   * Only the versions appended after snapshot {@code snapshotId}, whatever the product consumed
   * before: to continue past a version an incremental read refused, or to re-read from a point.
   */
  static InputRead appendedAfter(long snapshotId) {
    return new Incremental(OptionalLong.of(snapshotId));
  }

  /**
   * What changed after the version this product's last published run consumed, as a change set:
   * appended rows, and the rows that overwrites and deletes upstream (corrections, restatements,
   * erasures) added and removed, read with {@link InputPort#changes()}. The first run reads the
   * whole table as added rows; compaction rewrites are skipped.
   */
  static InputRead changes() {
    return new Changes(OptionalLong.empty());
  }

  /** The change set after snapshot {@code snapshotId}, whatever the product consumed before. */
  static InputRead changesAfter(long snapshotId) {
    return new Changes(OptionalLong.of(snapshotId));
  }

  /** The table as of snapshot {@code snapshotId}. */
  static InputRead snapshot(long snapshotId) {
    return new Snapshot(snapshotId);
  }

  /** The table as it was at {@code time}: the version current then. */
  static InputRead asOf(Instant time) {
    return new AsOf(Objects.requireNonNull(time, "time"));
  }

  /** The table at the head of a branch or a tag. */
  static InputRead ref(String branchOrTag) {
    return new Ref(Objects.requireNonNull(branchOrTag, "branchOrTag"));
  }

  /** The table at the version the upstream run {@code runId} published. */
  static InputRead publishedBy(String runId) {
    return new PublishedBy(Objects.requireNonNull(runId, "runId"));
  }

  /**
   * The mode a descriptor names ({@code latest}, {@code incremental} or {@code changes}, any case).
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  static InputRead parse(String mode) {
    String m = mode == null ? "" : mode.trim().toLowerCase(java.util.Locale.ROOT);
    return switch (m) {
      case "latest" -> latest();
      case "incremental" -> incremental();
      case "changes" -> changes();
      default ->
          throw new IllegalArgumentException(
              "read must be 'latest', 'incremental' or 'changes', but was '" + mode + "'");
    };
  }

  /** The whole current version. */
  record Latest() implements InputRead {
    @Override
    public String toString() {
      return "latest";
    }
  }

  /** Appends after a start: the product's last consumed version when {@code after} is empty. */
  record Incremental(OptionalLong after) implements InputRead {
    /** Requires {@code after}. */
    public Incremental {
      Objects.requireNonNull(after, "after");
    }

    @Override
    public String toString() {
      return after.isEmpty() ? "incremental" : "appended after " + after.getAsLong();
    }
  }

  /**
   * The change set after a start: the product's last consumed version when {@code after} is empty.
   */
  record Changes(OptionalLong after) implements InputRead {
    /** Requires {@code after}. */
    public Changes {
      Objects.requireNonNull(after, "after");
    }

    @Override
    public String toString() {
      return after.isEmpty() ? "changes" : "changes after " + after.getAsLong();
    }
  }

  /** A snapshot by id. */
  record Snapshot(long snapshotId) implements InputRead {
    @Override
    public String toString() {
      return "snapshot " + snapshotId;
    }
  }

  /** The version current at a time. */
  record AsOf(Instant time) implements InputRead {
    @Override
    public String toString() {
      return "as of " + time;
    }
  }

  /** The head of a branch or tag. */
  record Ref(String name) implements InputRead {
    @Override
    public String toString() {
      return "ref '" + name + "'";
    }
  }

  /** The version an upstream run published. */
  record PublishedBy(String runId) implements InputRead {
    @Override
    public String toString() {
      return "published by run " + runId;
    }
  }
}
