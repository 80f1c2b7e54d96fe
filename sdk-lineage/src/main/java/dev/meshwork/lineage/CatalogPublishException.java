package dev.meshwork.lineage;

import dev.meshwork.core.MeshworkException;

/** A catalog refused or did not answer a publish call; names the call and the status. */
public class CatalogPublishException extends MeshworkException {
  private static final long serialVersionUID = 1L;

  /** A failed call. */
  public CatalogPublishException(String message) {
    super(message);
  }

  /** A failed call with its cause. */
  public CatalogPublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
