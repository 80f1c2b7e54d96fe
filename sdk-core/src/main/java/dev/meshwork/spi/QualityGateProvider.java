package dev.meshwork.spi;

import dev.meshwork.core.Settings;

/**
 * Discovered with {@link java.util.ServiceLoader} when a mesh is built without a quality gate:
 * supplies the zero-configuration gate (the quality module's, which runs the contracts' rules).
 */
public interface QualityGateProvider {

  /** The default gate of this provider, configured by the mesh's settings. */
  QualityGate defaultGate(Settings settings);
}
