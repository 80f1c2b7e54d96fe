package dev.meshwork.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.Principal;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.policy.internal.OpaDocuments;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy set exported for OPA's {@code meshwork/decision}. No OPA binary or other Rego engine
 * can be installed on these machines, so the Rego text is not evaluated here: the tests hold its
 * references to the input and data documents to what the SDK sends and exports, and follow its
 * rules over every request of a grid (principals × actions × products × ports × purposes × times)
 * against the built-in engine, which it must equal or, where it cannot follow, deny.
 */
class RegoExportTest {
  private static final Path RESOURCES = Path.of("src/test/resources/policy");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;

  private static List<DataProduct> products() {
    return List.of(
        DataProduct.load(RESOURCES.resolve("crm.yaml")),
        DataProduct.load(RESOURCES.resolve("billing.yaml")));
  }

  /**
   * The test resources' policies, with grants that a condition guards and a bare usage contract.
   */
  private static PolicySet policies() {
    PolicySet files = PolicySet.load(RESOURCES.resolve("policies"));
    List<Grant> grants = new ArrayList<>(files.grants());
    grants.add(
        Grant.builder("bob-reads-at-night")
            .principals("user:bob")
            .actions(Action.READ)
            .contracts("pol-customers")
            .condition("hour < 6")
            .mask(Grant.MaskRule.column("email", "null"))
            .build());
    grants.add(
        Grant.builder("bob-reads-customers")
            .principals("user:bob")
            .actions(Action.READ)
            .contracts("pol-customers")
            .build());
    grants.add(
        Grant.builder("anyone-runs-for-analytics")
            .principals("*")
            .actions(Action.RUN)
            .products("crm")
            .purposes("analytics")
            .build());
    List<UsageContract> usage = new ArrayList<>(files.usageContracts());
    usage.add(
        new UsageContract(
            "uc-carl",
            Set.of("user:carl"),
            Set.of("pol-customers"),
            Set.of(),
            null,
            null,
            List.of()));
    return PolicySet.of(grants, usage, files.governance(), files.groups());
  }

