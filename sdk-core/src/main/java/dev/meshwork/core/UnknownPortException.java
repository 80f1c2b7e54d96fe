package dev.meshwork.core;

/** A port name matches no port of the data product; the message lists the known ones. */
public class UnknownPortException extends MeshworkException {
  private static final long serialVersionUID = 1L;

  /** An unknown port error. */
  public UnknownPortException(String message) {
    super(message);
  }
}
