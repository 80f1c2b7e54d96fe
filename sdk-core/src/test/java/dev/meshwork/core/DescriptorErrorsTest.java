package dev.meshwork.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshwork.core.model.Comparison;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.QualityRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorErrorsTest {
  private static final String PRODUCT =
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
        - name: b
          version: 1.0.0
          contractId: abc
      """;

  private static final String CONTRACT =
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
      """;

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  @Test
  void aFileOfTheOtherKindAnOlderStandardOrTwoDocumentsIsNamedForWhatItIs() throws IOException {
    Path product = write("p.yaml", PRODUCT);
    assertThatThrownBy(() -> DataContract.load(product))
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining("p.yaml:2:7")
        .hasMessageContaining("This is a data product (kind: DataProduct), not a contract")
        .hasMessageContaining("DataProduct.load");
    Path contract = write("c.yaml", CONTRACT);
    assertThatThrownBy(() -> DataProduct.load(contract))
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining("c.yaml:2:7")
        .hasMessageContaining("This is a data contract, not a data product");
    Path spec =
        write(
            "spec.yaml",
            """
            dataContractSpecification: 1.1.0
            id: orders
            info: {title: Orders, version: 1.0.0}
            models: {orders: {fields: {id: {type: long}}}}
            """);
    assertThatThrownBy(() -> DataContract.load(spec))
        .hasMessageContaining("spec.yaml:1:28")
        .hasMessageContaining("Data Contract Specification file (dataContractSpecification: 1.1.0)")
        .hasMessageContaining("datacontract export --format odcs");
    Path v2 =
        write(
            "v2.yaml",
            """
            apiVersion: v2.2.2
            kind: DataContract
            uuid: 53581432-6c55-4ba2-a65f-72344a91553a
            datasetName: orders
            """);
    assertThatThrownBy(() -> DataContract.load(v2))
        .hasMessageContaining("v2.yaml:1:13")
        .hasMessageContaining("This is an ODCS v2 contract: convert it to v3");
    Path v2NoVersion = write("v2b.yaml", "kind: DataContract\nuuid: x\ndatasetName: orders\n");
    assertThatThrownBy(() -> DataContract.load(v2NoVersion))
        .hasMessageContaining("v2b.yaml:3:14")
        .hasMessageContaining("looks like an ODCS v2 contract");
    Path two = write("two.yaml", CONTRACT + "---\n" + CONTRACT);
    assertThatThrownBy(() -> DataContract.load(two))
        .hasMessageContaining("two.yaml:11:1")
        .hasMessageContaining("more than one YAML document (the second starts here, after '---')");
  }

  @Test
  void customPropertiesWithAnIdAsOdcsV31AllowsLoadAndKeepIt() throws IOException {
    Path c =
        write(
            "cp.yaml",
            CONTRACT + "customProperties:\n  - id: cp-1\n    property: owner\n    value: team-a\n");
    DataContract loaded = DataContract.load(c);
    assertThat(loaded.customProperties())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo("cp-1");
              assertThat(p.value()).isEqualTo("team-a");
            });
    assertThat(loaded.toYaml()).contains("id: cp-1");
  }

  /**
   * A product loads without a contract found nowhere; what is missing names the port's line and
   * column, every place actually searched (folders given to the loader and sources included) and
   * the known ids. A source that has the contract completes the product.
   */
  @Test
  void aProductLoadsWithoutAContractFoundNowhereAndSaysWhereItLooked() throws IOException {
    write("contracts/c1.yaml", CONTRACT);
    Path product = write("product.yaml", PRODUCT);
    Path elsewhere = Files.createDirectories(dir.resolve("registry-export"));
    DataProduct loaded =
        DataProduct.loader()
            .contractsFrom(elsewhere)
            .contractSource(
                dev.meshwork.core.model.ContractSource.of(java.util.List.of(), "the team registry"))
            .load(product);

    assertThat(loaded.contract("c1")).isPresent();
    assertThat(loaded.contract("abc")).isEmpty();
    assertThat(loaded.missingContracts())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.contractId()).isEqualTo("abc");
              assertThat(m.port()).isEqualTo("b");
              assertThat(m.file()).isEqualTo(product.toAbsolutePath());
              assertThat(m.line()).isEqualTo(12);
              assertThat(m.column()).isEqualTo(17);
              assertThat(m.describe())
                  .contains(
                      "product.yaml:12:17: outputPorts[1].contractId 'abc' matches no contract in")
                  .contains(dir.resolve("contracts").toString())
                  .contains(elsewhere.toString())
                  .contains("the team registry")
                  .contains("known contract ids: c1");
            });

    Path abc = write("elsewhere/abc.yaml", CONTRACT.replace("id: c1", "id: abc"));
    DataProduct complete =
        DataProduct.loader()
            .contractSource(
                dev.meshwork.core.model.ContractSource.of(
                    java.util.List.of(DataContract.load(abc)), "a test source"))
            .load(product);
    assertThat(complete.missingContracts()).isEmpty();
    assertThat(complete.contract("abc")).isPresent();
  }

  @Test
  void malformedYamlReportsLineAndColumn() throws IOException {
    Path p =
        write(
            "bad.yaml",
            "apiVersion: v3.1.0\nkind: DataContract\nschema:\n  - name: t\n   properties: [\n");
    DescriptorException e =
        catchThrowableOfType(DescriptorException.class, () -> DataContract.load(p));
    assertThat(e.line()).isEqualTo(5);
    assertThat(e).hasMessageContaining("bad.yaml:5:").hasMessageContaining("Malformed YAML");
  }

  @Test
  void aValueOfTheWrongKindNamesItsPath() throws IOException {
    Path p =
        write(
            "c.yaml",
            CONTRACT.replace(
                "logicalType: integer", "logicalType: integer\n        required: maybe"));
    assertThatThrownBy(() -> DataContract.load(p))
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining(
            "c.yaml:11:19: schema[0].properties[0].required must be true or false, but is 'maybe'");
  }

  @Test
  void anUnknownLogicalTypeListsTheAllowedOnes() throws IOException {
    Path p = write("c.yaml", CONTRACT.replace("logicalType: integer", "logicalType: bigint"));
    assertThatThrownBy(() -> DataContract.load(p))
        .hasMessageContaining(
            "c.yaml:10:22: schema[0].properties[0].logicalType 'bigint' is not an ODCS logical type")
        .hasMessageContaining(
            "use one of string, date, timestamp, time, number, integer, object, array, boolean");
  }

  @Test
  void missingRequiredFieldsAndWrongKindsAreNamed() throws IOException {
    Path noId = write("c1.yaml", CONTRACT.replace("id: c1\n", ""));
    assertThatThrownBy(() -> DataContract.load(noId))
        .hasMessageContaining("Missing required field id");
    Path product = write("p.yaml", CONTRACT);
    assertThatThrownBy(() -> DataProduct.load(product))
        .hasMessageContaining("p.yaml:2:7: This is a data contract, not a data product");
    Path v2 = write("v2.yaml", CONTRACT.replace("v3.1.0", "v2.2.2"));
    assertThatThrownBy(() -> DataContract.load(v2))
        .hasMessageContaining("This is an ODCS v2 contract: convert it to v3");
  }

  @Test
  void duplicateKeysAndDuplicatePortNamesAreRejected() throws IOException {
    Path dup = write("d.yaml", CONTRACT + "status: draft\n");
    assertThatThrownBy(() -> DataContract.load(dup))
        .hasMessageContaining("d.yaml:11:1: Duplicate key 'status'");
    write("contracts/c1.yaml", CONTRACT);
    Path product =
        write(
            "p2.yaml",
            PRODUCT.replace("name: b", "name: a").replace("contractId: abc", "contractId: c1"));
    assertThatThrownBy(() -> DataProduct.load(product))
        .hasMessageContaining(
            "p2.yaml:11:14: outputPorts[1].version: output port 'a' version 1.0.0 is"
                + " declared a second time (first as outputPorts[0].version)");
  }

  /**
   * ODPS lists a port's versions as entries of one name: input ports may; a read takes the highest
   * or the one {@code name@version} names; a version listed twice is refused at its own line; an
   * output port has one entry per major version (each a table of its own: the lowest major keeps
   * the port's name, the others are stored as {@code <name>_v<major>}).
   */
  @Test
  void inputPortsListedInSeveralVersionsAreAcceptedAndChosenByVersion() throws IOException {
    write("contracts/c1.yaml", CONTRACT);
    write("contracts/c2.yaml", CONTRACT.replace("id: c1", "id: c2"));
    String versions =
        """
        apiVersion: v1.0.0
        kind: DataProduct
        id: p3
        name: p
        status: active
        inputPorts:
          - name: payments
            version: 1.9.2
            contractId: c1
          - name: payments
            version: 1.10.0
            contractId: c2
          - name: payments
            version: 2.0.0-rc1
            contractId: c2
        """;
    DataProduct p = DataProduct.load(write("p3.yaml", versions));
    assertThat(p.inputPort("payments").version()).isEqualTo("1.10.0");
    assertThat(p.inputPort("payments").contractId()).isEqualTo("c2");
    assertThat(p.inputPort("payments@1.9.2").contractId()).isEqualTo("c1");
    assertThatThrownBy(() -> p.inputPort("payments@3.0.0"))
        .isInstanceOf(UnknownPortException.class)
        .hasMessageContaining("in versions [1.9.2, 1.10.0, 2.0.0-rc1], not 3.0.0");

    Path twice = write("p4.yaml", versions.replace("2.0.0-rc1", "1.9.2"));
    assertThatThrownBy(() -> DataProduct.load(twice))
        .hasMessageContaining(
            "p4.yaml:14:14: inputPorts[2].version: input port 'payments' version"
                + " 1.9.2 is declared a second time (first as inputPorts[0].version)");

    Path outputs =
        write(
            "p5.yaml",
            PRODUCT
                .replace("name: b", "name: a")
                .replace("contractId: abc", "contractId: c1")
                .replace(
                    "name: a\n    version: 1.0.0\n    contractId: c1\n  - name: a\n    version: 1.0.0",
                    "name: a\n    version: 1.0.0\n    contractId: c1\n  - name: a\n    version: 2.0.0"));
    DataProduct two = DataProduct.load(outputs);
    assertThat(two.outputPorts().stream().map(two::outputKey)).containsExactly("a", "a_v2");
    assertThat(two.outputPortByKey("a").version()).isEqualTo("1.0.0");
    assertThat(two.outputPort("a").version()).isEqualTo("2.0.0");
    assertThatThrownBy(() -> two.outputPort("a@3.0.0"))
        .isInstanceOf(UnknownPortException.class)
        .hasMessageContaining("in versions [1.0.0, 2.0.0], not 3.0.0");

    Path oneMajor = write("p6.yaml", Files.readString(outputs).replace("2.0.0", "1.1.0"));
    assertThatThrownBy(() -> DataProduct.load(oneMajor))
        .hasMessageContaining(
            "p6.yaml:11:14: outputPorts[1].version: output port 'a' lists versions 1.0.0 and"
                + " 1.1.0 of one major version")
        .hasMessageContaining("Keep the current 1.x entry.");
    Path clash =
        write(
            "p7.yaml",
            Files.readString(outputs) + "  - name: a_v2\n    version: 1.0.0\n    contractId: c1\n");
    assertThatThrownBy(() -> DataProduct.load(clash))
        .hasMessageContaining(
            "p7.yaml:13:11: Output ports 'a' version 2.0.0 (stored as a_v2) and 'a_v2' would both"
                + " be stored as table 'a_v2'");
  }

  @Test
  void outputPortsStoredAsMeshworksOwnTablesOrAsEachOtherAreRejectedAtTheirName()
      throws IOException {
    write("contracts/c1.yaml", CONTRACT);
    String product = PRODUCT.replace("contractId: abc", "contractId: c1");
    Path metrics = write("m.yaml", product.replace("name: b", "name: Quality-Metrics"));
    assertThatThrownBy(() -> DataProduct.load(metrics))
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining(
            "m.yaml:10:11: Output port 'Quality-Metrics' would be stored as table")
        .hasMessageContaining("'quality_metrics', the table of the product's quality metrics")
        .hasMessageContaining("rename the port");
    Path quarantine = write("q.yaml", product.replace("name: b", "name: a__quarantine"));
    assertThatThrownBy(() -> DataProduct.load(quarantine))
        .hasMessageContaining("q.yaml:10:11: Output port 'a__quarantine'")
        .hasMessageContaining("a name ending in '__quarantine', the suffix of quarantine tables");
    Path clash = write("c.yaml", product.replace("name: b", "name: A"));
    assertThatThrownBy(() -> DataProduct.load(clash))
        .hasMessageContaining(
            "c.yaml:10:11: Output ports 'a' and 'A' would both be stored as table 'a'");
  }

  @Test
  void qualityRulesKeepEveryComparisonAndRefuseMalformedOnes() throws IOException {
    String rule =
        CONTRACT.replace(
            "logicalType: integer",
            "logicalType: integer\n        quality:\n          - metric: nullValues\n            mustBe: 0\n            mustBeLessThan: 2");
    // ODCS 3.0 allows several comparisons: the first is the rule's, the others are kept and
    // written back, and the quality gate checks each of them.
    DataContract two = DataContract.load(write("q.yaml", rule));
    QualityRule q = two.schema().get(0).properties().get(0).quality().get(0);
    assertThat(q.comparison()).isEqualTo(new Comparison(Comparison.Operator.MUST_BE, 0L));
    assertThat(q.extensions()).containsEntry("mustBeLessThan", 2L);
    assertThat(two.toYaml()).contains("mustBe: 0\n            mustBeLessThan: 2");
    String range =
        rule.replace("            mustBe: 0\n", "")
            .replace("mustBeLessThan: 2", "mustBeBetween: [1]");
    assertThatThrownBy(() -> DataContract.load(write("r.yaml", range)))
        .hasMessageContaining("mustBeBetween must be a list of two numbers");
  }

  @Test
  void emptyAndMissingFilesSaySo() throws IOException {
    assertThatThrownBy(() -> DataContract.load(write("empty.yaml", "")))
        .hasMessageContaining("empty.yaml: The descriptor is empty");
    assertThatThrownBy(() -> DataProduct.load(dir.resolve("nope.yaml")))
        .hasMessageContaining("nope.yaml: Cannot read descriptor: the file does not exist.");
    assertThatThrownBy(() -> DataContract.load(write("list.yaml", "- a\n- b\n")))
        .hasMessageContaining("list.yaml:1:1: Expected a YAML mapping");
  }

  /** A chain of {@code levels} anchors, each a list of {@code branching} aliases of the last. */
  private static String aliasChain(int levels, int branching) {
    StringBuilder b = new StringBuilder("x0: &a0 [lol]\n");
    for (int i = 1; i <= levels; i++) {
      b.append("x").append(i).append(": &a").append(i).append(" [");
      for (int k = 0; k < branching; k++) {
        b.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      b.append("]\n");
    }
    return b.toString();
  }

  @Test
  void anAliasBombIsADescriptorErrorNotAnOutOfMemoryError() throws IOException {
    // 48 aliases, 2 per level, 24 levels: 600 bytes standing for 2^24 values.
    String bomb = aliasChain(24, 2);
    assertThat(bomb.length()).isLessThan(700);
    Path p = write("bomb.yaml", CONTRACT + "extra:\n" + bomb.indent(2));
    assertThatThrownBy(() -> DataContract.load(p))
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining("bomb.yaml")
        .hasMessageContaining("its aliases expand to more than 1000000 values");
    // A few aliases, as people use them, still load.
    Path fine = write("fine.yaml", CONTRACT + "extra:\n" + aliasChain(4, 2).indent(2));
    assertThat(DataContract.load(fine).id()).isEqualTo("c1");
  }

  @Test
  void aFileOverTheSizeLimitSaysItsSizeTheLimitAndHowToRaiseIt() throws IOException {
    int limit = 3 * 1024 * 1024;
    Path big = write("big.yaml", CONTRACT + "notes: '" + "x".repeat(limit) + "'\n");
    assertThatThrownBy(() -> DataContract.load(big))
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining("big.yaml")
        .hasMessageContaining(
            "the file has "
                + (CONTRACT.length() + limit + 10)
                + " code points, more than the limit"
                + " of "
                + limit)
        .hasMessageContaining("-Dmeshwork.yaml.max-code-points=N");
  }

  @Property(tries = 60, seed = "20261203")
  void noFewKilobyteFileOfAliasesTakesUnboundedTimeOrMemory(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 49) int levels,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 4) int branching,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 2) int where)
      throws IOException {
    String chain = aliasChain(Math.min(levels, 49 / branching), branching);
    String text =
        switch (where) {
          case 0 -> CONTRACT + "extra:\n" + chain.indent(2);
          case 1 ->
              CONTRACT.replace(
                      "logicalType: integer",
                      "logicalType: integer\n              examples: *a"
                          + Math.min(levels, 49 / branching))
                  + chain;
          default -> chain + CONTRACT;
        };
    // jqwik does not inject @TempDir into properties.
    Path p = Files.createTempFile("aliases", ".yaml");
    p.toFile().deleteOnExit();
    Files.writeString(p, text);
    // A liveness bound, not a speed claim: a bomb used to take 19 s and then run out of memory.
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(20),
        () -> {
          try {
            DataContract.load(p);
          } catch (DescriptorException e) {
            assertThat(e.file()).isEqualTo(p);
          }
        });
  }

  @Property(tries = 300, seed = "20261122")
  void anyTextEitherLoadsOrFailsWithADescriptorError(@ForAll @StringLength(max = 200) String text)
      throws IOException {
    Path p = Files.createTempFile("fuzz", ".yaml");
    try {
      Files.writeString(p, CONTRACT.substring(0, CONTRACT.length() / 2) + text);
      try {
        DataContract.load(p);
      } catch (DescriptorException e) {
        assertThat(e.file()).isEqualTo(p);
        assertThat(e.line()).isBetween(0, 400);
      }
    } finally {
      Files.delete(p);
    }
  }
}
