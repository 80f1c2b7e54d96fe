package dev.meshwork.core;

/** A run or port was used in a state that does not allow the call (for example after commit). */
public class RunStateException extends MeshworkException {
  private static final long serialVersionUID = 1L;

  /** A state error. */
  public RunStateException(String message) {
    super(message);
  }
}
