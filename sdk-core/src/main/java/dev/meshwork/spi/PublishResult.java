package dev.meshwork.spi;

/** The outcome of a publish: the table version that holds the run's data. */
public record PublishResult(String table, long version, Outcome outcome) {

  /** Whether this publish created the version or found it from an earlier try of the same run. */
  public enum Outcome {
    PUBLISHED,
    ALREADY_PUBLISHED
  }
}
