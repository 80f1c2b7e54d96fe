package dev.meshwork.iceberg;

import dev.meshwork.core.Settings;
import dev.meshwork.spi.TableStore;
import dev.meshwork.spi.TableStoreProvider;

/**
 * Supplies the zero-configuration store: {@link StoreConfig#from(Settings)} over the mesh's
 * settings — by default the embedded warehouse {@code ./warehouse}; {@code
 * meshwork.warehouse=s3://bucket/prefix} with the {@code meshwork.s3.*} settings puts it on object
 * storage.
 */
public final class IcebergStoreProvider implements TableStoreProvider {

  @Override
  public TableStore defaultStore(Settings settings) {
    return IcebergStore.open(StoreConfig.from(settings));
  }
}
