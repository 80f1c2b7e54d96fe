package dev.meshwork.spi;

import dev.meshwork.core.Settings;

/**
 * Discovered with {@link java.util.ServiceLoader} when no store is configured: supplies the
 * zero-configuration default store.
 */
public interface TableStoreProvider {

  /** The default store of this provider, configured by the mesh's settings. */
  TableStore defaultStore(Settings settings);
}
