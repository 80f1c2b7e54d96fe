package dev.meshwork.core;

/** The table store failed to read, write or publish; the message names the table and the fix. */
public class StoreException extends MeshworkException {
  private static final long serialVersionUID = 1L;

  /** A store failure. */
  public StoreException(String message) {
    super(message);
  }

  /** A store failure with its cause. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
