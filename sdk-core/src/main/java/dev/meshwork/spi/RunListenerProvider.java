package dev.meshwork.spi;

import dev.meshwork.core.Settings;

/**
 * Discovered with {@link java.util.ServiceLoader} when a mesh discovers listeners: supplies the
 * zero-configuration listener of an adapter (the lineage module's JSON-lines emitter).
 */
public interface RunListenerProvider {

  /** The default listener of this provider, configured by the mesh's settings. */
  RunListener defaultListener(Settings settings);
}
