package dev.meshwork.policy;

import dev.meshwork.core.MeshworkException;

/** A policy file is malformed or invalid; names the file, line and column and the fix. */
public class PolicyException extends MeshworkException {
  private static final long serialVersionUID = 1L;

  /** A policy error. */
  public PolicyException(String message) {
    super(message);
  }

  /** A policy error with its cause. */
  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
