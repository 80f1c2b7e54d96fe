package dev.meshwork.core;

/**
 * A publish may or may not have succeeded; Meshwork cleaned nothing up. Check the table's snapshots
 * for the run id before rerunning (a rerun with the same run id is safe: it does not append twice).
 */
public class CommitStateUnknownException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** An unknown commit outcome. */
  public CommitStateUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
