package dev.meshwork.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.policy.ContractChanges.Impact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changes between contract versions, classified as the governance check and the command do. */
class ContractChangesTest {
  private static final String BASE =
      """
      apiVersion: v3.1.0
      kind: DataContract
      id: shop-orders
      version: 1.0.0
      status: active
      schema:
        - name: orders
          description: One row per order.
          quality:
            - id: enough
              metric: rowCount
              mustBeGreaterOrEqualTo: 10
          properties:
            - name: order_id
              logicalType: integer
              physicalType: int
              required: true
              primaryKey: true
            - name: day
              logicalType: date
              required: true
              partitioned: true
            - name: amount
              logicalType: number
              physicalType: decimal(10,2)
              required: true
              quality:
                - id: few-missing
                  metric: nullValues
                  mustBeLessOrEqualTo: 5
                  severity: warning
            - name: note
              logicalType: string
              description: Free text.
      """;

  @TempDir Path dir;

  private DataContract contract(String name, String yaml) throws IOException {
    Path f = dir.resolve(name + ".odcs.yaml");
    Files.writeString(f, yaml);
    return DataContract.load(f);
  }

  private ContractChanges changed(String... replacements) throws IOException {
    String yaml = BASE;
    for (int i = 0; i < replacements.length; i += 2) {
      assertThat(yaml).contains(replacements[i]);
      yaml = yaml.replace(replacements[i], replacements[i + 1]);
    }
    return ContractChanges.between(contract("old", BASE), contract("new", yaml));
  }

  @Test
  void eachKindOfChangeHasTheImpactConsumersFeel() throws IOException {
    assertThat(changed().changes()).isEmpty();
    assertThat(changed().versionProblem()).isEmpty();

    ContractChanges removed =
        changed(
            "      - name: note\n        logicalType: string\n        description: Free text.\n",
            "");
    assertThat(removed.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.impact()).isEqualTo(Impact.BREAKING);
              assertThat(c.describe()).isEqualTo("BREAKING  orders.note: column removed");
            });
    assertThat(removed.versionProblem())
        .hasValueSatisfying(
            p -> assertThat(p).contains("new major version: 1.0.0 -> 2.0.0", "says 1.0.0"));
    assertThat(
            changed(
                    "version: 1.0.0",
                    "version: 2.0.0",
                    "      - name: note\n        logicalType: string\n        description: Free text.\n",
                    "")
                .versionProblem())
        .isEmpty();

    assertThat(impacts(changed("physicalType: int", "physicalType: long")))
        .containsExactly(Impact.ADDITIVE);
    assertThat(impacts(changed("physicalType: decimal(10,2)", "physicalType: decimal(12,2)")))
        .containsExactly(Impact.ADDITIVE);
    assertThat(impacts(changed("physicalType: decimal(10,2)", "physicalType: decimal(10,3)")))
        .containsExactly(Impact.BREAKING);
    assertThat(impacts(changed("logicalType: date", "logicalType: string")))
        .containsExactly(Impact.BREAKING);
    assertThat(impacts(changed("name: note", "name: remark")))
        .as("a rename is a removal and an addition")
        .containsExactlyInAnyOrder(Impact.BREAKING, Impact.ADDITIVE);
    assertThat(
            impacts(
                changed(
                    "        description: Free text.\n",
                    "        description: Free text.\n      - name: channel\n"
                        + "        logicalType: string\n        required: true\n")))
        .as("a required column added: earlier rows lack it")
        .containsExactly(Impact.BREAKING);
    assertThat(
            impacts(
                changed(
                    "        description: Free text.\n",
                    "        description: Free text.\n      - name: channel\n"
                        + "        logicalType: string\n")))
        .containsExactly(Impact.ADDITIVE);
    assertThat(impacts(changed("        partitioned: true\n", "")))
        .containsExactly(Impact.BREAKING);
    assertThat(impacts(changed("        primaryKey: true\n", ""))).containsExactly(Impact.BREAKING);
    assertThat(impacts(changed("mustBeGreaterOrEqualTo: 10", "mustBeGreaterOrEqualTo: 20")))
        .as("a tightened rule")
        .containsExactly(Impact.BREAKING);
    assertThat(impacts(changed("mustBeGreaterOrEqualTo: 10", "mustBeGreaterOrEqualTo: 5")))
        .containsExactly(Impact.ADDITIVE);
    assertThat(impacts(changed("mustBeLessOrEqualTo: 5", "mustBeLessOrEqualTo: 1")))
        .containsExactly(Impact.BREAKING);
    assertThat(impacts(changed("severity: warning", "severity: error")))
        .containsExactly(Impact.BREAKING);
    ContractChanges text = changed("description: Free text.", "description: Anything.");
    assertThat(impacts(text)).containsExactly(Impact.COSMETIC);
    assertThat(text.versionProblem()).as("a patch asks for nothing").isEmpty();
    ContractChanges added =
        changed("logicalType: string\n", "logicalType: string\n        required: false\n");
    assertThat(added.changes()).isEmpty();
  }

  @Test
  void theGovernanceCheckSeesTheSameRemovedColumns() throws IOException {
    DataContract now = contract("now", BASE);
    assertThat(
            ContractChanges.removedColumns(
                java.util.List.of("order_id", "day", "gone", ""), now.schema().get(0)))
        .containsExactly("gone");
    assertThat(ContractChanges.major("v3.2.1")).isEqualTo(3);
    assertThat(ContractChanges.major("draft")).isZero();
  }

  private static java.util.List<Impact> impacts(ContractChanges c) {
    return c.changes().stream().map(ContractChanges.Change::impact).toList();
  }
}
