package dev.meshwork.iceberg;

import static dev.meshwork.iceberg.StoreChecks.orderIds;
import static dev.meshwork.iceberg.StoreChecks.orders;
import static dev.meshwork.iceberg.StoreChecks.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshworkException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.TableProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choosing and configuring the catalog: kinds inferred from the URI, contradictions named by key,
 * secrets kept out of descriptions, commit retries applied to tables, the Hadoop catalog for local
 * experiments.
 */
class CatalogConfigTest {
  @TempDir Path tmp;

  @Test
  void theCatalogKindFollowsTheUriAndContradictionsNameBothKeys() {
    assertThat(StoreConfig.builder().build().catalogType()).isEqualTo(StoreConfig.CatalogType.JDBC);
    assertThat(
            StoreConfig.builder()
                .catalogUri("https://polaris:8181/api/catalog")
                .build()
                .catalogType())
        .isEqualTo(StoreConfig.CatalogType.REST);

    Map<Map<String, String>, String> wrong =
        Map.of(
            Map.of("meshwork.catalog.type", "hadoop", "meshwork.catalog.uri", "jdbc:sqlite:x.db"),
            "meshwork.catalog.type=hadoop conflicts with meshwork.catalog.uri=jdbc:sqlite:x.db",
            Map.of("meshwork.catalog.type", "jdbc", "meshwork.catalog.uri", "http://rest:8181"),
            "meshwork.catalog.type=jdbc conflicts with meshwork.catalog.uri=http://rest:8181",
            Map.of("meshwork.catalog.type", "rest"),
            "meshwork.catalog.type=rest needs meshwork.catalog.uri",
            Map.of("meshwork.catalog.token", "t0ken"),
            "meshwork.catalog.token applies to REST catalogs only",
            Map.of(
                "meshwork.catalog.uri", "http://rest:8181",
                "meshwork.catalog.token", "t0ken",
                "meshwork.catalog.credential", "id:secret"),
            "meshwork.catalog.credential conflicts with meshwork.catalog.token",
            Map.of("meshwork.catalog.type", "glue"),
            "meshwork.catalog.type must be jdbc, rest or hadoop, but is 'glue'",
            Map.of("meshwork.commit.retries", "many"),
            "meshwork.commit.retries must be a whole number",
            Map.of("meshwork.commit.retry", "3"),
            "Unknown store setting(s) [meshwork.commit.retry]",
            Map.of("meshwork.s3.multipart-size", "1MiB"),
            "meshwork.s3.multipart-size must be at least 5MiB",
            Map.of("meshwork.s3.multipart-size", "lots"),
            "meshwork.s3.multipart-size must be a size such as 8MiB");
    wrong.forEach(
        (props, message) ->
            assertThatThrownBy(() -> StoreConfig.fromProperties(props))
                .as("%s", props)
                .isInstanceOf(MeshworkException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("t0ken", "id:secret")));
  }

  @Test
  void secretsAndPassThroughValuesStayOutOfDescriptions() {
    StoreConfig config =
        StoreConfig.fromProperties(
            Map.of(
                "meshwork.catalog.uri", "https://polaris:8181/api/catalog",
                "meshwork.catalog.credential", "client:very-secret",
                "meshwork.catalog.warehouse", "sales_catalog",
                "meshwork.catalog.iceberg.scope", "PRINCIPAL_ROLE:ALL",
                "meshwork.catalog.iceberg.rest.client.proxy.password", "proxy-secret",
                "meshwork.s3.multipart-size", "8MiB"));
    assertThat(config.catalogType()).isEqualTo(StoreConfig.CatalogType.REST);
    assertThat(config.catalogWarehouse()).hasValue("sales_catalog");
    assertThat(config.s3MultipartSize()).hasValue(8L << 20);
    assertThat(config.catalogProperties())
        .containsEntry("scope", "PRINCIPAL_ROLE:ALL")
        .containsEntry("rest.client.proxy.password", "proxy-secret");
    assertThat(config.toString())
        .contains("catalog.type=rest", "catalog.credential=****", "rest.client.proxy.password")
        .doesNotContain("very-secret", "proxy-secret");
  }

