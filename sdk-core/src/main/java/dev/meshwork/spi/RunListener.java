package dev.meshwork.spi;

/**
 * Told about each stage of every run (lineage emitters implement this). Must not block: a listener
 * that talks to a backend hands events to its own thread. Exceptions are logged and do not fail the
 * run, unless the listener says {@link #failsRunOnError()}.
 */
public interface RunListener extends AutoCloseable {

  /** Called for START, COMPLETE, FAIL and ABORT. */
  void onEvent(RunEvent event);

  /**
   * Whether an exception from this listener fails the run (the call that emitted the event throws).
   * Off by default; a catalog that must know every publish turns it on.
   */
  default boolean failsRunOnError() {
    return false;
  }

  /** Flushes and releases resources. */
  @Override
  default void close() {}
}
