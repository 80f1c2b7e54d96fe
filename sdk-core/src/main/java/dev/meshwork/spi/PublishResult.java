package dev.meshwork.spi;

/**
 * The outcome of a publish: the table version that holds the run's data, with the rows, files and
 * bytes that version added and the rows and files it removed (an overwrite, upsert or delete; -1
 * when the store cannot tell), for a rerun those of the earlier publish.
 */
public record PublishResult(
    String table,
    long version,
    Outcome outcome,
    long rows,
    long files,
    long bytes,
    long removedRows,
    long removedFiles) {

  /** The outcome of an append, which removes nothing. */
  public PublishResult(
      String table, long version, Outcome outcome, long rows, long files, long bytes) {
    this(table, version, outcome, rows, files, bytes, 0, 0);
  }

  /** Whether this publish created the version or found it from an earlier try of the same run. */
  public enum Outcome {
    PUBLISHED,
    ALREADY_PUBLISHED
  }
}
