package dev.meshwork.spi;

import dev.meshwork.core.Change;
import dev.meshwork.core.InputRead;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.spi.write.StructShape;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** An input port's upstream table, opened by a store for one run. */
public interface InputTable {

  /** The table's name and location. */
  TableInfo info();

  /** The table's current schema. */
  Schema schema();

  /** The current version, or empty when nothing was published yet. */
  OptionalLong currentVersion();

  /**
   * Reads the table at one version (empty: the table has no data yet) as values of a shape. The
   * stream must be closed.
   */
  default <T> Stream<T> read(StructShape<T> shape, OptionalLong version) {
    return read(shape, Scan.at(version));
  }

  /** Reads what {@code scan} covers as values of a shape; close the stream. */
  <T> Stream<T> read(StructShape<T> shape, Scan scan);

  /**
   * Reads what {@code scan} covers that matches {@code where} (whose columns are the table's, not
   * necessarily the shape's), skipping what the table's statistics rule out; empty when this store
   * cannot filter, and the caller filters the rows it reads. Close the stream.
   */
  default <T> java.util.Optional<Stream<T>> read(
      StructShape<T> shape, Scan scan, dev.meshwork.core.Filter where) {
    return java.util.Optional.empty();
  }

  /**
   * The version a time-travel read selects: a snapshot, the version current at a time, the head of
   * a branch or tag, or the version an upstream run published ({@link InputRead.Latest} and {@link
   * InputRead.Incremental} are the caller's). Errors name the table and the nearest versions.
   */
  default long resolve(InputRead read) {
    throw new UnsupportedOperationException(
        info().identifier() + " cannot be read at older versions");
  }

  /**
   * What was appended after version {@code after} up to version {@code version}, checked: a version
   * between them that overwrote or deleted rows, or a start that is not an ancestor of {@code
   * version} (expired, rolled back), throws {@code StoreException} naming it; rewrites that change
   * no rows (compaction) are skipped and listed.
   */
  default Range appended(long after, long version) {
    throw new UnsupportedOperationException(info().identifier() + " cannot be read incrementally");
  }

  /**
   * What changed after version {@code after} up to version {@code version}: as {@link #appended},
   * but versions that overwrote or deleted rows are part of the range (listed as changes) instead
   * of an error.
   */
  default Range changed(long after, long version) {
    throw new UnsupportedOperationException(
        info().identifier() + " cannot be read as a change set");
  }

  /**
   * What a read covers: how many rows, data files and bytes it reads (-1: unknown). A change set
   * reads the files its versions removed as well as those they added.
   */
  record Volume(long rows, long files, long bytes) {
    /** What a store that cannot tell reports. */
    public static final Volume UNKNOWN = new Volume(-1, -1, -1);

    /** Nothing to read. */
    public static final Volume NONE = new Volume(0, 0, 0);
  }

  /**
   * The versions a range covers: appends, versions that changed rows (overwrites and deletes, only
   * in a change set), skipped rewrites, what it reads and how many rows the changes removed.
   */
  record Range(
      java.util.List<Long> appends,
      java.util.List<Long> changes,
      java.util.List<Long> skippedRewrites,
      Volume read,
      long removedRows) {
    /** Copies the lists. */
    public Range {
      appends = java.util.List.copyOf(appends);
      changes = java.util.List.copyOf(changes);
      skippedRewrites = java.util.List.copyOf(skippedRewrites);
      java.util.Objects.requireNonNull(read, "read");
    }
  }

  /** What reading the table at {@code version} reads (nothing when empty), from its metadata. */
  default Volume volume(OptionalLong version) {
    return version.isEmpty() ? Volume.NONE : Volume.UNKNOWN;
  }

  /**
   * The changes in {@code scan} as values of a shape, in version order: for a whole version, every
   * row as added; for a range, what each version added and removed (see {@link #changed}). Close
   * the stream.
   */
  default <T> Stream<Change<T>> changes(StructShape<T> shape, Scan scan) {
    if (scan.incremental()) {
      throw new UnsupportedOperationException(
          info().identifier() + " cannot be read as a change set");
    }
    long version = scan.version().isPresent() ? scan.version().getAsLong() : -1;
    return read(shape, scan).map(row -> new Change<>(Change.Kind.ADDED, row, version));
  }

  /**
   * The summary of the latest version a Meshwork run published (skipping maintenance versions,
   * whose summary carries it on), empty when none.
   */
  default java.util.Map<String, String> publishedSummary() {
    return java.util.Map.of();
  }

  /** The summary of the version run {@code runId} published, if it is known and not expired. */
  default java.util.Optional<java.util.Map<String, String>> publishedSummary(String runId) {
    return java.util.Optional.empty();
  }

  /**
   * Whether run {@code runId} published a version of this table, also one whose summary expired;
   * false when it is not known.
   */
  default boolean hasPublished(String runId) {
    return publishedSummary(runId).isPresent();
  }

  /**
   * What {@code scan} covers cut into at most {@code count} serializable shares of about equal size
   * for tasks elsewhere (empty when the version is empty).
   */
  default java.util.List<ReadSplit> splits(Scan scan, int count) {
    throw new UnsupportedOperationException(
        info().identifier() + " cannot be read in splits by tasks elsewhere");
  }
}
