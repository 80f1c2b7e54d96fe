package dev.meshwork.core;

/**
 * A publish that would replace or remove rows met a concurrent writer's change to those rows (or
 * their partition) since the port opened: nothing was published, so neither writer's rows were
 * lost. Rerun to compute from the table as it is now.
 */
public class WriteConflictException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** A conflict, with the store's own report as the cause. */
  public WriteConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
