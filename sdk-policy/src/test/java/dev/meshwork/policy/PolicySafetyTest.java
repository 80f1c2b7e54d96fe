package dev.meshwork.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.PolicyDeniedException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.Settings;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fail-closed behaviour, the decision cache and policy file errors. */
class PolicySafetyTest {
  private static final Path RESOURCES = Path.of("src/test/resources/policy");
  private static final DataProduct BILLING = DataProduct.load(RESOURCES.resolve("billing.yaml"));
  private static final DataProduct CRM = DataProduct.load(RESOURCES.resolve("crm.yaml"));
  private static final Principal BILLING_ETL = Principal.service("billing-etl");

  record Customer(long customerId, String name, String email, String region, BigDecimal credit) {}

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));

  private static PolicyRequest read(String purpose) {
    return new PolicyRequest(Action.READ, BILLING_ETL, BILLING, "customers", purpose);
  }

  private static Grant readAll(String condition) {
    Grant.Builder b = Grant.builder("read-all").principals("*").actions(Action.READ);
    return condition == null ? b.build() : b.condition(condition).build();
  }

  private PolicyEngine logged(PolicyEngine engine) {
    return new DecisionLog(engine, tmp.resolve("log.jsonl"), clock, "test");
  }

  private static PolicySet grants(Grant... grants) {
    return PolicySet.of(List.of(grants), List.of(), List.of(), Map.of());
  }

  /** One failure kind and the reason the deny must give. */
  private record Failure(String kind, Supplier<Decision> decide, String reason) {}

  @Test
  void everyFailureKindIsADenyWithAReason() {
    PolicyEngine throwing =
        new PolicyEngine() {
          @Override
          public Decision decide(PolicyRequest request) {
            throw new IllegalStateException("directory timed out");
          }

          @Override
          public String describe() {
            return "ldap-backed";
          }
        };
    PolicySet celError = grants(readAll("principal.department == 'finance'"));
    List<Failure> matrix =
        List.of(
            new Failure(
                "engine throws",
                () -> logged(throwing).decide(read("invoicing")),
                "policy engine ldap-backed failed (fail closed): directory timed out"),
            new Failure(
                "engine returns nothing",
                () -> logged(r -> null).decide(read("invoicing")),
                "returned no decision (fail closed)"),
            new Failure(
                "condition cannot be evaluated",
                () -> logged(new GrantsPolicyEngine(celError, clock)).decide(read("invoicing")),
                "CEL evaluation failed"),
            new Failure(
                "no policy covers the request",
                () -> new GrantsPolicyEngine(grants(), clock).decide(read("invoicing")),
                "no grant allows service:billing-etl to READ port 'customers'"),
            new Failure(
                "request names a port the product does not declare",
                () ->
                    new GrantsPolicyEngine(grants(readAll(null)), clock)
                        .decide(
                            new PolicyRequest(Action.READ, BILLING_ETL, BILLING, "orders", null)),
                "declares no input port 'orders'"),
            new Failure(
                "request without a principal",
                () ->
                    new GrantsPolicyEngine(grants(readAll(null)), clock)
                        .decide(new PolicyRequest(Action.READ, null, BILLING, "customers", null)),
                "malformed policy request (fail closed)"),
            new Failure(
                "decision log cannot be written",
                () -> {
                  Path dirInsteadOfFile = tmp.resolve("log-is-a-folder");
                  try {
                    Files.createDirectories(dirInsteadOfFile);
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                  PolicyEngine engine =
                      new DecisionLog(
                          new GrantsPolicyEngine(grants(readAll(null)), clock),
                          dirInsteadOfFile,
                          clock,
                          "test");
                  return engine.decide(read("invoicing"));
                },
                "the decision could not be logged (fail closed): Cannot append to decision log"));
    for (Failure f : matrix) {
      Decision d = f.decide().get();
      assertThat(d.allowed()).as(f.kind()).isFalse();
      assertThat(String.join(" ", d.reasons())).as(f.kind()).contains(f.reason());
    }
  }

  @Test
  void aRunWhoseEngineFailsIsDeniedBeforeItStarts() {
    try (Mesh mesh =
        Mesh.builder()
            .store(IcebergStore.embedded(tmp.resolve("wh")))
            .policy(
                r -> {
                  throw new IllegalStateException("policy store unreachable");
                })
            .listener(e -> {})
            .build()) {
      assertThatThrownBy(() -> mesh.start(CRM, Principal.service("crm-etl")))
          .isInstanceOf(PolicyDeniedException.class)
          .hasMessageContaining("Policy denied RUN on product 'crm'")
          .hasMessageContaining("policy store unreachable");
    }
  }

  @Test
  void aRowFilterThatCannotBeEvaluatedStopsTheReadInsteadOfLeakingRows() {
    PolicySet set =
        grants(
            Grant.builder("etl")
                .principals("*")
                .actions(Action.RUN, Action.WRITE, Action.PUBLISH)
                .build(),
            Grant.builder("filtered")
                .principals("*")
                .actions(Action.READ)
                .rowFilter("row.country == 'DE'")
                .build());
    try (Mesh mesh =
        Mesh.builder()
            .store(IcebergStore.embedded(tmp.resolve("wh")))
            .policy(new GrantsPolicyEngine(set, clock))
            .listener(e -> {})
            .build()) {
      try (Run run = mesh.start(CRM, Principal.service("crm-etl"))) {
        run.output("customers", Customer.class)
            .write(new Customer(1, "Ann", "a@x", "north", BigDecimal.ONE));
        run.commit();
      }
      try (Run run = mesh.start(BILLING, BILLING_ETL, RunOptions.defaults());
          Stream<Customer> rows = run.input("customers", Customer.class).read()) {
        assertThatThrownBy(rows::toList).hasMessageContaining("CEL evaluation failed");
      }
    }
  }

  @Test
  void theCacheServesRepeatsAndRespectsTtlValidityAndPublish() {
    AtomicInteger asked = new AtomicInteger();
    PolicyEngine counting =
        r -> {
          asked.incrementAndGet();
          return new Decision(
              true,
              List.of("ok"),
              List.of(new Decision.Term("expires-at", "uc-1: 2026-06-01T10:05:00Z")));
        };
    CachingPolicyEngine cache = new CachingPolicyEngine(counting, Duration.ofMinutes(10), clock);
    for (int i = 0; i < 10; i++) {
      cache.decide(read("invoicing"));
    }
    assertThat(asked).hasValue(1);
    assertThat(cache.hits()).isEqualTo(9);
    cache.decide(read("reporting"));
    assertThat(asked).as("another purpose is another key").hasValue(2);

    clock.advance(Duration.ofMinutes(6));
    cache.decide(read("invoicing"));
    assertThat(asked).as("the usage contract ended before the TTL").hasValue(3);

    clock.set(Instant.parse("2026-06-01T09:00:00Z"));
    cache.decide(read("invoicing"));
    assertThat(asked).as("a clock that went back misses").hasValue(4);

    PolicyRequest publish =
        new PolicyRequest(
            Action.PUBLISH,
            BILLING_ETL,
            BILLING,
            "invoices",
            null,
            null,
            new PolicyRequest.PublishedOutput(
                BILLING.contract("pol-invoices").orElseThrow(), null, null, Map.of()));
    cache.decide(publish);
    cache.decide(publish);
    assertThat(asked).as("publish decisions depend on the output").hasValue(6);
  }

  @Test
  void aDenyBecauseOpaIsUnreachableIsNotCachedAndTheCacheStaysBounded() {
    // A real REST engine at a port nothing listens on: a fail-closed deny, not a decision.
    PolicyEngine dead =
        OpaRestPolicyEngine.builder(java.net.URI.create("http://127.0.0.1:9"))
            .path("meshwork/decision")
            .timeout(Duration.ofMillis(500))
            .build();
    Decision outage = dead.decide(read("invoicing"));
    assertThat(outage.allowed()).isFalse();
    assertThat(outage.failedClosed()).isTrue();
    assertThat(outage.reasons().get(0)).contains("is unreachable (fail closed)");

    AtomicInteger asked = new AtomicInteger();
    PolicyEngine recovering =
        r -> asked.incrementAndGet() == 1 ? dead.decide(r) : Decision.allow("OPA is back");
    CachingPolicyEngine cache =
        new CachingPolicyEngine(recovering, Duration.ofMinutes(10), clock, 3);
    assertThat(cache.decide(read("invoicing")).allowed()).isFalse();
    assertThat(cache.decide(read("invoicing")).allowed())
        .as("the outage deny was not kept: the engine is asked again")
        .isTrue();
    assertThat(cache.decide(read("invoicing")).allowed()).isTrue();
    assertThat(asked).hasValue(2);

    for (int i = 0; i < 20; i++) {
      cache.decide(read("purpose-" + i));
    }
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.decide(read("purpose-19")).reasons()).containsExactly("OPA is back");
    assertThat(asked).as("the most recent entries are the ones kept").hasValue(22);
    cache.decide(read("purpose-0"));
    assertThat(asked).as("the least recently used were evicted").hasValue(23);

    clock.advance(Duration.ofMinutes(11));
    cache.decide(read("purpose-19"));
    assertThat(asked).as("entries expire").hasValue(24);
  }

  @Test
  void aRevokedGroupMemberLosesAccessWhenTheGroupCacheExpires() {
    java.util.Set<String> analysts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    analysts.add("user:ana");
    AtomicInteger lookups = new AtomicInteger();
    Directory directory =
        p -> {
          lookups.incrementAndGet();
          return analysts.contains(p.toString())
              ? java.util.Set.of("analysts")
              : java.util.Set.of();
        };
    GrantsPolicyEngine engine =
        new GrantsPolicyEngine(
            grants(
                Grant.builder("analysts-read")
                    .principals("group:analysts")
                    .actions(Action.READ)
                    .build()),
            directory,
            clock,
            Duration.ofMinutes(5));
    PolicyRequest ana =
        new PolicyRequest(Action.READ, Principal.user("ana"), BILLING, "customers", null);
    assertThat(engine.decide(ana).allowed()).isTrue();

    analysts.remove("user:ana");
    clock.advance(Duration.ofMinutes(4));
    assertThat(engine.decide(ana).allowed()).as("within the TTL, the last answer holds").isTrue();
    assertThat(lookups).hasValue(1);

    clock.advance(Duration.ofMinutes(2));
    Decision revoked = engine.decide(ana);
    assertThat(revoked.allowed()).isFalse();
    assertThat(revoked.reasons()).anyMatch(r -> r.contains("no grant allows user:ana to READ"));
    assertThat(lookups).hasValue(2);
  }

  @Test
  void noPolicyAtAllAllowsSoTheZeroConfigDemoRuns() {
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(tmp.resolve("wh"))).listener(e -> {}).build()) {
      try (Run run = mesh.start(CRM, Principal.user("anyone"))) {
        run.output("customers", Customer.class)
            .write(new Customer(1, "Ann", "a@x", "north", BigDecimal.ONE));
        assertThat(run.commit().output("customers").rows()).isEqualTo(1);
      }
    }
  }

  @Test
  void theProviderFindsTheConfiguredPolicyFolderAndRefusesAMissingOne() {
    assertThat(new PolicyFilesProvider().defaultEngine(Settings.empty()))
        .as("no ./policies here and nothing configured")
        .isEmpty();
    // -D as a user would pass it, with the decision log under its old camelCase key.
    Settings settings =
        Settings.builder()
            .systemProperties(
                Map.of(
                    "meshwork.policies", RESOURCES.resolve("policies").toString(),
                    "meshwork.decisionLog", tmp.resolve("provider-log.jsonl").toString()))
            .build();
    assertThat(settings.deprecations())
        .singleElement()
        .asString()
        .contains("meshwork.decisionLog", "deprecated", "use meshwork.decision-log");
    try (Mesh mesh =
        Mesh.builder()
            .settings(settings)
            .store(IcebergStore.embedded(tmp.resolve("wh")))
            .listener(e -> {})
            .build()) {
      assertThat(mesh.describe()).contains("policy grants (revision", "(discovered)");
      assertThatThrownBy(() -> mesh.start(CRM, Principal.user("mallory")))
          .isInstanceOf(PolicyDeniedException.class)
          .hasMessageContaining("no grant allows user:mallory");
      assertThat(tmp.resolve("provider-log.jsonl")).exists();
    }
    Settings missing =
        Settings.builder()
            .environment(Map.of("MESHWORK_POLICIES", tmp.resolve("missing").toString()))
            .build();
    assertThatThrownBy(() -> new PolicyFilesProvider().defaultEngine(missing))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("is not a folder");
  }

  private Path policyFile(String yaml) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("policies-" + Math.abs(yaml.hashCode())));
    Files.writeString(dir.resolve("access.yaml"), yaml);
    return dir;
  }

  @Test
  void badPolicyFilesNameTheFileLineColumnAndFix() throws IOException {
    record Bad(String yaml, String message) {}
    List<Bad> cases =
        List.of(
            new Bad(
                "grants:\n  - id: a\n    principals: [user:x\n", "access.yaml:4:1: Malformed YAML"),
            new Bad(
                "x0: &a0 [lol]\n"
                    + java.util.stream.IntStream.rangeClosed(1, 12)
                        .mapToObj(
                            i -> "x" + i + ": &a" + i + " [*a" + (i - 1) + ", *a" + (i - 1) + "]\n")
                        .collect(java.util.stream.Collectors.joining()),
                "access.yaml: Cannot read the policy file: Number of aliases for non-scalar nodes"
                    + " exceeds the specified max=10 (policy files allow 10)"),
            new Bad(
                "grants:\n  - id: a\n    principals: [user:x]\n    actions: [READ]\n    purpose: [x]\n",
                "access.yaml:5:14: grants[0] has unknown field 'purpose'"),
            new Bad(
                "grants:\n  - id: a\n    principals: [user:x]\n    actions: [DROP]\n",
                "access.yaml:4:14: grants[0].actions: 'DROP' is not an action"),
            new Bad(
                "grants:\n  - id: a\n    principals: [ana]\n    actions: [READ]\n",
                "access.yaml:3:17: grants[0].principals: 'ana' must look like user:NAME"),
            new Bad(
                "grants:\n  - id: a\n    principals: [user:x]\n    actions: [READ]\n"
                    + "    condition: \"purpose ==\"\n",
                "access.yaml:5:16: grants[0].condition: CEL expression 'purpose ==' does not"
                    + " compile"),
            new Bad(
                "grants:\n  - id: a\n    principals: [user:x]\n    actions: [READ]\n"
                    + "    masks: [{column: email, with: scramble}]\n",
                "grants[0].masks[0].with must be one of"),
            new Bad(
                "usageContracts:\n  - id: uc\n    validUntil: next-year\n",
                "access.yaml:3:17: usageContracts[0].validUntil must be a date"),
            new Bad(
                "governance:\n  - id: g\n    builtin: all-good\n",
                "access.yaml:3:14: governance[0].builtin 'all-good' is not a built-in rule"),
            new Bad("grant:\n  - id: a\n", "access.yaml:2:3: unknown section 'grant'"));
    for (Bad b : cases) {
      Path dir = policyFile(b.yaml());
      assertThatThrownBy(() -> PolicySet.load(dir))
          .as(b.yaml())
          .isInstanceOf(PolicyException.class)
          .hasMessageContaining(b.message());
    }
    assertThatThrownBy(() -> Policies.fromDirectory(tmp.resolve("nowhere")))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("is not a folder");
  }

  @Test
  void theRevisionChangesWithTheFiles() throws IOException {
    String yaml = "grants:\n  - id: a\n    principals: [user:x]\n    actions: [READ]\n";
    String first = PolicySet.load(policyFile(yaml)).revision();
    String same = PolicySet.load(policyFile(yaml + "\n")).revision();
    assertThat(first).hasSize(12).isNotEqualTo(same);
    assertThat(PolicySet.load(RESOURCES.resolve("policies")).grants()).hasSize(4);
  }
}
