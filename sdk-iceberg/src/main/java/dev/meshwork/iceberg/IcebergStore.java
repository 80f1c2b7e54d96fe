package dev.meshwork.iceberg;

import dev.meshwork.core.StoreException;
import dev.meshwork.iceberg.internal.IcebergTables;
import dev.meshwork.iceberg.internal.LocalFileIO;
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
public final class IcebergStore implements TableStore, dev.meshwork.spi.ErasingStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IcebergStore.class);

  /** The catalog name every engine sharing an embedded catalog must use. */
  public static final String CATALOG_NAME = "meshwork";

  private final Catalog catalog;
  private final String description;
  private final IcebergTables tables;
  private final dev.meshwork.iceberg.internal.parquet.WriteResources resources;

  private IcebergStore(Catalog catalog, String description, StoreConfig config) {
    this.catalog = catalog;
    this.description = description;
    this.resources =
        new dev.meshwork.iceberg.internal.parquet.WriteResources(config.compressionThreads());
    this.tables = new IcebergTables(catalog, description, config.commitRetries(), resources);
  }

  /** Local warehouses write through java.nio rather than Hadoop's local file system. */
  private static final Map<String, String> LOCAL_IO =
      Map.of(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());

  /**
   * The embedded default: an Iceberg JDBC catalog in the SQLite file {@code <warehouse>/catalog.db}
   * and table data under {@code <warehouse>/}. Creates the folder when missing.
   */
  public static IcebergStore embedded(Path warehouse) {
    return embedded(warehouse, StoreConfig.builder().build());
  }

  private static IcebergStore embedded(Path warehouse, StoreConfig config) {
    Path dir = createFolder(warehouse, "warehouse folder");
    JdbcCatalog catalog =
        jdbcCatalog(
            "jdbc:sqlite:" + dir.resolve("catalog.db"),
            dir.toUri().toString(),
            LOCAL_IO,
            new Configuration());
    return new IcebergStore(
        catalog, "embedded Iceberg warehouse at " + dir + " (SQLite catalog catalog.db)", config);
  }

  /**
   * A store as configured: a local folder or an S3 warehouse (through S3FileIO or Hadoop S3A), with
   * a JDBC catalog (default: SQLite in the warehouse folder, or {@code
   * ./warehouse-catalog/catalog.db} for S3), a REST catalog or a Hadoop catalog.
   */
  public static IcebergStore open(StoreConfig config) {
    return switch (config.catalogType()) {
      case REST -> openRest(config);
      case HADOOP -> openHadoop(config);
      case JDBC -> openJdbc(config);
    };
  }

  private static IcebergStore openJdbc(StoreConfig config) {
    if (!config.isObjectStore()) {
      Path dir = localFolder(config);
      if (config.catalogUri().isEmpty()
          && config.commitRetries().isEmpty()
          && config.catalogProperties().isEmpty()) {
        return embedded(dir, config);
      }
      String uri = config.catalogUri().orElseGet(() -> sqliteIn(dir));
      Map<String, String> props = new LinkedHashMap<>(LOCAL_IO);
      props.putAll(config.catalogProperties());
      return new IcebergStore(
          jdbcCatalog(uri, dir.toUri().toString(), props, new Configuration()),
          "Iceberg warehouse at " + dir + " (catalog " + redact(config) + ")",
          config);
    }
    String uri = config.catalogUri().orElseGet(() -> sqliteIn(Path.of("warehouse-catalog")));
    Map<String, String> io = new LinkedHashMap<>(objectStoreIo(config));
    io.putAll(config.catalogProperties());
    Configuration conf =
        config.objectStoreIo() == StoreConfig.ObjectStoreIo.S3A
            ? s3aConf(config)
            : new Configuration();
    return new IcebergStore(
        jdbcCatalog(uri, config.warehouse(), io, conf),
        "Iceberg warehouse at "
            + config.warehouse()
            + onObjectStore(config)
            + " (catalog "
            + redact(config)
            + ")",
        config);
  }

  /** An Iceberg REST catalog client; data files go through the configured FileIO. */
  private static IcebergStore openRest(StoreConfig config) {
    String uri = config.catalogUri().orElseThrow();
    Map<String, String> props = new LinkedHashMap<>();
    props.put(CatalogProperties.URI, uri);
    props.put(
        CatalogProperties.WAREHOUSE_LOCATION,
        config
            .catalogWarehouse()
            .orElseGet(
                () ->
                    config.isObjectStore()
                        ? config.warehouse()
                        : localFolder(config).toUri().toString()));
    props.putAll(config.catalogProperties());
    config.catalogCredential().ifPresent(c -> props.put("credential", c));
    config.catalogToken().ifPresent(t -> props.put("token", t));
    Configuration conf = new Configuration();
    if (config.isObjectStore()) {
      props.putAll(objectStoreIo(config));
      if (config.objectStoreIo() == StoreConfig.ObjectStoreIo.S3A) {
        conf = s3aConf(config);
      }
    }
    org.apache.iceberg.rest.RESTCatalog catalog = new org.apache.iceberg.rest.RESTCatalog();
    catalog.setConf(conf);
    try {
      catalog.initialize(CATALOG_NAME, props);
    } catch (RuntimeException e) {
      throw new StoreException(
          "Cannot open the REST catalog "
              + uri
              + ": "
              + secretFree(String.valueOf(e.getMessage()), config)
              + ". Check meshwork.catalog.uri, meshwork.catalog.credential or meshwork.catalog.token, and that the server is reachable.",
          e);
    }
    return new IcebergStore(
        catalog,
        "Iceberg warehouse at "
            + props.get(CatalogProperties.WAREHOUSE_LOCATION)
            + onObjectStore(config)
            + " (REST catalog "
            + uri
            + ")",
        config);
  }

  /** Iceberg's Hadoop catalog: metadata files in the warehouse, for local experiments. */
  private static IcebergStore openHadoop(StoreConfig config) {
    String warehouse;
    Configuration conf;
    Map<String, String> props = new LinkedHashMap<>();
    if (config.isObjectStore()) {
      LOG.warn(
          "meshwork.catalog.type=hadoop on object storage ({}) is unsafe: its commits rely on atomic renames, which S3 does not have, so concurrent writers can lose commits. Use a JDBC or REST catalog for anything shared.",
          config.warehouse());
      // The Hadoop catalog reads metadata through a Hadoop file system, whatever the data FileIO.
      conf = s3aConf(config);
      warehouse = config.warehouse().replaceFirst("^s3://", "s3a://");
      props.putAll(objectStoreIo(config));
    } else {
      conf = new Configuration();
      warehouse = localFolder(config).toUri().toString();
    }
    props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    props.putAll(config.catalogProperties());
    org.apache.iceberg.hadoop.HadoopCatalog catalog = new org.apache.iceberg.hadoop.HadoopCatalog();
    catalog.setConf(conf);
    catalog.initialize(CATALOG_NAME, props);
    return new IcebergStore(
        catalog,
        "Iceberg warehouse at "
            + warehouse
            + onObjectStore(config)
            + " (Hadoop catalog, local experiments only)",
        config);
  }

  private static Path localFolder(StoreConfig config) {
    String w = config.warehouse();
    return createFolder(
        w.startsWith("file://") ? Path.of(java.net.URI.create(w)) : Path.of(w), "warehouse folder");
  }

  private static Path createFolder(Path folder, String what) {
    Path dir = folder.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException(
          "Cannot create the "
              + what
              + " "
              + dir
              + ": "
              + e.getMessage()
              + ". Choose a writable path.",
          new UncheckedIOException(e));
    }
    return dir;
  }

  private static String sqliteIn(Path folder) {
    return "jdbc:sqlite:" + createFolder(folder, "local catalog folder").resolve("catalog.db");
  }

  private static String onObjectStore(StoreConfig config) {
    if (!config.isObjectStore()) {
      return "";
    }
    return config.s3Endpoint().map(e -> " on " + e).orElse("")
        + (config.objectStoreIo() == StoreConfig.ObjectStoreIo.S3A
            ? " through Hadoop S3A"
            : " through S3FileIO");
  }

  /** Catalog properties choosing and configuring the FileIO of an S3 warehouse. */
  private static Map<String, String> objectStoreIo(StoreConfig config) {
    Map<String, String> io = new LinkedHashMap<>();
    if (config.objectStoreIo() == StoreConfig.ObjectStoreIo.S3A) {
      io.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO");
      return io;
    }
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
    config
        .s3MultipartSize()
        .ifPresent(
            size ->
                io.put(
                    org.apache.iceberg.aws.s3.S3FileIOProperties.MULTIPART_SIZE,
                    Long.toString(size)));
    return io;
  }

  /** Hadoop S3A settings from the same configuration. */
  private static Configuration s3aConf(StoreConfig config) {
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
    config
        .s3MultipartSize()
        .ifPresent(
            size -> {
              conf.setLong("fs.s3a.multipart.size", size);
              conf.setLong("fs.s3a.multipart.threshold", size + size / 2);
            });
    return conf;
  }

  /** A message with every configured secret masked. */
  private static String secretFree(String message, StoreConfig config) {
    String out = message;
    for (java.util.Optional<String> secret :
        java.util.List.of(
            config.s3SecretAccessKey(), config.catalogCredential(), config.catalogToken())) {
      if (secret.isPresent() && !secret.get().isEmpty()) {
        out = out.replace(secret.get(), "****");
      }
    }
    return out;
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
        if (attempt >= 10 || !(creatingElsewhere(e) || locked(e))) {
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

  /** Another process is creating the catalog's tables at this moment. */
  private static boolean creatingElsewhere(Throwable e) {
    return String.valueOf(e.getMessage()).contains("SQL schema");
  }

  /**
   * SQLite refused the connection while another process held the file (switching a new file to WAL
   * takes an exclusive lock that the busy timeout does not wait for): seen when two processes open
   * a fresh embedded catalog at once.
   */
  private static boolean locked(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("SQLITE_BUSY") || m.contains("database is locked")) {
        return true;
      }
    }
    return false;
  }

  /** A catalog URI with any password parameter masked. */
  private static String redactUri(String uri) {
    return uri.replaceAll("(?i)(password=)[^&;]*", "$1****");
  }

  private static String redact(StoreConfig config) {
    // JDBC URIs can carry a password parameter.
    return config.catalogUri().map(IcebergStore::redactUri).orElse("local SQLite");
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
      // WAL's NORMAL would lose the last commits on a power loss; FULL syncs the log at each
      // commit.
      props.put("jdbc.synchronous", "FULL");
    }
    props.putAll(extra);
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.setConf(conf);
    try {
      initialize(catalog, props);
    } catch (RuntimeException e) {
      throw new StoreException(
          "Cannot open the catalog "
              + redactUri(uri)
              + ": "
              + e.getMessage()
              + ". Check meshwork.catalog.uri and that the database is reachable.",
          e);
    }
    return catalog;
  }

  /** A store on an already configured Iceberg catalog (REST, JDBC, Hive, …). */
  public static IcebergStore of(Catalog catalog) {
    return new IcebergStore(
        catalog, "Iceberg catalog '" + catalog.name() + "'", StoreConfig.builder().build());
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
  public java.util.Optional<dev.meshwork.core.ErasureReport.TableErasure> erase(
      dev.meshwork.spi.TableAddress address,
      java.util.List<String> columns,
      dev.meshwork.core.Filter rows,
      String erasureId) {
    return dev.meshwork.iceberg.internal.SubjectErasure.erase(
        catalog,
        dev.meshwork.iceberg.internal.TableNames.identifier(address),
        address.product(),
        address.port(),
        columns,
        rows,
        erasureId);
  }

  @Override
  public java.util.List<String> tablesDeclaring(String subject) {
    return tables.declaring(dev.meshwork.core.SummaryKeys.SUBJECT_PREFIX + subject);
  }

  @Override
  public void close() {
    resources.close();
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
