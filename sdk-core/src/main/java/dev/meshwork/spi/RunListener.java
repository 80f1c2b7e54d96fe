package dev.meshwork.spi;

/**
 * Told about each stage of every run (lineage emitters implement this). Must not block: a listener
 * that talks to a backend hands events to its own thread. Exceptions are logged, never fail a run.
 */
public interface RunListener extends AutoCloseable {

  /** Called for START, COMPLETE, FAIL and ABORT. */
  void onEvent(RunEvent event);

  /** Flushes and releases resources. */
  @Override
  default void close() {}
}
