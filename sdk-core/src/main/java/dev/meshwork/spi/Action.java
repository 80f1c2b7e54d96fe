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
  PUBLISH
}
