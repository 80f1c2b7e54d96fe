package dev.meshwork.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.DescriptorSchemas;
import dev.meshwork.core.model.SchemaFinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standards' own examples (copied as test resources) load, write back to an equal model, and
 * are held to their official JSON schema (counts printed); a contract that breaks its schema in
 * ways the loader lets pass is found at its lines, as a warning by default and as an error when
 * loading strictly.
 */
class OfficialExamplesTest {
  private static final Path EXAMPLES = Path.of("src/test/resources/standards");

  @TempDir Path dir;

  @Test
  void everyOfficialExampleLoadsRoundTripsAndMeetsItsSchema() throws IOException {
    List<String> report = new ArrayList<>();
    int loaded = 0;
    int rejected = 0;
    int differences = 0;
    int findings = 0;
    List<Path> files;
    try (Stream<Path> s = Files.walk(EXAMPLES)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path f : files) {
      try {
        Object model;
        Object again;
        if (f.toString().endsWith(".odps.yaml")) {
          DataProduct p = DataProduct.load(f);
          model = p;
          Path copy = dir.resolve(f.getFileName());
          Files.writeString(copy, p.toYaml());
          again = DataProduct.load(copy);
          // The source path differs by design; everything else must not.
          model = p.toYaml();
          again = ((DataProduct) again).toYaml();
        } else {
          DataContract c = DataContract.load(f);
          Path copy = dir.resolve(f.getFileName());
          Files.writeString(copy, c.toYaml());
          model = c.toYaml();
          again = DataContract.load(copy).toYaml();
        }
        loaded++;
        if (!model.equals(again)) {
          differences++;
          report.add(f.getFileName() + ": written back differently");
        }
      } catch (RuntimeException e) {
        rejected++;
        report.add(f.getFileName() + ": rejected: " + e.getMessage());
      }
      List<SchemaFinding> found = DescriptorSchemas.check(f);
      findings += found.size();
      found.forEach(x -> report.add(x.describe()));
    }
    String summary =
        files.size()
            + " official examples: "
            + loaded
            + " loaded, "
            + rejected
            + " rejected, "
            + differences
            + " round-trip differences, "
            + findings
            + " schema findings";
    System.out.println(summary + (report.isEmpty() ? "" : "\n" + String.join("\n", report)));
    assertThat(files).hasSize(5);
    // The one finding is real: the v3.0.2 example uses 3.1's `metric` on a library rule, and
    // v3.0.2's schema requires `rule` there.
    assertThat(summary)
        .isEqualTo(
            "5 official examples: 5 loaded, 0 rejected, 0 round-trip differences, 1 schema"
                + " findings");
    assertThat(report)
        .singleElement()
        .asString()
        .contains(
            "column-completeness.odcs.yaml:23:9: schema[0].properties[0].quality[0]: required"
                + " property 'rule' not found");
  }

  @Test
  void aContractThatBreaksItsSchemaIsFoundAtItsLinesAndRefusedWhenLoadingStrictly()
      throws IOException {
    Path contract =
        Files.writeString(
            dir.resolve("c1.odcs.yaml"),
            """
            apiVersion: v3.1.0
            kind: DataContract
            id: c1
            version: 1.0.0
            status: active
            schema:
              - name: t
                properties:
                  - name: x
                    logicalType: integer
                    description: 5
            unknownTopLevelField: 7
            """);
    Files.writeString(
        dir.resolve("product.yaml"),
        """
        apiVersion: v1.0.0
        kind: DataProduct
        id: p1
        name: p
        status: active
        outputPorts:
          - name: a
            version: 1.0.0
            contractId: c1
        """);

    List<SchemaFinding> found = DescriptorSchemas.check(contract);
    assertThat(found)
        .extracting(SchemaFinding::describe)
        .anySatisfy(d -> assertThat(d).startsWith(contract + ":11:").contains("description"))
        .anySatisfy(d -> assertThat(d).contains("unknownTopLevelField"));

    DataProduct lenient = DataProduct.load(dir.resolve("product.yaml"));
    assertThat(lenient.contract("c1")).isPresent();
    assertThat(
            org.assertj.core.api.Assertions.catchThrowableOfType(
                DescriptorException.class,
                () -> DataProduct.loader().strict().load(dir.resolve("product.yaml"))))
        .hasMessageContaining("break the official JSON schema (strict loading)")
        .hasMessageContaining("c1.odcs.yaml:11:");
  }
}
