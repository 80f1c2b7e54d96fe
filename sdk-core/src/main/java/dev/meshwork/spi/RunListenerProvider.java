package dev.meshwork.spi;

/**
 * Discovered with {@link java.util.ServiceLoader} when a mesh is built without listeners: supplies
 * the zero-configuration listener of an adapter (the lineage module's JSON-lines emitter).
 */
public interface RunListenerProvider {

  /** The default listener of this provider. */
  RunListener defaultListener();
}
