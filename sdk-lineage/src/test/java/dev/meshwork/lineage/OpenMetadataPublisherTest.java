package dev.meshwork.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.core.InputPort;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.write.StructShape;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing to OpenMetadata, checked against a stand-in server (the real one cannot run here). */
class OpenMetadataPublisherTest {
  private static final Path DIR = Path.of("src/test/resources/lineage");
  private static final Principal ME = Principal.service("catalog-test");
  private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.secret-bot-token";

  record Buyer(String email, String country) {}

  record Order(long orderId, String region, BigDecimal amount, Buyer buyer) {}

  record OrderIn(String region, BigDecimal amount) {}

  record Total(String region, BigDecimal total) {}

  @TempDir Path tmp;
  private OpenMetadataStandIn standIn;

  @BeforeEach
  void start() throws Exception {
    standIn = new OpenMetadataStandIn();
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  private OpenMetadataPublisher publisher() {
    return new OpenMetadataPublisher(
        OpenMetadataConfig.builder().serverUrl(URI.create(standIn.url())).jwtToken(TOKEN).build(),
        Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
  }

  private static final QualityGate GATE =
      context ->
          new QualityGate.Session() {
            @Override
            public <T> QualityGate.Rejection observe(StructShape<T> shape, T value) {
              return null;
            }

            @Override
            public GateVerdict verdict() {
              return new GateVerdict(
                  List.of(),
                  List.of(),
                  List.of(
                      new GateVerdict.AssertionResult("rowCount", null, true, "error", "3", "> 0"),
                      new GateVerdict.AssertionResult(
                          "nullValues", "region", false, "warn", "1", "0")),
                  null);
            }
          };

  private void runBoth(Mesh mesh) {
    try (Run run = mesh.start(DataProduct.load(DIR.resolve("orders.yaml")), ME)) {
      run.output("orders", Order.class)
          .writeAll(
              List.of(
                  new Order(1, "north", new BigDecimal("10.50"), new Buyer("a@example.com", "DE")),
                  new Order(2, "south", new BigDecimal("4.50"), null)));
      run.commit();
    }
    try (Run run = mesh.start(DataProduct.load(DIR.resolve("totals.yaml")), ME)) {
      InputPort<OrderIn> in = run.input("orders", OrderIn.class);
      Map<String, BigDecimal> totals;
      try (Stream<OrderIn> rows = in.read()) {
        totals =
            rows.collect(
                Collectors.groupingBy(
                    OrderIn::region,
                    Collectors.reducing(BigDecimal.ZERO, OrderIn::amount, BigDecimal::add)));
      }
      totals.forEach((r, t) -> run.output("totals", Total.class).write(new Total(r, t)));
      run.commit();
    }
  }

  @Test
  void aCompletedRunPublishesDomainProductTablesLineageAndTestResults() {
    String ownerId = UUID.randomUUID().toString();
    standIn.users.put("ana", ownerId);
    CatalogListener catalog =
        CatalogListener.builder(publisher()).delivery(CatalogListener.Delivery.REQUIRED).build();
    try (Mesh mesh =
        Mesh.builder()
            .store(IcebergStore.embedded(tmp.resolve("wh")))
            .listener(catalog)
            .qualityGate(GATE)
            .build()) {
      runBoth(mesh);
    }
    assertThat(standIn.requests)
        .allSatisfy(r -> assertThat(r.schemaViolations()).as(r.path() + " " + r.body()).isEmpty());
    assertThat(standIn.requests)
        .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
    assertThat(catalog.counters()).isEqualTo(new CatalogCounters(2, 0, 0));

    JsonNode service = standIn.puts("/api/v1/services/databaseServices").get(0).body();
    assertThat(service.path("serviceType").asText()).isEqualTo("Iceberg");
    assertThat(standIn.puts("/api/v1/databases"))
        .extracting(r -> r.body().path("name").asText())
        .contains("sales", "finance");

    JsonNode orders = standIn.puts("/api/v1/tables").get(0).body();
    assertThat(orders.path("name").asText()).isEqualTo("orders");
    assertThat(orders.path("databaseSchema").asText()).isEqualTo("meshwork.sales.orders");
    assertThat(orders.path("owner").path("id").asText()).isEqualTo(ownerId);
    assertThat(orders.at("/columns/0/dataType").asText()).isEqualTo("BIGINT");
    assertThat(orders.at("/columns/2/dataType").asText()).isEqualTo("DECIMAL");
    assertThat(orders.at("/columns/2/precision").asInt()).isEqualTo(10);
    assertThat(orders.at("/columns/3/dataType").asText()).isEqualTo("STRUCT");
    assertThat(orders.at("/columns/3/children/0/name").asText()).isEqualTo("email");
    assertThat(orders.at("/columns/3/children/0/tags/0/tagFQN").asText())
        .isEqualTo("ODCS.restricted");
    assertThat(standIn.puts("/api/v1/tags").get(0).body().path("classification").asText())
        .isEqualTo("ODCS");

    List<OpenMetadataStandIn.Request> domains = standIn.puts("/api/v1/domains");
    assertThat(domains)
        .extracting(r -> r.body().path("domainType").asText())
        .containsExactly("Source-aligned", "Consumer-aligned");
    JsonNode product = standIn.puts("/api/v1/dataProducts").get(0).body();
    assertThat(product.path("domain").asText()).isEqualTo("sales");
    String ordersId =
        standIn.entities.get("table:meshwork.sales.orders.orders").path("id").asText();
    assertThat(product.at("/assets/0/id").asText()).isEqualTo(ordersId);

    JsonNode edge = standIn.puts("/api/v1/lineage").get(0).body().path("edge");
    assertThat(edge.at("/fromEntity/id").asText()).isEqualTo(ordersId);
    assertThat(edge.at("/toEntity/id").asText())
        .isEqualTo(
            standIn.entities.get("table:meshwork.finance.totals.totals").path("id").asText());
    assertThat(edge.at("/lineageDetails/columnsLineage").toString())
        .contains(
            "\"fromColumns\":[\"meshwork.sales.orders.orders.amount\"],\"toColumn\":\"meshwork.finance.totals.totals.total\"");

    assertThat(standIn.puts("/api/v1/dataQuality/testCases"))
        .extracting(r -> r.body().path("entityLink").asText())
        .contains(
            "<#E::table::meshwork.sales.orders.orders>",
            "<#E::table::meshwork.sales.orders.orders::columns::region>");
    List<OpenMetadataStandIn.Request> results =
        standIn.requests.stream().filter(r -> r.path().endsWith("/testCaseResult")).toList();
    assertThat(results).hasSize(4);
    assertThat(results.get(1).path())
        .contains("meshwork.sales.orders.orders.region.nullvalues_region");
    assertThat(results.get(1).body().path("testCaseStatus").asText()).isEqualTo("Failed");
    assertThat(results.get(1).body().path("result").asText()).isEqualTo("observed 1, expected 0");
  }

  @Test
  void publishingTwiceUpdatesTheSameEntities() {
    CatalogListener catalog =
        CatalogListener.builder(publisher()).delivery(CatalogListener.Delivery.REQUIRED).build();
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(tmp.resolve("wh"))).listener(catalog).build()) {
      runBoth(mesh);
      int tables =
          (int) standIn.entities.keySet().stream().filter(k -> k.startsWith("table:")).count();
      String id = standIn.entities.get("table:meshwork.sales.orders.orders").path("id").asText();
      runBoth(mesh);
      assertThat(standIn.entities.keySet().stream().filter(k -> k.startsWith("table:")).count())
          .isEqualTo(tables);
      assertThat(standIn.entities.get("table:meshwork.sales.orders.orders").path("id").asText())
          .isEqualTo(id);
    }
  }

