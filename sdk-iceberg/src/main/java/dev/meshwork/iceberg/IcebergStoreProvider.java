package dev.meshwork.iceberg;

import dev.meshwork.spi.TableStore;
import dev.meshwork.spi.TableStoreProvider;
import java.nio.file.Path;

/**
 * Supplies the zero-configuration store: the embedded warehouse at system property {@code
 * meshwork.warehouse}, else environment variable {@code MESHWORK_WAREHOUSE}, else {@code
 * ./warehouse}.
 */
public final class IcebergStoreProvider implements TableStoreProvider {

  /** The warehouse folder the default store uses. */
  public static Path defaultWarehouse() {
    String configured = System.getProperty("meshwork.warehouse");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("MESHWORK_WAREHOUSE");
    }
    return Path.of(configured == null || configured.isBlank() ? "warehouse" : configured);
  }

  @Override
  public TableStore defaultStore() {
    return IcebergStore.embedded(defaultWarehouse());
  }
}
