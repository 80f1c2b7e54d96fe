package dev.meshwork.policy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.core.MaskKey;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.PolicyDeniedException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import dev.meshwork.spi.RunEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy end to end on real Iceberg tables: who may run, read, write and publish; masks and row
 * filters applied inside the reader; usage contracts bound to purpose and time; governance rules
 * stopping a publish.
 */
class PolicyEnforcementTest {
  private static final Path RESOURCES = Path.of("src/test/resources/policy");
  private static final Principal CRM_ETL = Principal.service("crm-etl");
  private static final Principal BILLING_ETL = Principal.service("billing-etl");
  private static final MaskKey KEY = MaskKey.of("policy-enforcement-test-key", "test");

  /** The key billing's masks are hashed with: derived for its grant. */
  private static final byte[] BILLING_KEY = KEY.derive("grant:billing-reads-customers");

  record Customer(long customerId, String name, String email, String region, BigDecimal credit) {}

  record CustomerV2(long customerId, String name, String email, BigDecimal credit) {}

  record Invoice(long invoiceId, long customerId, String contact) {}

  @TempDir Path tmp;
  private Path dir;
  private Path warehouse;
  private Path decisionLog;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
  private final List<RunEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void copyResources() throws IOException {
    dir = tmp.resolve("policy");
    warehouse = tmp.resolve("warehouse");
    decisionLog = tmp.resolve("decision-log.jsonl");
    try (Stream<Path> s = Files.walk(RESOURCES)) {
      for (Path p : s.toList()) {
        Path target = dir.resolve(RESOURCES.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private Mesh mesh() {
    return mesh(Policies.fromDirectory(dir.resolve("policies"), decisionLog, clock));
  }

  private Mesh mesh(PolicyEngine engine) {
    return Mesh.builder()
        .store(IcebergStore.embedded(warehouse))
        .maskKey(KEY)
        .policy(engine)
        .clock(clock)
        .listener(events::add)
        .build();
  }

  private static DataProduct product(Path file) {
    return DataProduct.load(file);
  }

  private static List<Customer> customers() {
    return List.of(
        new Customer(1, "Ann", "ann@example.com", "north", new BigDecimal("100.00")),
        new Customer(2, "Bob", "bob@example.com", "restricted-zone", new BigDecimal("50.00")),
        new Customer(3, "Cy", null, "south", new BigDecimal("10.00")));
  }

  private void publishCustomers(Mesh mesh) {
    try (Run run = mesh.start(product(dir.resolve("crm.yaml")), CRM_ETL)) {
      run.output("customers", Customer.class).writeAll(customers());
      run.commit();
    }
  }

  private void publishWithoutRegion(Mesh mesh) {
    try (Run run = mesh.start(product(dir.resolve("crm.yaml")), CRM_ETL)) {
      run.output("customers", CustomerV2.class)
          .writeAll(
              customers().stream()
                  .map(c -> new CustomerV2(c.customerId(), c.name(), c.email(), c.credit()))
                  .toList());
      run.commit();
    }
  }

  private static RunOptions purpose(String purpose) {
    return RunOptions.builder().purpose(purpose).build();
  }

  private List<Record> rows(Mesh mesh, String table) throws IOException {
    Table t = ((IcebergStore) mesh.store()).catalog().loadTable(TableIdentifier.parse(table));
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      it.forEach(r -> out.add(r.copy()));
    }
    return out;
  }

  @Test
  void aConsumerReadsOnlyAllowedRowsWithMaskedValuesForItsDeclaredPurpose() throws Exception {
    try (Mesh mesh = mesh()) {
      publishCustomers(mesh);
      List<Customer> seen;
      try (Run run =
          mesh.start(product(dir.resolve("billing.yaml")), BILLING_ETL, purpose("invoicing"))) {
        try (Stream<Customer> s = run.input("customers", Customer.class).read()) {
          seen = s.toList();
        }
        var out = run.output("invoices", Invoice.class);
        seen.forEach(c -> out.write(new Invoice(100 + c.customerId(), c.customerId(), c.email())));
        run.commit();
      }

      // The row filter dropped Bob's restricted region; names are truncated, e-mails hashed.
      assertThat(seen).extracting(Customer::customerId).containsExactly(1L, 3L);
      assertThat(seen).extracting(Customer::name).containsExactly("An", "Cy");
      assertThat(seen.get(0).email()).isEqualTo(hmacHex("ann@example.com"));
      assertThat(seen.get(1).email()).isNull();
      assertThat(seen)
          .extracting(Customer::credit)
          .containsExactly(new BigDecimal("100.00"), new BigDecimal("10.00"));
      // Downstream tables only ever hold what the reader saw.
      assertThat(rows(mesh, "sales.billing.invoices"))
          .extracting(r -> r.getField("contact"))
          .doesNotContain("ann@example.com", "bob@example.com");

      RunEvent complete = events.get(events.size() - 1);
      RunEvent.PolicyOutcome read =
          complete.decisions().stream()
              .filter(d -> d.action() == Action.READ)
              .findFirst()
              .orElseThrow();
      assertThat(read.allowed()).isTrue();
      assertThat(String.join(" ", read.reasons()))
          .contains("usage contract uc-billing-2026")
          .contains("grant billing-reads-customers");
    }
    List<JsonNode> log = decisionLines();
    assertThat(log)
        .extracting(l -> l.get("action").asText() + " " + l.get("result").asText())
        .containsExactly(
            "RUN allow",
            "WRITE allow",
            "PUBLISH allow",
            "RUN allow",
            "READ allow",
            "WRITE allow",
            "PUBLISH allow");
    JsonNode read = log.get(4);
    assertThat(read.get("principal").asText()).isEqualTo("service:billing-etl");
    assertThat(read.get("purpose").asText()).isEqualTo("invoicing");
    assertThat(read.get("resource").get("port").asText()).isEqualTo("customers");
    assertThat(read.get("revision").asText()).hasSize(12);
    assertThat(read.get("decisionId").asText()).isNotBlank();
    assertThat(read.get("obligations").toString())
        .contains("mask", "row-filter", "usage-term", "expires-at");
    String text = Files.readString(decisionLog);
    assertThat(text).doesNotContain("ann@example.com").doesNotContain("Bob");
  }

  @Test
  void wholeNumbersHashToNumbersSoMaskedKeysStillJoin() throws Exception {
    Files.writeString(
        dir.resolve("policies/access.yaml"),
        Files.readString(dir.resolve("policies/access.yaml"))
            .replace(
                "- {column: name, with: truncate, length: 2}",
                "- {column: customer_id, with: hash}"));
    try (Mesh mesh = mesh()) {
      publishCustomers(mesh);
      try (Run run =
              mesh.start(product(dir.resolve("billing.yaml")), BILLING_ETL, purpose("invoicing"));
          Stream<Customer> s = run.input("customers", Customer.class).read()) {
        assertThat(s.map(Customer::customerId).toList()).containsExactly(hashOf(1), hashOf(3));
      }
    }
  }

  private static long hashOf(long id) {
    return ByteBuffer.wrap(MaskKey.hmac(BILLING_KEY, Long.toString(id).getBytes(UTF_8))).getLong();
  }

  private static String hmacHex(String s) {
    return HexFormat.of().formatHex(MaskKey.hmac(BILLING_KEY, s.getBytes(UTF_8)));
  }

  /** One case of the allow/deny matrix: who, as which product, for which purpose, when. */
  private record Case(
      String name,
      Principal who,
      String product,
      String purpose,
      String at,
      Action deniedAt,
      String reason) {}

  @Test
  void everyEnforcementPointAllowsAndDeniesAsThePolicySays() throws Exception {
    List<Case> cases =
        List.of(
            new Case("owner pipeline", BILLING_ETL, "billing", "invoicing", null, null, null),
            new Case(
                "stranger cannot run",
                Principal.user("mallory"),
                "crm",
                null,
                null,
                Action.RUN,
                "no grant allows user:mallory to RUN of product 'crm'"),
            new Case(
                "other team's pipeline cannot run crm",
                BILLING_ETL,
                "crm",
                null,
                null,
                Action.RUN,
                "no grant allows service:billing-etl to RUN"),
            new Case(
                "analyst from the directory reads but cannot write",
                Principal.user("ana"),
                "billing",
                "analytics",
                null,
                Action.WRITE,
                "no grant allows user:ana to WRITE port 'invoices'"),
            new Case(
                "analyst with another purpose cannot run",
                Principal.user("ana"),
                "billing",
                "marketing",
                null,
                Action.RUN,
                "grant analysts-read-customers requires purpose [analytics], the run declared"
                    + " 'marketing'"),
            new Case(
                "group member that is a service fails the CEL condition",
                Principal.service("ana").withGroups(Set.of("analysts")),
                "billing",
                "analytics",
                null,
                Action.RUN,
                "condition principal.kind == 'user' does not hold"),
            new Case(
                "wrong purpose for the usage contract",
                BILLING_ETL,
                "billing",
                "marketing",
                null,
                Action.READ,
                "usage contract uc-billing-2026 allows purposes [invoicing], but the run declared"
                    + " 'marketing'"),
            new Case(
                "no purpose declared",
                BILLING_ETL,
                "billing",
                null,
                null,
                Action.READ,
                "declared no purpose"),
            new Case(
                "usage contract expired",
                BILLING_ETL,
                "billing",
                "invoicing",
                "2027-01-01T00:00:00Z",
                Action.READ,
                "usage contract uc-billing-2026 expired at 2027-01-01T00:00:00Z"),
            new Case(
                "usage contract not yet valid",
                BILLING_ETL,
                "billing",
                "invoicing",
                "2025-12-31T23:00:00Z",
                Action.READ,
                "usage contract uc-billing-2026 is valid only from 2026-01-01T00:00:00Z"));
    try (Mesh mesh = mesh()) {
      publishCustomers(mesh);
      for (Case c : cases) {
        clock.set(Instant.parse(c.at() == null ? "2026-06-01T10:00:00Z" : c.at()));
        Action failedAt = null;
        String message = null;
        Action step = Action.RUN;
        try (Run run =
            mesh.start(
                product(dir.resolve(c.product() + ".yaml")),
                c.who(),
                c.purpose() == null ? RunOptions.defaults() : purpose(c.purpose()))) {
          if (c.product().equals("billing")) {
            step = Action.READ;
            try (Stream<Customer> s = run.input("customers", Customer.class).read()) {
              // The billing grant filters the restricted region; the analysts' grant does not.
              assertThat(s.count()).as(c.name()).isEqualTo(c.who().equals(BILLING_ETL) ? 2 : 3);
            }
            step = Action.WRITE;
            run.output("invoices", Invoice.class).write(new Invoice(1, 1, "x"));
          } else {
            step = Action.WRITE;
            run.output("customers", Customer.class).writeAll(customers());
          }
          step = Action.PUBLISH;
          run.commit();
        } catch (PolicyDeniedException e) {
          failedAt = step;
          message = e.getMessage();
        }
        assertThat(failedAt).as(c.name()).isEqualTo(c.deniedAt());
        if (c.reason() != null) {
          assertThat(message).as(c.name()).contains(c.reason()).contains(c.who().toString());
        }
      }
    }
  }

  @Test
  void aGovernanceRuleStopsThePublishAndNothingBecomesVisible() throws Exception {
    Path contract = dir.resolve("contracts/customers.odcs.yaml");
    Files.writeString(
        contract,
        Files.readString(contract)
            .replace("        description: Sales region.\n", "")
            .replace("status: active", "status: draft"));
    try (Mesh mesh = mesh()) {
      assertThatThrownBy(() -> publishCustomers(mesh))
          .isInstanceOf(PolicyDeniedException.class)
          .hasMessageContaining("Policy denied PUBLISH on port 'customers'")
          .hasMessageContaining("governance rule descriptions")
          .hasMessageContaining("columns without description: [region]")
          .hasMessageContaining("customers.odcs.yaml")
          .hasMessageContaining("governance rule active-contracts-only");
      assertThat(
              ((IcebergStore) mesh.store())
                  .catalog()
                  .tableExists(TableIdentifier.parse("sales.crm.customers")))
          .as("the table is created only by a publish")
          .isFalse();
    }
    try (Stream<Path> s = Files.walk(warehouse)) {
      assertThat(s.filter(p -> p.toString().endsWith(".parquet"))).isEmpty();
    }
  }

  @Test
  void governanceStaysInProcessWhenAnotherEngineDecidesAccess() throws Exception {
    // Stands for an OPA engine over the exported policy: it allows whatever it is asked.
    List<PolicyRequest> asked = new CopyOnWriteArrayList<>();
    PolicyEngine access =
        r -> {
          asked.add(r);
          return Decision.allow("central engine allows");
        };
    PolicyEngine engine = Policies.withGovernance(access, PolicySet.load(dir.resolve("policies")));
    assertThat(engine.describe()).contains("with governance (revision");
    try (Mesh mesh = mesh(engine)) {
      publishCustomers(mesh);
      assertThat(asked).extracting(PolicyRequest::action).contains(Action.RUN, Action.PUBLISH);
    }
    Path contract = dir.resolve("contracts/customers.odcs.yaml");
    Files.writeString(
        contract, Files.readString(contract).replace("        description: Sales region.\n", ""));
    asked.clear();
    try (Mesh mesh = mesh(engine)) {
      assertThatThrownBy(() -> publishCustomers(mesh))
          .isInstanceOf(PolicyDeniedException.class)
          .hasMessageContaining("governance rule descriptions")
          .hasMessageContaining("columns without description: [region]");
      assertThat(asked).extracting(PolicyRequest::action).doesNotContain(Action.PUBLISH);
    }
  }

  @Test
  void droppingAColumnNeedsANewMajorContractVersion() throws Exception {
    Path contract = dir.resolve("contracts/customers.odcs.yaml");
    String v1 = Files.readString(contract);
    String withoutRegion =
        v1.replace(
            "      - name: region\n        logicalType: string\n        description: Sales region.\n",
            "");
    try (Mesh mesh = mesh()) {
      publishCustomers(mesh);
      Files.writeString(contract, withoutRegion.replace("version: 1.0.0", "version: 1.1.0"));
      assertThatThrownBy(() -> publishWithoutRegion(mesh))
          .isInstanceOf(PolicyDeniedException.class)
          .hasMessageContaining("drops columns [region] that version 1.0.0 published")
          .hasMessageContaining("release it as 2.0.0");
      assertThat(rows(mesh, "sales.crm.customers")).hasSize(3);

      Files.writeString(contract, withoutRegion.replace("version: 1.0.0", "version: 2.0.0"));
      publishWithoutRegion(mesh);
      assertThat(rows(mesh, "sales.crm.customers")).hasSize(6);
    }
  }

  @Test
  void unmaskedPiiBlocksPublishUnlessThePortIsPrivate() throws Exception {
    PolicySet set =
        PolicySet.of(
            List.of(
                Grant.builder("etl")
                    .principals("service:crm-etl")
                    .actions(Action.RUN, Action.WRITE, Action.PUBLISH)
                    .build(),
                Grant.builder("everyone-reads").principals("*").actions(Action.READ).build()),
            List.of(),
            List.of(new GovernanceRule("pii", "pii-masked-or-private", null, null)),
            Map.of());
    try (Mesh mesh = mesh(new GrantsPolicyEngine(set, clock))) {
      assertThatThrownBy(() -> publishCustomers(mesh))
          .isInstanceOf(PolicyDeniedException.class)
          .hasMessageContaining("PII columns [email] are readable unmasked")
          .hasMessageContaining("visibility: private");
    }
    Path crm = dir.resolve("crm.yaml");
    Files.writeString(
        crm,
        Files.readString(crm)
            .replace(
                "    contractId: pol-customers\n",
                "    contractId: pol-customers\n"
                    + "    customProperties:\n"
                    + "      - property: visibility\n"
                    + "        value: private\n"));
    try (Mesh mesh = mesh(new GrantsPolicyEngine(set, clock))) {
      publishCustomers(mesh);
      assertThat(rows(mesh, "sales.crm.customers")).hasSize(3);
    }
  }

  private List<JsonNode> decisionLines() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(decisionLog)) {
      out.add(json.readTree(line));
    }
    return out;
  }
}