  @Test
  void aFailingCatalogIsRetriedAndNeverFailsABackgroundRun() {
    standIn.failNext.set(1_000);
    CatalogListener catalog =
        CatalogListener.builder(publisher()).attempts(2, Duration.ofMillis(5)).build();
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(tmp.resolve("wh"))).listener(catalog).build()) {
      runBoth(mesh);
      assertThat(catalog.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(catalog.counters()).isEqualTo(new CatalogCounters(0, 2, 2));
  }

  @Test
  void aRequiredCatalogFailsTheCommitNamingTheCall() {
    standIn.failNext.set(1_000);
    CatalogListener catalog =
        CatalogListener.builder(publisher())
            .delivery(CatalogListener.Delivery.REQUIRED)
            .attempts(1, Duration.ZERO)
            .build();
    try (Mesh mesh =
            Mesh.builder()
                .store(IcebergStore.embedded(tmp.resolve("wh")))
                .listener(catalog)
                .build();
        Run run = mesh.start(DataProduct.load(DIR.resolve("orders.yaml")), ME)) {
      run.output("orders", Order.class)
          .write(new Order(1, "north", BigDecimal.ONE.setScale(2), null));
      assertThatThrownBy(run::commit)
          .isInstanceOf(MeshworkException.class)
          .hasMessageContaining("required listener catalog OpenMetadata at " + standIn.url())
          .hasMessageContaining("refused PUT /api/v1/services/databaseServices with HTTP 500")
          .hasMessageContaining("The outputs ARE published");
    }
  }

  @Test
  void theStandInRejectsPayloadsThatBreakTheApiSchema() throws Exception {
    java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(URI.create(standIn.url() + "/api/v1/tables"))
                .PUT(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"t\",\"databaseSchema\":\"a.b.c\",\"columns\":[{\"name\":\"x\",\"dataType\":\"NOPE\"}]}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(standIn.requests.get(0).schemaViolations()).isNotEmpty();
  }

  @Test
  void theTokenNeverAppearsInDescriptions() {
    OpenMetadataConfig config =
        OpenMetadataConfig.builder().serverUrl(URI.create(standIn.url())).jwtToken(TOKEN).build();
    assertThat(config.toString()).doesNotContain(TOKEN).contains("<redacted>");
    assertThat(publisher().describe()).doesNotContain(TOKEN);
    assertThatThrownBy(() -> OpenMetadataConfig.fromMap(Map.of()))
        .hasMessageContaining("OPENMETADATA_URL is not set");
  }
}
