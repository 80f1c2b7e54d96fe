package dev.meshwork.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.PolicyDeniedException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyRequest;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OPA Wasm engine on the compiled policy that ships inside opa-java-wasm ({@code
 * demo-policy.wasm}, entrypoint {@code opa/wasm/test/allowed}: allowed when {@code
 * data.role[input.user] == "admin"}). No {@code opa} binary is available here to compile a
 * Meshwork-shaped bundle, so this policy decides by the input's {@code user} field.
 */
class OpaWasmPolicyEngineTest {
  private static final Path RESOURCES = Path.of("src/test/resources/policy");
  private static final String ENTRYPOINT = "opa/wasm/test/allowed";
  private static final String DATA = "{\"role\": {\"crm-etl\": \"admin\", \"bob\": \"viewer\"}}";

  record Customer(long customerId, String name, String email, String region, BigDecimal credit) {}

  @TempDir Path warehouse;

  private static byte[] demoPolicy() throws IOException {
    try (InputStream in = OpaWasmPolicyEngineTest.class.getResourceAsStream("/demo-policy.wasm")) {
      assertThat(in).as("demo-policy.wasm on the test class path (from opa-java-wasm)").isNotNull();
      return in.readAllBytes();
    }
  }

  private static OpaWasmPolicyEngine engine() throws IOException {
    return OpaWasmPolicyEngine.load(
        demoPolicy(), "demo-policy.wasm", ENTRYPOINT, DATA, Clock.systemUTC());
  }

  private static PolicyRequest run(Principal who) {
    return new PolicyRequest(
        Action.RUN, who, DataProduct.load(RESOURCES.resolve("crm.yaml")), null, null);
  }

  @Test
  void theCompiledPolicyDecidesInProcess() throws IOException {
    OpaWasmPolicyEngine engine = engine();
    Decision admin = engine.decide(run(Principal.service("crm-etl")));
    Decision viewer = engine.decide(run(Principal.user("bob")));
    Decision unknown = engine.decide(run(Principal.user("eve")));
    assertThat(admin.allowed()).isTrue();
    assertThat(admin.reasons()).singleElement().asString().contains(ENTRYPOINT, "returned true");
    assertThat(viewer.allowed()).isFalse();
    assertThat(unknown.allowed()).isFalse();
    assertThat(unknown.reasons()).singleElement().asString().contains("returned false");
  }

  @Test
  void aRunIsAllowedOrDeniedByTheWasmPolicy() throws IOException {
    try (Mesh mesh =
        Mesh.builder()
            .store(IcebergStore.embedded(warehouse))
            .policy(engine())
            .listener(e -> {})
            .build()) {
      DataProduct crm = DataProduct.load(RESOURCES.resolve("crm.yaml"));
      try (Run run = mesh.start(crm, Principal.service("crm-etl"))) {
        run.output("customers", Customer.class)
            .write(new Customer(1, "Ann", "ann@example.com", "north", BigDecimal.ONE));
        assertThat(run.commit().output("customers").rows()).isEqualTo(1);
      }
      assertThatThrownBy(() -> mesh.start(crm, Principal.user("bob")))
          .isInstanceOf(PolicyDeniedException.class)
          .hasMessageContaining("Policy denied RUN on product 'crm' for user:bob")
          .hasMessageContaining("OPA Wasm rule " + ENTRYPOINT);
    }
  }

  @Test
  void badBundlesFailAtLoadWithTheCause() throws IOException {
    byte[] wasm = demoPolicy();
    assertThatThrownBy(
            () ->
                OpaWasmPolicyEngine.load(
                    wasm, "demo", "meshwork/decision", null, Clock.systemUTC()))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("has no entrypoint 'meshwork/decision'")
        .hasMessageContaining(ENTRYPOINT);
    assertThatThrownBy(
            () ->
                OpaWasmPolicyEngine.load(
                    "not wasm".getBytes(), "broken.wasm", ENTRYPOINT, null, Clock.systemUTC()))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("Cannot load the Wasm policy broken.wasm");
    assertThatThrownBy(
            () -> OpaWasmPolicyEngine.load(wasm, "demo", ENTRYPOINT, "{oops", Clock.systemUTC()))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("is not JSON");
    assertThatThrownBy(
            () ->
                OpaWasmPolicyEngine.load(
                    warehouse.resolve("missing.wasm"), ENTRYPOINT, null, Clock.systemUTC()))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("missing.wasm");
  }

  @Test
  void theEngineIsSafeToShareBetweenThreads() throws Exception {
    OpaWasmPolicyEngine engine = engine();
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger wrong =
        new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < 4; t++) {
      boolean admin = t % 2 == 0;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < 200; i++) {
                  Decision d =
                      engine.decide(
                          run(admin ? Principal.service("crm-etl") : Principal.user("bob")));
                  if (d.allowed() != admin) {
                    wrong.incrementAndGet();
                  }
                }
              });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(wrong).hasValue(0);
  }
}