  @Test
  void settingsComeFromAYamlFileThatEnvironmentAndSystemPropertiesOverride() throws Exception {
    Path yaml = tmp.resolve("store.yaml");
    java.nio.file.Files.writeString(
        yaml,
        """
        meshwork:
          warehouse: s3://from-file/wh
          s3:
            endpoint: http://minio:9000
            path-style: true
            multipart-size: 16MiB
          catalog.uri: https://rest:8181/api/catalog
          catalog:
            iceberg:
              scope: PRINCIPAL_ROLE:ALL
        """);
    StoreConfig fromFile = StoreConfig.load(yaml);
    assertThat(fromFile.warehouse()).isEqualTo("s3://from-file/wh");
    assertThat(fromFile.s3PathStyle()).isTrue();
    assertThat(fromFile.s3MultipartSize()).hasValue(16L << 20);
    assertThat(fromFile.catalogType()).isEqualTo(StoreConfig.CatalogType.REST);
    assertThat(fromFile.catalogProperties()).containsEntry("scope", "PRINCIPAL_ROLE:ALL");

    StoreConfig layered =
        StoreConfig.fromEnvironment(
            Map.of("meshwork.config", yaml.toString(), "meshwork.s3.region", "eu-west-1"),
            Map.of("MESHWORK_WAREHOUSE", "s3://from-env/wh", "AWS_REGION", "us-west-2"));
    assertThat(layered.warehouse()).as("environment beats the file").isEqualTo("s3://from-env/wh");
    assertThat(layered.s3Region()).as("-D beats the environment").isEqualTo("eu-west-1");
    assertThat(layered.s3Endpoint()).as("the file fills the rest").hasValue("http://minio:9000");

    Path typo = tmp.resolve("typo.yaml");
    java.nio.file.Files.writeString(typo, "meshwork:\n  s3:\n    endpont: http://x\n");
    assertThatThrownBy(() -> StoreConfig.load(typo))
        .isInstanceOf(dev.meshwork.core.DescriptorException.class)
        .hasMessageStartingWith(typo + ":3:5: Unknown store setting(s) [meshwork.s3.endpont]");
    Path badValue = tmp.resolve("bad.yaml");
    java.nio.file.Files.writeString(
        badValue, "meshwork.warehouse: wh\nmeshwork.s3.path-style: sometimes\n");
    assertThatThrownBy(() -> StoreConfig.load(badValue))
        .hasMessageStartingWith(badValue + ":2:1: meshwork.s3.path-style must be true or false");
    Path broken = tmp.resolve("broken.yaml");
    java.nio.file.Files.writeString(broken, "meshwork:\n  s3: [unclosed\n");
    assertThatThrownBy(() -> StoreConfig.load(broken))
        .isInstanceOf(dev.meshwork.core.DescriptorException.class)
        .hasMessageContaining(broken + ":3:")
        .hasMessageContaining("Malformed YAML");
  }

  @Test
  void anUnreachableRestCatalogFailsAtOpenNamingTheUrlAndTheFix() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed;
    assertThatThrownBy(
            () ->
                IcebergStore.open(
                    StoreConfig.builder()
                        .warehouse(tmp.toString())
                        .catalogUri(url)
                        .catalogToken("t0ken")
                        .catalogProperty("rest.client.max-retries", "1")
                        .build()))
        .isInstanceOf(dev.meshwork.core.StoreException.class)
        .hasMessageContaining("Cannot open the REST catalog " + url)
        .hasMessageContaining("that the server is reachable")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("t0ken"));
  }

  @Test
  void configuredCommitRetriesApplyToNewAndExistingTables() {
    Path warehouse = tmp.resolve("wh");
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build()) {
      publish(mesh, "default", orders(0, 10));
      assertThat(StoreChecks.orders((IcebergStore) mesh.store()).properties())
          .containsEntry(TableProperties.COMMIT_NUM_RETRIES, "25");
    }
    IcebergStore tuned =
        IcebergStore.open(
            StoreConfig.builder().warehouse(warehouse.toString()).commitRetries(7).build());
    try (Mesh mesh = Mesh.builder().store(tuned).listener(e -> {}).build()) {
      publish(mesh, "tuned", orders(10, 10));
      assertThat(StoreChecks.orders(tuned).properties())
          .containsEntry(TableProperties.COMMIT_NUM_RETRIES, "7");
      assertThat(orderIds(StoreChecks.orders(tuned))).hasSize(20);
    }
  }

  @Test
  void theHadoopCatalogServesLocalExperiments() {
    IcebergStore store =
        IcebergStore.open(
            StoreConfig.builder()
                .warehouse(tmp.resolve("hadoop-wh").toString())
                .catalogType(StoreConfig.CatalogType.HADOOP)
                .build());
    assertThat(store.describe()).contains("Hadoop catalog, local experiments only");
    try (Mesh mesh = Mesh.builder().store(store).listener(e -> {}).build()) {
      publish(mesh, "first", orders(0, 500));
      publish(mesh, "second", orders(500, 500));
      assertThat(orderIds(StoreChecks.orders(store))).hasSize(1_000).doesNotHaveDuplicates();
    }
    assertThat(tmp.resolve("hadoop-wh/sales/shop/orders/metadata/version-hint.text")).exists();
  }
}
