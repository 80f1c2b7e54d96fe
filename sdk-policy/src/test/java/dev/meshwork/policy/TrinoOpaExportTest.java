package dev.meshwork.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.policy.internal.CelToSql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Trino export: the data document and the Rego text's structure (no OPA binary runs here to
 * evaluate it).
 */
class TrinoOpaExportTest {
  private static final Path RESOURCES = Path.of("src/test/resources/policy");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;

  private static TrinoOpaExport export() {
    return TrinoOpaExport.render(
        PolicySet.load(RESOURCES.resolve("policies")),
        List.of(
            DataProduct.load(RESOURCES.resolve("crm.yaml")),
            DataProduct.load(RESOURCES.resolve("billing.yaml"))),
        "lakehouse");
  }

  @Test
  void readGrantsBecomeTrinoTablesMasksAndRowFilters() throws IOException {
    TrinoOpaExport export = export();
    export.writeTo(out);
    JsonNode data = JSON.readTree(Files.readString(out.resolve("data.json")));
    JsonNode rendered = JSON.valueToTree(export.data());
    assertThat(rendered).isEqualTo(data);
    JsonNode m = data.get("meshwork");
    assertThat(m.get("catalog").asText()).isEqualTo("lakehouse");
    assertThat(m.get("revision").asText()).hasSize(12);
    assertThat(m.get("tables").get("sales.crm.customers").get("contract").asText())
        .isEqualTo("pol-customers");
    assertThat(m.get("tables").has("sales.billing.invoices")).isTrue();

    assertThat(m.get("grants")).hasSize(1);
    JsonNode g = m.get("grants").get(0);
    assertThat(g.get("id").asText()).isEqualTo("billing-reads-customers");
    assertThat(g.get("principals").get(0).asText()).isEqualTo("service:billing-etl");
    assertThat(g.get("tables")).extracting(JsonNode::asText).containsExactly("sales.crm.customers");
    JsonNode masks = g.get("masks").get("sales.crm.customers");
    assertThat(masks.get("email").get("kind").asText()).isEqualTo("hash");
    // Rendered without the mask key, a hash cannot match the SDK's: Trino readers get NULL.
    assertThat(masks.get("email").get("sql").size()).isZero();
    assertThat(masks.get("email").get("note").asText()).contains("need the mesh's mask key");
    assertThat(masks.get("name").get("sql").get("varchar").asText())
        .isEqualTo("substr(\"name\", 1, 2)");
    assertThat(g.get("rowFilter").asText()).isEqualTo("\"region\" <> 'restricted-zone'");

    assertThat(m.get("skipped")).hasSize(1);
    assertThat(m.get("skipped").get(0).get("grant").asText()).isEqualTo("analysts-read-customers");
    assertThat(m.get("skipped").get(0).get("reason").asText())
        .contains("requires purposes [analytics]");
    JsonNode uc = m.get("usageContracts").get(0);
    assertThat(uc.get("purposes")).extracting(JsonNode::asText).containsExactly("invoicing");
    assertThat(uc.get("validUntil").asText()).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(m.get("groups").get("analysts"))
        .extracting(JsonNode::asText)
        .containsExactly("user:ana");
    assertThat(Files.readString(out.resolve("meshwork_trino.rego"))).isEqualTo(export.rego());
  }

