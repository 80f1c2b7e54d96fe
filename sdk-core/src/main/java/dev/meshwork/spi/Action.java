package dev.meshwork.spi;

/** The enforcement points where a policy engine decides. */
public enum Action {
  /** Start a product run. */
  RUN,
  /** Open an input port. */
  READ,
  /** Open an output port. */
  WRITE,
  /** Publish outputs at commit. */
  PUBLISH,
  /** Erase a data subject's rows from an output port's table ({@code Mesh.erase}). */
  ERASE
}
