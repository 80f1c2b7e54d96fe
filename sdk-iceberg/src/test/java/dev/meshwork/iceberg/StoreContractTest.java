package dev.meshwork.iceberg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.gaul.s3proxy.BlobStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store contract on every storage × catalog combination here: a local folder, S3 through Hadoop
 * S3A and S3 through S3FileIO (S3Proxy on 127.0.0.1), each with the embedded SQLite catalog, a JDBC
 * catalog in PostgreSQL (skipped unless {@code MESHWORK_TEST_POSTGRES} names a reachable server;
 * {@code .ci/run} starts one) and an Iceberg REST catalog (Iceberg's own REST server on 127.0.0.1).
 */
@ParameterizedClass(name = "{0} storage, {1} catalog")
@MethodSource("combinations")
class StoreContractTest extends StoreContract {
  static final String KEY = "contract-access";
  static final String SECRET = "contract-secret-value";
  static final String BUCKET = "contract";

  /** Where table data lives. */
  enum Storage {
    LOCAL,
    S3A,
    S3FILEIO
  }

  /** What tracks the tables. */
  enum CatalogKind {
    SQLITE,
    POSTGRES,
    REST
  }

  @Parameter(0)
  Storage storage;

  @Parameter(1)
  CatalogKind catalog;

  private static InProcessS3 s3;
  private InProcessRestCatalog rest;

  static Stream<Arguments> combinations() {
    List<Arguments> all = new ArrayList<>();
    for (Storage s : Storage.values()) {
      for (CatalogKind c : CatalogKind.values()) {
        all.add(Arguments.of(s, c));
      }
    }
    return all.stream();
  }

  private static synchronized InProcessS3 s3() throws Exception {
    if (s3 == null) {
      Properties p = new Properties();
      p.setProperty(
          "jclouds.filesystem.basedir", Files.createTempDirectory("contract-s3").toString());
      s3 = InProcessS3.start(BlobStores.create("filesystem", p), KEY, SECRET, BUCKET);
    }
    return s3;
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }

  @Override
  protected IcebergStore newStore(Path tmp) throws Exception {
    StoreConfig.Builder config = StoreConfig.builder();
    String warehouse;
    if (storage == Storage.LOCAL) {
      warehouse = tmp.resolve("warehouse").toUri().toString();
      config.warehouse(tmp.resolve("warehouse").toString());
    } else {
      String scheme = storage == Storage.S3A ? "s3a://" : "s3://";
      warehouse = scheme + BUCKET + "/" + UUID.randomUUID();
      config
          .warehouse(warehouse)
          .objectStoreIo(
              storage == Storage.S3A
                  ? StoreConfig.ObjectStoreIo.S3A
                  : StoreConfig.ObjectStoreIo.S3FILEIO)
          .s3Endpoint(s3().endpoint())
          .s3PathStyle()
          .s3Credentials(KEY, SECRET);
    }
    switch (catalog) {
      case SQLITE -> config.catalogUri("jdbc:sqlite:" + tmp.resolve("catalog.db"));
      case POSTGRES -> config.catalogUri(StoreChecks.emptyPostgres());
      case REST -> {
        rest = InProcessRestCatalog.start(tmp, warehouse, serverIo());
        config.catalogUri(rest.uri());
      }
    }
    return IcebergStore.open(config.build());
  }

  /** The REST server writes table metadata, so on S3 it needs S3 access of its own. */
  private Map<String, String> serverIo() throws Exception {
    if (storage == Storage.LOCAL) {
      return Map.of();
    }
    return Map.of(
        "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
        "s3.endpoint", s3().endpoint(),
        "s3.path-style-access", "true",
        "s3.access-key-id", KEY,
        "s3.secret-access-key", SECRET,
        "client.region", "us-east-1",
        "http-client.type", "urlconnection");
  }

  @Override
  protected List<String> secrets() {
    return List.of(SECRET);
  }

  @Override
  protected void release() throws Exception {
    if (rest != null) {
      rest.close();
    }
  }

  @Override
  public String toString() {
    return storage.name().toLowerCase(Locale.ROOT) + "/" + catalog.name().toLowerCase(Locale.ROOT);
  }
}
