package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.gaul.s3proxy.BlobStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 warehouse settings and an unreachable endpoint, against a real S3 API server: S3Proxy started
 * in-process on 127.0.0.1. Publishing and reading on S3 is in the store contract ({@link
 * StoreContractTest}).
 */
class S3StoreTest {
  private static final Path DIR = Path.of("src/test/resources/lifecycle");
  private static final Principal ME = Principal.service("s3-test");
  private static final String KEY = "meshwork-access";
  private static final String SECRET = "meshwork-secret-value";
  private static final String BUCKET = "products";

  record Order(long orderId, String region, BigDecimal amount, String note) {}

  private static InProcessS3 server;
  private static S3Client s3;
  private static String endpoint;

  @TempDir Path tmp;

  @BeforeAll
  static void startS3() throws Exception {
    server = InProcessS3.start(BlobStores.create("filesystem", fsProps()), KEY, SECRET, BUCKET);
    endpoint = server.endpoint();
    s3 = server.client();
  }

  private static Properties fsProps() throws java.io.IOException {
    Properties p = new Properties();
    p.setProperty(
        "jclouds.filesystem.basedir",
        java.nio.file.Files.createTempDirectory("s3proxy").toString());
    return p;
  }

  @AfterAll
  static void stopS3() throws Exception {
    server.close();
  }

  private StoreConfig config(String prefix, String s3Endpoint) {
    return config(prefix, s3Endpoint, StoreConfig.ObjectStoreIo.S3FILEIO);
  }

  private StoreConfig config(String prefix, String s3Endpoint, StoreConfig.ObjectStoreIo io) {
    return StoreConfig.builder()
        .warehouse(
            (io == StoreConfig.ObjectStoreIo.S3A ? "s3a://" : "s3://") + BUCKET + "/" + prefix)
        .objectStoreIo(io)
        .catalogUri("jdbc:sqlite:" + tmp.resolve("catalog.db"))
        .s3Endpoint(s3Endpoint)
        .s3PathStyle()
        .s3Credentials(KEY, SECRET)
        .build();
  }

  private static List<Order> orders(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> new Order(i, i % 2 == 0 ? "north" : "south", BigDecimal.valueOf(i, 2), null))
        .toList();
  }

  private static List<String> keys(String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .toList();
  }

  @Test
  void theHadoopCatalogOnObjectStorageWorksButWarnsThatItIsUnsafe() {
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    IcebergStore store;
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      store =
          IcebergStore.open(
              StoreConfig.builder()
                  .warehouse("s3://" + BUCKET + "/hadoop")
                  .catalogType(StoreConfig.CatalogType.HADOOP)
                  .s3Endpoint(endpoint)
                  .s3PathStyle()
                  .s3Credentials(KEY, SECRET)
                  .build());
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("meshwork.catalog.type=hadoop on object storage")
        .contains("is unsafe")
        .contains("Use a JDBC or REST catalog");
    try (Mesh mesh = Mesh.builder().store(store).listener(e -> {}).build()) {
      StoreChecks.publish(mesh, "hadoop", StoreChecks.orders(0, 300));
      assertThat(StoreChecks.orderIds(StoreChecks.orders(store))).hasSize(300);
    }
    assertThat(keys("hadoop/sales/shop/orders/metadata/"))
        .anyMatch(k -> k.endsWith("version-hint.text"));
  }

  @Test
  void anUnreachableEndpointFailsTheRunAndPublishesNothing() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    IcebergStore store = IcebergStore.open(config("down", "http://127.0.0.1:" + closedPort));
    try (Mesh mesh = Mesh.builder().store(store).listener(e -> {}).build()) {
      assertThatThrownBy(
              () -> {
                try (Run run = mesh.start(DataProduct.load(DIR.resolve("shop.yaml")), ME)) {
                  run.output("orders", Order.class).writeAll(orders(100));
                  run.commit();
                }
              })
          .isInstanceOf(dev.meshwork.core.StoreException.class)
          // The table is created when the run publishes: the first data file meets the outage.
          .hasMessageContaining("Cannot finish data file s3://products/down/")
          .hasMessageContaining("of sales.shop.orders")
          .hasMessageContaining("Connection refused")
          .hasMessageContaining("Check that the warehouse is writable and reachable")
          .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(SECRET));
    }
    assertThat(keys("down/")).isEmpty();
  }

  @Test
  void configurationComesFromPropertiesAndEnvironmentAndNamesBadKeys() {
    StoreConfig fromProps =
        StoreConfig.fromProperties(
            Map.of(
                "meshwork.warehouse", "s3a://bucket/prefix",
                "meshwork.s3.endpoint", "http://minio:9000",
                "meshwork.s3.path-style", "true",
                "meshwork.s3.access-key-id", "id",
                "meshwork.s3.secret-access-key", "very-secret",
                "meshwork.policies", "ignored: not a store key"));
    assertThat(fromProps.isObjectStore()).isTrue();
    assertThat(fromProps.s3PathStyle()).isTrue();
    assertThat(fromProps.toString()).contains("s3a://bucket/prefix").doesNotContain("very-secret");

    StoreConfig env =
        StoreConfig.fromEnvironment(
            Map.of("meshwork.s3.region", "eu-central-1"),
            Map.of(
                "MESHWORK_WAREHOUSE", "s3://from-env/wh",
                "AWS_REGION", "us-west-2",
                "AWS_ACCESS_KEY_ID", "env-id",
                "AWS_SECRET_ACCESS_KEY", "env-secret"));
    assertThat(env.warehouse()).isEqualTo("s3://from-env/wh");
    assertThat(env.s3Region()).as("-D wins over the environment").isEqualTo("eu-central-1");
    assertThat(env.s3AccessKeyId()).hasValue("env-id");
    assertThat(StoreConfig.fromEnvironment(Map.of(), Map.of()).warehouse()).isEqualTo("warehouse");

    assertThatThrownBy(() -> StoreConfig.fromProperties(Map.of("meshwork.s3.endpont", "x")))
        .isInstanceOf(MeshworkException.class)
        .hasMessageContaining("meshwork.s3.endpont")
        .hasMessageContaining("meshwork.s3.endpoint");
    assertThatThrownBy(() -> StoreConfig.fromProperties(Map.of("meshwork.s3.path-style", "yes")))
        .hasMessageContaining("meshwork.s3.path-style must be true or false");
    assertThatThrownBy(
            () -> StoreConfig.fromProperties(Map.of("meshwork.s3.access-key-id", "only-id")))
        .hasMessageContaining(
            "Set both meshwork.s3.access-key-id and meshwork.s3.secret-access-key");
    assertThatThrownBy(() -> StoreConfig.builder().warehouse("gs://bucket/x").build())
        .hasMessageContaining("uses scheme 'gs'");
  }
}
