package dev.meshwork.core;

/** The root of every exception Meshwork throws; messages say what failed and how to fix it. */
public class MeshworkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public MeshworkException(String message) {
    super(message);
  }

  /** An exception with a message and its cause. */
  public MeshworkException(String message, Throwable cause) {
    super(message, cause);
  }
}
