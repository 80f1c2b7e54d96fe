package dev.meshwork.core;

/** A policy engine denied an action; the message carries the decision's reasons. */
public class PolicyDeniedException extends MeshworkException {
  private static final long serialVersionUID = 1L;

  /** A denial with its reasons in the message. */
  public PolicyDeniedException(String message) {
    super(message);
  }
}
