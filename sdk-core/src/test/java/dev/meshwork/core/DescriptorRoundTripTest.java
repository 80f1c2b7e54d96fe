package dev.meshwork.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.model.Comparison;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.QualityRule;
import dev.meshwork.core.model.SchemaObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Loading and writing back keeps what the author wrote, and writes edits in the same layout. */
class DescriptorRoundTripTest {
  /** A contract written the way people write them: comments, own order, defaults spelled out. */
  static final String AUTHORED =
      """
      # Orders of the shop, as agreed with finance.
      kind: DataContract
      apiVersion: v3.1.0
      id: orders
      version: 1.0   # a float, as some authors write it
      status: active
      name: orders
      contractCreatedTs: 2024-03-01T10:00:00Z
      tags: []
      schema:
        - name: orders
          logicalType: object
          properties:
            # the business key
            - name: order_id
              logicalType: string
              required: true
              unique: false
              primaryKey: true
              primaryKeyPosition: 1
              partitioned: false
              partitionKeyPosition: -1
            - name: amount
              logicalType: number
              quality:
                - metric: nullValues
                  mustBeLessThanOrEqualTo: 0.0
                - type: library
                  metric: invalidValues
                  arguments: {validValues: [1, 2.50, 1e3]}
                  mustBe: 0
      customProperties:
        - id: cp-1
          property: refreshInterval
          value: 'daily'
      team:
        - username: ada
          role: owner
          dateIn: 2023-01-01
      """;

  @Test
  void aContractWrittenBackKeepsOrderCommentsSpellingDefaultsDatesAndNumbers(@TempDir Path dir)
      throws IOException {
    Path file = Files.writeString(dir.resolve("orders.yaml"), AUTHORED);
    DataContract c = DataContract.load(file);
    String written = c.toYaml();

    assertThat(written)
        .contains("# Orders of the shop, as agreed with finance.")
        .contains("# the business key")
        .contains("# a float, as some authors write it")
        .contains("mustBeLessThanOrEqualTo: 0.0")
        .contains("unique: false")
        .contains("partitionKeyPosition: -1")
        .contains("tags: []")
        .contains("contractCreatedTs: 2024-03-01T10:00:00Z")
        .contains("dateIn: 2023-01-01")
        .contains("version: 1.0")
        .contains("[1, 2.50, 1e3]")
        .contains("value: 'daily'");
    assertThat(keys(written)).isEqualTo(keys(AUTHORED));

    Path again = Files.writeString(dir.resolve("again.yaml"), written);
    assertThat(withoutSource(DataContract.load(again))).isEqualTo(withoutSource(c));
    assertThat(DataContract.load(again).toYaml()).isEqualTo(written);
  }

  @Test
  void anEditIsWrittenInTheAuthorsLayoutAndTheRestIsKept(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("orders.yaml"), AUTHORED);
    DataContract c = DataContract.load(file);
    SchemaObject orders = c.schema().get(0);
    var amount = orders.property("amount").orElseThrow();
    List<QualityRule> rules = new ArrayList<>(amount.quality());
    QualityRule first = rules.get(0);
    rules.set(
        0,
        new QualityRule(
            first.id(),
            first.name(),
            "no more than two missing amounts",
            first.type(),
            first.metric(),
            first.arguments(),
            new Comparison(Comparison.Operator.MUST_BE_LESS_OR_EQUAL_TO, 2L),
            first.unit(),
            first.severity(),
            first.dimension(),
            first.businessImpact(),
            first.method(),
            first.schedule(),
            first.scheduler(),
            first.query(),
            first.engine(),
            first.implementation(),
            first.tags(),
            first.authoritativeDefinitions(),
            first.customProperties(),
            first.extensions()));
    DataContract edited = replaceRules(c, rules);

    String written = edited.toYaml();

