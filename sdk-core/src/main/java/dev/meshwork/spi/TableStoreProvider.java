package dev.meshwork.spi;

/**
 * Discovered with {@link java.util.ServiceLoader} when no store is configured: supplies the
 * zero-configuration default store.
 */
public interface TableStoreProvider {

  /** The default store of this provider. */
  TableStore defaultStore();
}