  @Test
  void theRegoAnswersTrinosThreeQueriesAndOnlyReadsExportedData() throws IOException {
    TrinoOpaExport export = export();
    String rego = export.rego();
    List<String> lines = rego.lines().filter(l -> !l.startsWith("#")).toList();
    assertThat(lines.get(0)).isEqualTo("package meshwork.trino");
    assertThat(rego).contains("import rego.v1").contains("default allow := false");
    // The rule names Trino's documented URIs point at, with the result shapes Trino expects.
    assertThat(rego)
        .contains("opa.policy.uri=http://opa:8181/v1/data/meshwork/trino/allow")
        .contains("opa.policy.row-filters-uri=http://opa:8181/v1/data/meshwork/trino/rowFilters")
        .contains("opa.policy.column-masking-uri=http://opa:8181/v1/data/meshwork/trino/columnMask")
        .containsPattern("(?m)^allow if \\{")
        .containsPattern("(?m)^columnMask := \\{\"expression\": expression\\} if \\{")
        .containsPattern("(?m)^rowFilters contains \\{\"expression\": filter\\} if \\{")
        .contains("input.action.operation == \"GetColumnMask\"")
        .contains("input.action.operation == \"GetRowFilters\"")
        .contains("input.context.identity");
    // Every data.meshwork.X the policy reads is in the exported document.
    Set<String> referenced = new LinkedHashSet<>();
    Matcher m = Pattern.compile("data\\.meshwork\\.([A-Za-z]+)").matcher(rego);
    while (m.find()) {
      referenced.add(m.group(1));
    }
    JsonNode meshwork = JSON.valueToTree(export.data()).get("meshwork");
    List<String> keys = new ArrayList<>();
    meshwork.fieldNames().forEachRemaining(keys::add);
    assertThat(referenced).isNotEmpty();
    assertThat(keys).containsAll(referenced);
    RegoText.assertWellFormed(rego);
    RegoText.assertCallsDefined(rego);
  }

  @Test
  void onlyTheSharedSubsetOfCelBecomesSql() {
    assertThat(CelToSql.translate("row.region != 'restricted-zone'"))
        .hasValue("\"region\" <> 'restricted-zone'");
    assertThat(CelToSql.translate("row.amount >= 10 && (row.country == \"DE\" || !row.vip)"))
        .hasValue("\"amount\" >= 10 AND (\"country\" = 'DE' OR NOT \"vip\")");
    assertThat(CelToSql.translate("row.note == 'it''s'")).isEmpty();
    assertThat(CelToSql.translate("row.owner == 'o''brien'")).isEmpty();
    assertThat(CelToSql.translate("row.email != null")).hasValue("\"email\" IS NOT NULL");
    assertThat(CelToSql.translate("row.name == 'a''b'")).isEmpty();
    assertThat(CelToSql.translate("row.email.endsWith('@example.com')"))
        .isEqualTo(Optional.empty());
    assertThat(CelToSql.translate("size(row.tags) > 2")).isEmpty();
    assertThat(CelToSql.translate("row.region in ['a', 'b']")).isEmpty();
    assertThat(CelToSql.translate("")).isEmpty();
  }

  @Test
  void grantsTrinoCannotCheckKeepTheirReadersOutWithTheReason() {
    PolicySet set =
        PolicySet.of(
            List.of(
                Grant.builder("hours")
                    .principals("*")
                    .actions(dev.meshwork.spi.Action.READ)
                    .condition("hour < 18")
                    .build(),
                Grant.builder("fancy-filter")
                    .principals("*")
                    .actions(dev.meshwork.spi.Action.READ)
                    .rowFilter("row.email.endsWith('@example.com')")
                    .build(),
                Grant.builder("everyone")
                    .principals("*")
                    .actions(dev.meshwork.spi.Action.READ)
                    .build()),
            List.of(),
            List.of(),
            java.util.Map.of());
    JsonNode m =
        JSON.valueToTree(
                TrinoOpaExport.render(
                        set, List.of(DataProduct.load(RESOURCES.resolve("crm.yaml"))), "lh")
                    .data())
            .get("meshwork");
    // Both still decide where they apply, as barriers without masks or row filter: a later grant
    // must not decide for their readers (the SDK might have masked or filtered for them).
    assertThat(m.get("grants"))
        .extracting(g -> g.get("id").asText())
        .containsExactly("hours", "fancy-filter", "everyone");
    for (int i = 0; i < 2; i++) {
      JsonNode g = m.get("grants").get(i);
      assertThat(g.get("barrier").asText()).isNotBlank();
      assertThat(g.get("tables"))
          .extracting(JsonNode::asText)
          .containsExactly("sales.crm.customers");
      assertThat(g.get("masks")).isEmpty();
      assertThat(g.has("rowFilter")).isFalse();
    }
    assertThat(m.get("grants").get(2).has("barrier")).isFalse();
    assertThat(m.get("skipped"))
        .extracting(s -> s.get("reason").asText())
        .anyMatch(r -> r.contains("CEL condition (hour < 18)"))
        .anyMatch(r -> r.contains("uses more than comparisons"));
  }
}
