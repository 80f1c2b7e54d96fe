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
    JdbcCatalog catalog =
        jdbcCatalog(
            "jdbc:sqlite:" + dir.resolve("catalog.db"),
            dir.toUri().toString(),
            Map.of(),
            new Configuration());
    return new IcebergStore(
        catalog, "embedded Iceberg warehouse at " + dir + " (SQLite catalog catalog.db)");
  }

  /**
   * A store as configured: a local folder as {@link #embedded}, or an S3 warehouse through
   * Iceberg's S3FileIO with the catalog in {@code meshwork.catalog.uri} (default: the SQLite file
   * {@code ./warehouse-catalog/catalog.db}).
   */
  public static IcebergStore open(StoreConfig config) {
    if (!config.isObjectStore()) {
      String w = config.warehouse();
      Path dir = w.startsWith("file://") ? Path.of(java.net.URI.create(w)) : Path.of(w);
      if (config.catalogUri().isEmpty()) {
        return embedded(dir);
      }
      return new IcebergStore(
          jdbcCatalog(
              config.catalogUri().get(),
              dir.toAbsolutePath().toUri().toString(),
              Map.of(),
              new Configuration()),
          "Iceberg warehouse at " + dir.toAbsolutePath() + " (catalog " + redact(config) + ")");
    }
    String uri =
        config
            .catalogUri()
            .orElseGet(
                () -> {
                  Path local = Path.of("warehouse-catalog").toAbsolutePath();
                  try {
                    Files.createDirectories(local);
                  } catch (IOException e) {
                    throw new StoreException(
                        "Cannot create the local catalog folder " + local + ": " + e.getMessage(),
                        new UncheckedIOException(e));
                  }
                  return "jdbc:sqlite:" + local.resolve("catalog.db");
                });
    if (config.objectStoreIo() == StoreConfig.ObjectStoreIo.S3A) {
      return openS3a(config, uri);
    }
    Map<String, String> io = new LinkedHashMap<>();
    io.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
    io.put("client.region", config.s3Region());
    // The URL-connection client keeps the dependency set small; S3FileIO needs no async client.
    io.put("http-client.type", "urlconnection");
    config.s3Endpoint().ifPresent(e -> io.put("s3.endpoint", e));
    if (config.s3PathStyle()) {
      io.put("s3.path-style-access", "true");
    }
    config.s3AccessKeyId().ifPresent(id -> io.put("s3.access-key-id", id));
    config.s3SecretAccessKey().ifPresent(secret -> io.put("s3.secret-access-key", secret));
    JdbcCatalog catalog = jdbcCatalog(uri, config.warehouse(), io, new Configuration());
    return new IcebergStore(
        catalog,
        "Iceberg warehouse at "
            + config.warehouse()
            + config.s3Endpoint().map(e -> " on " + e).orElse("")
            + " through S3FileIO (catalog "
            + redact(config)
            + ")");
  }

  /** S3 through Hadoop's S3A file system, configured from the same settings. */
  private static IcebergStore openS3a(StoreConfig config, String uri) {
    Configuration conf = new Configuration();
    conf.set("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    // s3:// locations go through S3A too, so tables written by either path stay readable.
    conf.set("fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    conf.set("fs.s3a.endpoint.region", config.s3Region());
    config
        .s3Endpoint()
        .ifPresent(
            e -> {
              conf.set("fs.s3a.endpoint", e);
              conf.setBoolean("fs.s3a.connection.ssl.enabled", e.startsWith("https:"));
            });
    conf.setBoolean("fs.s3a.path.style.access", config.s3PathStyle());
    if (config.s3AccessKeyId().isPresent()) {
      conf.set(
          "fs.s3a.aws.credentials.provider",
          "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
      conf.set("fs.s3a.access.key", config.s3AccessKeyId().get());
      conf.set("fs.s3a.secret.key", config.s3SecretAccessKey().orElseThrow());
    }
    Map<String, String> io = new LinkedHashMap<>();
    io.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO");
    JdbcCatalog catalog = jdbcCatalog(uri, config.warehouse(), io, conf);
    return new IcebergStore(
        catalog,
        "Iceberg warehouse at "
            + config.warehouse()
            + config.s3Endpoint().map(e -> " on " + e).orElse("")
            + " through Hadoop S3A (catalog "
            + redact(config)
            + ")");
  }

  /**
   * Initializes a JDBC catalog. Processes opening a new catalog at once race on its schema upgrade
   * (one fails with "duplicate column"); the loser retries and finds the upgrade done.
   */
  private static void initialize(JdbcCatalog catalog, Map<String, String> props) {
    for (int attempt = 1; ; attempt++) {
      try {
        catalog.initialize(CATALOG_NAME, props);
        return;
      } catch (RuntimeException e) {
        if (attempt >= 5 || !String.valueOf(e.getMessage()).contains("SQL schema")) {
          throw e;
        }
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static String redact(StoreConfig config) {
    // JDBC URIs can carry a password parameter.
    return config.catalogUri().orElse("local SQLite").replaceAll("(?i)(password=)[^&;]*", "$1****");
  }

  private static JdbcCatalog jdbcCatalog(
      String uri, String warehouse, Map<String, String> extra, Configuration conf) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(CatalogProperties.URI, uri);
    props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    props.put("jdbc.schema-version", "V1");
    if (uri.startsWith("jdbc:sqlite:")) {
      // SQLite allows one writer at a time; writers wait instead of failing at once.
      props.put("jdbc.busy_timeout", "30000");
      props.put("jdbc.journal_mode", "WAL");
    }
    props.putAll(extra);
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.setConf(conf);
    try {
      initialize(catalog, props);
    } catch (RuntimeException e) {
      throw new StoreException(
          "Cannot open the catalog "
              + uri.replaceAll("(?i)(password=)[^&;]*", "$1****")
              + ": "
              + e.getMessage()
              + ". Check meshwork.catalog.uri and that the database is reachable.",
          e);
    }
    return catalog;
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