    assertThat(written)
        .contains("mustBeLessThanOrEqualTo: 2")
        .contains("description: no more than two missing amounts")
        .contains("# the business key")
        .contains("unique: false");
    Path again = Files.writeString(dir.resolve("again.yaml"), written);
    assertThat(withoutSource(DataContract.load(again))).isEqualTo(withoutSource(edited));
  }

  @Test
  void theCanonicalLayoutDependsOnlyOnTheValues(@TempDir Path dir) throws IOException {
    Path authored = Files.writeString(dir.resolve("a.yaml"), AUTHORED);
    DataContract c = DataContract.load(authored);
    Path plain = Files.writeString(dir.resolve("b.yaml"), c.toCanonicalYaml());

    assertThat(DataContract.load(plain).toCanonicalYaml()).isEqualTo(c.toCanonicalYaml());
    assertThat(c.toCanonicalYaml())
        .doesNotContain("#")
        .contains("mustBeLessOrEqualTo: 0.0")
        .contains("contractCreatedTs: 2024-03-01T10:00:00Z");
  }

  @Test
  void aProductWrittenBackKeepsItsLayout(@TempDir Path dir) throws IOException {
    String product =
        """
        # The shop's orders product.
        kind: DataProduct
        apiVersion: v1.0.0
        status: active
        id: shop-orders
        productCreatedTs: 2024-05-01
        tags: []
        outputPorts:
          - version: 1.0.0    # first release
            name: orders
            contractId: orders
        """;
    Files.writeString(dir.resolve("orders.yaml"), AUTHORED);
    Path file = Files.writeString(dir.resolve("product.yaml"), product);
    DataProduct p = DataProduct.load(file);

    String written = p.toYaml();

    assertThat(written)
        .contains("# The shop's orders product.")
        .contains("# first release")
        .contains("productCreatedTs: 2024-05-01")
        .contains("tags: []");
    assertThat(keys(written)).isEqualTo(keys(product));
  }

  /** The keys of a YAML text in the order written, at every depth. */
  static List<String> keys(String yaml) {
    List<String> keys = new ArrayList<>();
    collectKeys(new Yaml().compose(new StringReader(yaml)), keys);
    return keys;
  }

  private static void collectKeys(Node node, List<String> keys) {
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        keys.add(((ScalarNode) t.getKeyNode()).getValue());
        collectKeys(t.getValueNode(), keys);
      }
    } else if (node instanceof SequenceNode s) {
      s.getValue().forEach(n -> collectKeys(n, keys));
    }
  }

  static DataContract withoutSource(DataContract c) {
    return new DataContract(
        c.apiVersion(),
        c.kind(),
        c.id(),
        c.name(),
        c.version(),
        c.status(),
        c.tenant(),
        c.domain(),
        c.dataProduct(),
        c.description(),
        c.tags(),
        c.schema(),
        c.servers(),
        c.team(),
        c.roles(),
        c.slaDefaultElement(),
        c.slaProperties(),
        c.support(),
        c.price(),
        c.authoritativeDefinitions(),
        c.customProperties(),
        c.contractCreatedTs(),
        c.extensions(),
        null);
  }

  private static DataContract replaceRules(DataContract c, List<QualityRule> rules) {
    SchemaObject o = c.schema().get(0);
    List<dev.meshwork.core.model.SchemaProperty> props = new ArrayList<>(o.properties());
    var p = props.get(1);
    props.set(
        1,
        new dev.meshwork.core.model.SchemaProperty(
            p.id(),
            p.name(),
            p.physicalName(),
            p.physicalType(),
            p.description(),
            p.businessName(),
            p.logicalType(),
            p.logicalTypeOptions(),
            p.required(),
            p.unique(),
            p.primaryKey(),
            p.primaryKeyPosition(),
            p.partitioned(),
            p.partitionKeyPosition(),
            p.classification(),
            p.encryptedName(),
            p.criticalDataElement(),
            p.transformSourceObjects(),
            p.transformLogic(),
            p.transformDescription(),
            p.examples(),
            p.properties(),
            p.items(),
            rules,
            p.relationships(),
            p.tags(),
            p.authoritativeDefinitions(),
            p.customProperties(),
            p.extensions()));
    SchemaObject edited =
        new SchemaObject(
            o.id(),
            o.name(),
            o.physicalName(),
            o.physicalType(),
            o.description(),
            o.businessName(),
            o.logicalType(),
            o.dataGranularityDescription(),
            props,
            o.quality(),
            o.relationships(),
            o.tags(),
            o.authoritativeDefinitions(),
            o.customProperties(),
            o.extensions());
    DataContract w = withoutSource(c);
    return new DataContract(
        w.apiVersion(),
        w.kind(),
        w.id(),
        w.name(),
        w.version(),
        w.status(),
        w.tenant(),
        w.domain(),
        w.dataProduct(),
        w.description(),
        w.tags(),
        List.of(edited),
        w.servers(),
        w.team(),
        w.roles(),
        w.slaDefaultElement(),
        w.slaProperties(),
        w.support(),
        w.price(),
        w.authoritativeDefinitions(),
        w.customProperties(),
        w.contractCreatedTs(),
        w.extensions(),
        c.source());
  }
}
