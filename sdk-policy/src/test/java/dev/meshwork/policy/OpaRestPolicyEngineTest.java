package dev.meshwork.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OPA REST engine against an in-process stand-in for OPA's Data API on 127.0.0.1 (no OPA binary
 * runs here). The stand-in checks the request as the Data API specifies it — {@code POST
 * /v1/data/{path}}, JSON body {@code {"input": {...}}} — and answers like OPA: {@code {"result":
 * ...}} when defined, {@code {}} when undefined, {@code {"code", "message"}} with 4xx/5xx.
 */
class OpaRestPolicyEngineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path RESOURCES = Path.of("src/test/resources/policy");

  record Customer(long customerId, String name, String email, String region, BigDecimal credit) {}

  /** How the stand-in answers. */
  enum Mode {
    POLICY,
    SLOW,
    ERROR_500,
    UNDEFINED,
    NOT_JSON,
    WRONG_RESULT
  }

  @TempDir Path warehouse;
  private HttpServer server;
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.POLICY);
  private final List<JsonNode> inputs = new CopyOnWriteArrayList<>();
  private final List<String> protocolErrors = new CopyOnWriteArrayList<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/data/", this::handle);
    // A slow answer must not hold up the next request.
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    JsonNode request = null;
    if (!ex.getRequestMethod().equals("POST")) {
      protocolErrors.add("method " + ex.getRequestMethod());
    }
    if (!ex.getRequestURI().getPath().equals("/v1/data/meshwork/decision")) {
      protocolErrors.add("path " + ex.getRequestURI().getPath());
    }
    if (!"application/json".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
      protocolErrors.add("content type " + ex.getRequestHeaders().getFirst("Content-Type"));
    }
    try {
      request = JSON.readTree(body);
    } catch (IOException e) {
      protocolErrors.add("body is not JSON");
    }
    if (request == null || !request.isObject() || request.size() != 1 || !request.has("input")) {
      protocolErrors.add("body must be {\"input\": ...} but was " + request);
    } else {
      inputs.add(request.get("input"));
    }
    switch (mode.get()) {
      case SLOW -> {
        sleep(1500);
        reply(ex, 200, "{\"result\": true}");
      }
      case ERROR_500 ->
          reply(ex, 500, "{\"code\": \"internal_error\", \"message\": \"storage unavailable\"}");
      case UNDEFINED -> reply(ex, 200, "{\"decision_id\": \"d-1\"}");
      case NOT_JSON -> reply(ex, 200, "<html>proxy error</html>");
      case WRONG_RESULT -> reply(ex, 200, "{\"result\": \"yes\"}");
      case POLICY ->
          reply(
              ex,
              200,
              JSON.writeValueAsString(java.util.Map.of("result", decide(request.get("input")))));
    }
  }

  /** The stand-in's policy: the crm pipeline owns crm; billing reads customers with masks. */
  private static Object decide(JsonNode in) {
    String who = in.path("principal").path("kind").asText() + ":" + in.path("user").asText();
    String action = in.path("action").asText();
    if (who.equals("service:crm-etl") && in.path("product").path("name").asText().equals("crm")) {
      return true;
    }
    if (who.equals("service:billing-etl") && action.equals("READ")) {
      if (!in.path("purpose").asText().equals("invoicing")) {
        return java.util.Map.of(
            "allow", false, "reasons", List.of("billing reads customers only for invoicing"));
      }
      return java.util.Map.of(
          "allow",
          true,
          "reasons",
          List.of("billing may read " + in.path("contract").asText()),
          "masks",
          List.of(java.util.Map.of("column", "email", "with", "redact")),
          "rowFilter",
          "row.region != 'restricted-zone'",
          "terms",
          List.of("no-redistribution"));
    }
    return who.equals("service:billing-etl");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    try {
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
    } catch (IOException e) {
      // The client gave up (timeout case); nothing to answer.
    }
    ex.close();
  }

  private OpaRestPolicyEngine engine() {
    return OpaRestPolicyEngine.builder(base())
        .timeout(Duration.ofMillis(400))
        .header("Authorization", "Bearer secret-token")
        .clock(clock)
        .build();
  }

  private static PolicyRequest read(String purpose) {
    return new PolicyRequest(
        Action.READ,
        Principal.service("billing-etl"),
        DataProduct.load(RESOURCES.resolve("billing.yaml")),
        "customers",
        purpose);
  }

  @Test
  void aPipelineReadsThroughOpaWithMasksAndRowFiltersApplied() {
    try (Mesh mesh =
        Mesh.builder()
            .store(IcebergStore.embedded(warehouse))
            .policy(engine())
            .clock(clock)
            .listener(e -> {})
            .build()) {
      try (Run run =
          mesh.start(
              DataProduct.load(RESOURCES.resolve("crm.yaml")), Principal.service("crm-etl"))) {
        run.output("customers", Customer.class)
            .writeAll(
                List.of(
                    new Customer(1, "Ann", "ann@example.com", "north", BigDecimal.ONE),
                    new Customer(2, "Bob", "bob@example.com", "restricted-zone", BigDecimal.TEN)));
        run.commit();
      }
      List<Customer> seen;
      try (Run run =
              mesh.start(
                  DataProduct.load(RESOURCES.resolve("billing.yaml")),
                  Principal.service("billing-etl"),
                  RunOptions.builder().purpose("invoicing").build());
          Stream<Customer> s = run.input("customers", Customer.class).read()) {
        seen = s.toList();
      }
      assertThat(seen).extracting(Customer::customerId).containsExactly(1L);
      assertThat(seen.get(0).email()).isEqualTo("****");
    }
    assertThat(protocolErrors).isEmpty();
    JsonNode readInput =
        inputs.stream().filter(i -> i.get("action").asText().equals("READ")).findFirst().get();
    assertThat(readInput.get("contract").asText()).isEqualTo("pol-customers");
    assertThat(readInput.get("purpose").asText()).isEqualTo("invoicing");
    assertThat(readInput.get("time").asText()).isEqualTo("2026-06-01T10:00:00Z");
    assertThat(readInput.get("principal").get("kind").asText()).isEqualTo("service");
    JsonNode publishInput =
        inputs.stream().filter(i -> i.get("action").asText().equals("PUBLISH")).findFirst().get();
    assertThat(publishInput.get("output").get("columns"))
        .extracting(c -> c.get("name").asText())
        .containsExactly("customer_id", "name", "email", "region", "credit");
    assertThat(publishInput.get("output").get("columns").get(2).get("classification").asText())
        .isEqualTo("restricted");
  }

  @Test
  void aDenyCarriesOpasReasons() {
    Decision d = engine().decide(read("marketing"));
    assertThat(d.allowed()).isFalse();
    assertThat(d.reasons())
        .singleElement()
        .asString()
        .contains("data.meshwork.decision")
        .contains("billing reads customers only for invoicing");
  }

  @Test
  void everyFailureOfTheServerIsADenyThatSaysWhy() {
    OpaRestPolicyEngine engine = engine();
    record Failure(Mode mode, String reason) {}
    List<Failure> matrix =
        List.of(
            new Failure(Mode.SLOW, "did not answer within 400 ms (fail closed)"),
            new Failure(Mode.ERROR_500, "answered HTTP 500 (fail closed)"),
            new Failure(Mode.UNDEFINED, "is undefined for this input (fail closed)"),
            new Failure(Mode.NOT_JSON, "body that is not JSON (fail closed)"),
            new Failure(Mode.WRONG_RESULT, "returned \"yes\" (fail closed)"));
    for (Failure f : matrix) {
      mode.set(f.mode());
      Decision d = engine.decide(read("invoicing"));
      assertThat(d.allowed()).as(f.mode().name()).isFalse();
      assertThat(String.join(" ", d.reasons())).as(f.mode().name()).contains(f.reason());
    }
    assertThat(String.join(" ", engine.decide(read("invoicing")).reasons()))
        .doesNotContain("secret-token");
    server.stop(0);
    Decision down = engine.decide(read("invoicing"));
    assertThat(down.allowed()).isFalse();
    assertThat(String.join(" ", down.reasons())).contains("is unreachable (fail closed)");
  }

  @Test
  void cachedDecisionsSpareTheServer() {
    PolicyEngine cached = new CachingPolicyEngine(engine(), Duration.ofSeconds(30), clock);
    for (int i = 0; i < 5; i++) {
      assertThat(cached.decide(read("invoicing")).allowed()).isTrue();
    }
    assertThat(inputs).hasSize(1);
    clock.advance(Duration.ofSeconds(31));
    cached.decide(read("invoicing"));
    assertThat(inputs).hasSize(2);
  }
}
