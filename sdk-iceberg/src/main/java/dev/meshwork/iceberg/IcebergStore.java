package dev.meshwork.iceberg;

import dev.meshwork.core.StoreException;
import dev.meshwork.iceberg.internal.IcebergTables;
import dev.meshwork.spi.InputSpec;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.OutputSpec;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.TableStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * A table store on Apache Iceberg: output ports are Iceberg v2 tables of Parquet files, named
 * {@code <domain>.<product>.<port>}, readable by any Iceberg engine.
 */
public final class IcebergStore implements TableStore {
  /** The catalog name every engine sharing an embedded catalog must use. */
  public static final String CATALOG_NAME = "meshwork";

  private final Catalog catalog;
  private final String description;
  private final IcebergTables tables;

  private IcebergStore(Catalog catalog, String description) {
    this.catalog = catalog;
    this.description = description;
    this.tables = new IcebergTables(catalog, description);
  }

  /**
   * The embedded default: an Iceberg JDBC catalog in the SQLite file {@code <warehouse>/catalog.db}
   * and table data under {@code <warehouse>/}. Creates the folder when missing.
   */
  public static IcebergStore embedded(Path warehouse) {
    Path dir = warehouse.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException(
          "Cannot create the warehouse folder "
              + dir
              + ": "
              + e.getMessage()
              + ". Choose a writable path.",
          new UncheckedIOException(e));
    }
    Map<String, String> props = new LinkedHashMap<>();
    props.put(CatalogProperties.URI, "jdbc:sqlite:" + dir.resolve("catalog.db"));
    props.put(CatalogProperties.WAREHOUSE_LOCATION, dir.toUri().toString());
    props.put("jdbc.schema-version", "V1");
    // SQLite allows one writer at a time; writers wait instead of failing at once.
    props.put("jdbc.busy_timeout", "30000");
    props.put("jdbc.journal_mode", "WAL");
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.setConf(new Configuration());
    try {
      catalog.initialize(CATALOG_NAME, props);
    } catch (RuntimeException e) {
      throw new StoreException(
          "Cannot open the embedded catalog " + dir.resolve("catalog.db") + ": " + e.getMessage(),
          e);
    }
    return new IcebergStore(
        catalog, "embedded Iceberg warehouse at " + dir + " (SQLite catalog catalog.db)");
  }

  /** A store on an already configured Iceberg catalog (REST, JDBC, Hive, …). */
  public static IcebergStore of(Catalog catalog) {
    return new IcebergStore(catalog, "Iceberg catalog '" + catalog.name() + "'");
  }

  /** The underlying catalog, for engines and tests. */
  public Catalog catalog() {
    return catalog;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public OutputTable openOutput(OutputSpec spec) {
    return tables.openOutput(spec);
  }

  @Override
  public InputTable openInput(InputSpec spec) {
    return tables.openInput(spec);
  }

  @Override
  public java.util.Optional<InputTable> openExisting(dev.meshwork.spi.TableAddress address) {
    return tables.openExisting(address);
  }

  @Override
  public void close() {
    if (catalog instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new StoreException("Cannot close " + description + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