  @Test
  void theDataDocumentCarriesGrantsWithResolvedMasksAndWhatIsNotExported() throws IOException {
    RegoExport export = RegoExport.render(policies(), products());
    export.writeTo(out);
    assertThat(Files.readString(out.resolve("meshwork_decision.rego"))).isEqualTo(export.rego());
    JsonNode data = JSON.readTree(Files.readString(out.resolve("data.json")));
    assertThat(data).isEqualTo(JSON.valueToTree(export.data()));
    JsonNode set = data.at("/meshwork/access");
    assertThat(set.get("contracts"))
        .extracting(JsonNode::asText)
        .containsExactly("pol-customers", "pol-invoices");
    JsonNode billing = set.get("grants").get(2);
    assertThat(billing.get("id").asText()).isEqualTo("billing-reads-customers");
    assertThat(billing.get("masked").asBoolean()).isTrue();
    assertThat(billing.at("/masks/pol-customers").toString())
        .isEqualTo(
            "[{\"column\":\"email\",\"with\":\"hash\",\"length\":4,"
                + "\"scope\":\"grant:billing-reads-customers\"},"
                + "{\"column\":\"name\",\"with\":\"truncate\",\"length\":2,"
                + "\"scope\":\"grant:billing-reads-customers\"}]");
    assertThat(billing.get("rowFilter").asText()).isEqualTo("row.region != 'restricted-zone'");
    assertThat(set.get("grants").get(3).get("condition").asText())
        .isEqualTo("principal.kind == 'user'");
    // A date runs to its end.
    assertThat(set.at("/usageContracts/0/validUntil").asText()).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(set.at("/usageContracts/0/validUntilNs").asLong())
        .isEqualTo(Instant.parse("2027-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L);
    assertThat(set.at("/groups/analysts/0").asText()).isEqualTo("user:ana");
    assertThat(set.get("notExported"))
        .extracting(n -> n.get("governanceRule").asText())
        .containsExactly("descriptions", "ownership", "pii", "semver", "active-contracts-only");
  }

  @Test
  void theRegoReadsOnlyWhatTheEnginesSendAndTheExportWrites() {
    RegoExport export = RegoExport.render(policies(), products());
    String rego = export.rego();
    assertThat(rego).contains("package meshwork\n", "import rego.v1", "default decision := {");
    assertThat(RegoExport.DECISION).isEqualTo("meshwork/decision");
    RegoText.assertWellFormed(rego);
    RegoText.assertCallsDefined(rego);

    Map<String, Object> input =
        OpaDocuments.input(
            new PolicyRequest(
                Action.READ, Principal.user("ana"), products().get(1), "customers", "analytics"),
            Instant.EPOCH);
    assertThat(fields(rego, "input\\.(\\w+)")).isSubsetOf(input.keySet());
    assertThat(fields(rego, "input\\.principal\\.(\\w+)")).containsOnly("kind", "name", "groups");
    assertThat(fields(rego, "input\\.product\\.(\\w+)")).containsOnly("id", "name");
    assertThat(fields(rego, "data\\.([\\w.]+)")).containsOnly("meshwork.access");
    assertThat(input.get("timeNs")).isEqualTo(0L);
    assertThat(OpaDocuments.epochNanos(Instant.parse("2026-06-01T12:00:00.5Z")))
        .isEqualTo(1_780_315_200_500_000_000L);
    assertThat(OpaDocuments.epochNanos(Instant.parse("9999-12-31T00:00:00Z")))
        .isEqualTo(Long.MAX_VALUE);

    JsonNode set = JSON.valueToTree(export.data()).at("/meshwork/access");
    assertThat(fields(rego, "policies\\.(\\w+)")).isSubsetOf(names(set));
    assertThat(fields(rego, "(?:decisive|\\bg)\\.(\\w+)")).isSubsetOf(names(set.at("/grants/0")));
    assertThat(fields(rego, "\\buc\\.(\\w+)")).isSubsetOf(names(set.at("/usageContracts/0")));
    // Rules of package meshwork live beside the data under data.meshwork: none may be 'access'.
    assertThat(fields(rego, "(?m)^(\\w+)\\b")).doesNotContain("access");
  }

  @Test
  void decidesAsTheBuiltInEngineOrDeniesWhereItCannotFollow() {
    PolicySet policies = policies();
    List<DataProduct> products = products();
    Map<String, Integer> withProducts = compare(policies, products, products);
    // Without the products, grants with masks cannot be resolved and deny.
    Map<String, Integer> withoutProducts = compare(policies, products, List.of());

    assertThat(withProducts.get("same allow")).isGreaterThan(50);
    assertThat(withProducts.get("same deny")).isGreaterThan(500);
    assertThat(withProducts.get("denied: condition")).isPositive();
    assertThat(withProducts.get("denied: contract not exported")).isZero();
    assertThat(withoutProducts.get("denied: contract not exported")).isPositive();
    assertThat(withoutProducts.get("same allow")).isLessThan(withProducts.get("same allow"));
  }

  /**
   * Random policy sets (grants with every selector, purposes, conditions, masks by column,
   * classification and tag, row filters, terms; usage contracts with windows and purposes), each
   * asked 150 requests of the grid: the export decides as the built-in engine or denies.
   */
  @Property(tries = 150, seed = "20261207")
  void randomPolicySetsDecideAsTheBuiltInEngineOrDeny(@ForAll long seed) {
    Random r = new Random(seed);
    List<Grant> grants = new ArrayList<>();
    for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
      Grant.Builder g =
          Grant.builder("g" + i)
              .principals(
                  arr(some(r, 1, "user:ana", "user:bob", "service:crm-etl", "group:analysts", "*")))
              .actions(
                  some(r, 1, "RUN", "READ", "WRITE", "PUBLISH").stream()
                      .map(Action::valueOf)
                      .toArray(Action[]::new))
              .products(arr(some(r, 0, "crm", "pol-billing", "billing")))
              .ports(arr(some(r, 0, "customers", "invoices")))
              .contracts(arr(some(r, 0, "pol-customers", "pol-invoices", "*")))
              .purposes(arr(some(r, 0, "analytics", "invoicing")));
      if (r.nextInt(5) == 0) {
        g.condition("hour < 12");
      }
      for (String mask : some(r, 0, "class", "name", "email", "tag")) {
        g.mask(
            switch (mask) {
              case "class" -> Grant.MaskRule.classification("restricted", "hash");
              case "name" -> new Grant.MaskRule("name", null, null, "truncate", 2);
              case "email" -> Grant.MaskRule.column("email", "null");
              default -> new Grant.MaskRule(null, null, "pii", "redact", 4);
            });
      }
      if (r.nextInt(3) == 0) {
        g.rowFilter("row.region != 'restricted-zone'");
      }
      some(r, 0, "log-access").forEach(g::term);
      grants.add(g.build());
    }
    List<Instant> bounds =
        Arrays.asList(
            null, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-07-01T00:00:00Z"));
    List<UsageContract> usage = new ArrayList<>();
    for (int i = 0, n = r.nextInt(3); i < n; i++) {
      usage.add(
          new UsageContract(
              "uc" + i,
              Set.copyOf(
                  some(r, 1, "user:ana", "user:carl", "service:billing-etl", "group:analysts")),
              Set.copyOf(some(r, 1, "pol-customers", "pol-invoices")),
              Set.copyOf(some(r, 0, "analytics", "invoicing")),
              bounds.get(r.nextInt(bounds.size())),
              bounds.get(r.nextInt(bounds.size())),
              some(r, 0, "no-redistribution")));
    }
    PolicySet policies =
        PolicySet.of(grants, usage, List.of(), Map.of("analysts", Set.of("user:ana")));
    List<PolicyRequest> grid = new ArrayList<>(grid(products()));
    java.util.Collections.shuffle(grid, r);
    List<DataProduct> exported = r.nextInt(4) == 0 ? List.of() : products();
    decideAll(policies, exported, grid.subList(0, 150));
  }

  private static String[] arr(List<String> values) {
    return values.toArray(String[]::new);
  }

  /** A random subset of {@code values}, of at least {@code min}. */
  private static List<String> some(Random r, int min, String... values) {
    List<String> out = new ArrayList<>();
    do {
      out.clear();
      for (String v : values) {
        if (r.nextBoolean()) {
          out.add(v);
        }
      }
    } while (out.size() < min);
    return out;
  }

  /**
   * Every request of the grid to the built-in engine and to the exported policy (followed rule by
   * rule, as OPA would evaluate it, and read back through the SDK's result reader): counts of
   * agreements and of the export's deliberate denials; any other difference fails.
   */
  private static Map<String, Integer> compare(
      PolicySet policies, List<DataProduct> products, List<DataProduct> exported) {
    return decideAll(policies, exported, grid(products));
  }

  private static Map<String, Integer> decideAll(
      PolicySet policies, List<DataProduct> exported, List<PolicyRequest> requests) {
    GrantsPolicyEngine engine = new GrantsPolicyEngine(policies, Clock.systemUTC());
    JsonNode set =
        JSON.valueToTree(RegoExport.render(policies, exported).data()).at("/meshwork/access");
    Map<String, Integer> counts = new java.util.TreeMap<>();
    List.of("same allow", "same deny", "denied: condition", "denied: contract not exported")
        .forEach(k -> counts.put(k, 0));
    for (PolicyRequest r : requests) {
      Decision expected = engine.decide(r);
      JsonNode in = JSON.valueToTree(OpaDocuments.input(r, r.time()));
      Decision actual =
          OpaDocuments.decision(decide(in, set), "opa", "product:" + r.product().id());
      counts.merge(compare(r, expected, actual), 1, Integer::sum);
    }
    return counts;
  }

  /** Principals × actions × products × ports × purposes × times. */
  private static List<PolicyRequest> grid(List<DataProduct> products) {
    List<Principal> principals =
        List.of(
            Principal.service("crm-etl"),
            Principal.service("billing-etl"),
            Principal.user("ana"),
            Principal.user("bob"),
            Principal.user("carl"),
            Principal.user("eve"));
    List<Instant> times =
        List.of(
            Instant.parse("2025-06-01T00:00:00Z"),
            Instant.parse("2026-06-01T12:00:00Z"),
            Instant.parse("2026-07-01T03:00:00Z"),
            Instant.parse("2027-06-01T00:00:00Z"));
    List<PolicyRequest> out = new ArrayList<>();
    for (Principal who : principals) {
      for (Action action : List.of(Action.RUN, Action.READ, Action.WRITE, Action.PUBLISH)) {
        for (DataProduct product : products) {
          for (String port : Arrays.asList(null, "customers", "invoices")) {
            for (String purpose : Arrays.asList(null, "analytics", "invoicing")) {
              for (Instant time : times) {
                out.add(new PolicyRequest(action, who, product, port, purpose, time, null));
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static String compare(PolicyRequest r, Decision expected, Decision actual) {
    String where =
        r.action()
            + " "
            + r.principal()
            + " "
            + r.product().displayName()
            + " port "
            + r.port()
            + " purpose "
            + r.purpose()
            + " at "
            + r.time()
            + ": "
            + expected
            + " / "
            + actual;
    if (!actual.allowed()) {
      String reason = String.join(" ", actual.reasons());
      if (expected.allowed() && reason.contains("which this export does not evaluate")) {
        return "denied: condition";
      }
      if (expected.allowed() && reason.contains("export again with that product")) {
        return "denied: contract not exported";
      }
      assertThat(expected.allowed()).as(where).isFalse();
      return "same deny";
    }
    assertThat(expected.allowed()).as(where).isTrue();
    assertThat(obligations(actual, Decision.ColumnMask.class))
        .as(where)
        .containsExactlyInAnyOrderElementsOf(obligations(expected, Decision.ColumnMask.class));
    assertThat(
            obligations(actual, Decision.RowFilter.class).stream()
                .map(Decision.RowFilter::description)
                .toList())
        .as(where)
        .isEqualTo(
            obligations(expected, Decision.RowFilter.class).stream()
                .map(Decision.RowFilter::description)
                .toList());
    assertThat(obligations(actual, Decision.Term.class).stream().map(Decision.Term::detail))
        .as(where)
        .containsExactlyInAnyOrderElementsOf(
            obligations(expected, Decision.Term.class).stream()
                .map(
                    t ->
                        "expires-at".equals(t.kind())
                            ? t.detail().replace(": ", ": expires at ")
                            : t.detail())
                .toList());
    return "same allow";
  }

  private static <T> List<T> obligations(Decision d, Class<T> type) {
    return d.obligations().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /**
   * meshwork_decision.rego's rules in order, over the same documents: identities, grant selection,
   * usage contracts, then the else-chain of {@code decision}.
   */
  private static JsonNode decide(JsonNode in, JsonNode set) {
    String principal = in.at("/principal/kind").asText() + ":" + in.at("/principal/name").asText();
    Set<String> ids = new HashSet<>();
    ids.add(principal);
    in.at("/principal/groups").forEach(g -> ids.add("group:" + g.asText()));
    set.get("groups")
        .fields()
        .forEachRemaining(
            e -> {
              for (JsonNode m : e.getValue()) {
                if (m.asText().equals(principal)
                    || m.asText().equals(in.at("/principal/name").asText())) {
                  ids.add("group:" + e.getKey());
                }
              }
            });
    String action = in.get("action").asText();
    JsonNode port = in.get("port");
    JsonNode contract = in.get("contract");
    if (!"RUN".equals(action) && (port.isNull() || contract.isNull())) {
      return deny("malformed request");
    }
    JsonNode decisive = null;
    for (JsonNode g : set.get("grants")) {
      if (has(g.get("actions"), in.get("action"))
          && covers(g.get("principals"), ids)
          && selects(g.get("products"), in.at("/product/id"), in.at("/product/name"))
          && (port.isNull()
              || selects(g.get("ports"), port) && selects(g.get("contracts"), contract))
          && (g.get("purposes").isEmpty() || has(g.get("purposes"), in.get("purpose")))) {
        decisive = g;
        break;
      }
    }
    List<JsonNode> usage = new ArrayList<>();
    for (JsonNode uc : set.get("usageContracts")) {
      if ("READ".equals(action)
          && covers(uc.get("consumers"), ids)
          && has(uc.get("contracts"), contract)) {
        usage.add(uc);
      }
    }
    long now = in.get("timeNs").asLong();
    Set<String> denials = new TreeSet<>();
    Set<String> terms = new TreeSet<>();
    for (JsonNode uc : usage) {
      if (uc.has("validFromNs") && now < uc.get("validFromNs").asLong()) {
        denials.add("usage contract " + uc.get("id").asText() + " is valid only from");
      }
      if (uc.has("validUntilNs") && now >= uc.get("validUntilNs").asLong()) {
        denials.add("usage contract " + uc.get("id").asText() + " expired at");
      }
      if (!uc.get("purposes").isEmpty() && !has(uc.get("purposes"), in.get("purpose"))) {
        denials.add("usage contract " + uc.get("id").asText() + " allows purposes");
      }
      uc.get("terms").forEach(t -> terms.add(uc.get("id").asText() + ": " + t.asText()));
      if (uc.has("validUntil")) {
        terms.add(uc.get("id").asText() + ": expires at " + uc.get("validUntil").asText());
      }
    }
    if (!denials.isEmpty()) {
      return deny(String.join(", ", denials));
    }
    if (decisive != null && !decisive.get("condition").isNull()) {
      return deny("grant has a condition, which this export does not evaluate");
    }
    if (decisive != null
        && decisive.get("masked").asBoolean()
        && !contract.isNull()
        && !decisive.get("masks").has(contract.asText())) {
      return deny("export again with that product");
    }
    ObjectNode result = JSON.createObjectNode();
    if (decisive != null) {
      result.put("allow", true);
      result.putArray("reasons").add("grant " + decisive.get("id").asText());
      ArrayNode masks = result.putArray("masks");
      if (decisive.get("masked").asBoolean() && !contract.isNull()) {
        masks.addAll((ArrayNode) decisive.get("masks").get(contract.asText()));
      }
      result.set("rowFilter", decisive.get("rowFilter"));
      ArrayNode t = result.putArray("terms");
      terms.forEach(t::add);
      String grant = decisive.get("id").asText();
      decisive.get("terms").forEach(x -> t.add(grant + ": " + x.asText()));
      return result;
    }
    if (!usage.isEmpty()) {
      result.put("allow", true);
      result.putArray("reasons").add("usage contract");
      ArrayNode t = result.putArray("terms");
      terms.forEach(t::add);
      return result;
    }
    return deny("no grant allows");
  }

  private static JsonNode deny(String reason) {
    ObjectNode result = JSON.createObjectNode();
    result.put("allow", false);
    result.putArray("reasons").add(reason);
    return result;
  }

  /** Rego's {@code value in array}: null is in no array of strings. */
  private static boolean has(JsonNode array, JsonNode value) {
    for (JsonNode v : array) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean covers(JsonNode patterns, Set<String> ids) {
    for (JsonNode p : patterns) {
      if ("*".equals(p.asText()) || ids.contains(p.asText())) {
        return true;
      }
    }
    return false;
  }

  private static boolean selects(JsonNode selector, JsonNode... values) {
    if (selector.isEmpty() || has(selector, JSON.getNodeFactory().textNode("*"))) {
      return true;
    }
    for (JsonNode v : values) {
      if (has(selector, v)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> fields(String text, String regex) {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile(regex).matcher(text.replaceAll("(?m)^\\s*#.*$", ""));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static Set<String> names(JsonNode object) {
    Set<String> out = new TreeSet<>();
    Iterator<String> it = object.fieldNames();
    it.forEachRemaining(out::add);
    return out;
  }
}
