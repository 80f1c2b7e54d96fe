package dev.meshwork.core;

/**
 * Writes one attempt of one part of a run's output port, in a task: values go through the same
 * encoder and quality checks as an {@link OutputPort}'s, and {@link #finish()} gives the {@link
 * StagedPart} to send to the coordinator. Nothing is visible until the coordinator commits; closing
 * a writer that was not finished deletes what it wrote.
 */
public interface PartWriter<T> extends AutoCloseable {

  /** Checks and encodes one value (or diverts it to the port's quarantine table). */
  void write(T value);

  /** Values written to the port so far (quarantined ones not included). */
  long rows();

  /** Closes the files and returns what this attempt staged; the writer takes no more values. */
  StagedPart finish();

  /** Deletes what was written when not finished; does nothing otherwise. */
  @Override
  void close();
}
