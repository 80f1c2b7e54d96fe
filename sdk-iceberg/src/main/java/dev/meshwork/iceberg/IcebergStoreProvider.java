package dev.meshwork.iceberg;

import dev.meshwork.spi.TableStore;
import dev.meshwork.spi.TableStoreProvider;
import java.nio.file.Path;

/**
 * Supplies the zero-configuration store: {@link StoreConfig#fromEnvironment} over the JVM's system
 * properties and environment — by default the embedded warehouse {@code ./warehouse}; {@code
 * -Dmeshwork.warehouse=s3://bucket/prefix} with the {@code meshwork.s3.*} settings puts it on
 * object storage.
 */
public final class IcebergStoreProvider implements TableStoreProvider {

  /**
   * The local folder of the default store: its warehouse, or {@code ./warehouse} (for side files)
   * when the warehouse is on object storage.
   */
  public static Path defaultWarehouse() {
    return dev.meshwork.spi.LocalFolder.get();
  }

  @Override
  public TableStore defaultStore() {
    java.util.Map<String, String> props = new java.util.LinkedHashMap<>();
    System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
    return IcebergStore.open(StoreConfig.fromEnvironment(props, System.getenv()));
  }
}
