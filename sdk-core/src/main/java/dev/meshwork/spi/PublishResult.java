package dev.meshwork.spi;

/**
 * The outcome of a publish: the table version that holds the run's data, with the rows, files and
 * bytes that version added (for a rerun, those of the earlier publish).
 */
public record PublishResult(
    String table, long version, Outcome outcome, long rows, long files, long bytes) {

  /** Whether this publish created the version or found it from an earlier try of the same run. */
  public enum Outcome {
    PUBLISHED,
    ALREADY_PUBLISHED
  }
}
