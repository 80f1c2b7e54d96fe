package dev.meshwork.spi;

/**
 * Discovered with {@link java.util.ServiceLoader} when a mesh is built without a quality gate:
 * supplies the zero-configuration gate (the quality module's, which runs the contracts' rules).
 */
public interface QualityGateProvider {

  /** The default gate of this provider. */
  QualityGate defaultGate();
}
