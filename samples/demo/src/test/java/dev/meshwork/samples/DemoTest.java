package dev.meshwork.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.testing.MeshExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 22);

  @TempDir Path warehouse;

  /** The demo mesh on the test's warehouse, with the demo's policies. */
  private Mesh mesh(Demo.Config config, Path decisionLog) {
    return Mesh.builder()
        .store(IcebergStore.embedded(warehouse))
        .policy(Demo.policies(config, decisionLog))
        .build();
  }

  @Test
  void aRestatedDayReplacesItsRowsAndStatsAndAnErasedCustomerLeavesEveryTable() throws Exception {
    Demo.Config config = new Demo.Config(MeshFiles.locate(), DAY, 20_000, 2_000);
    Path decisionLog = warehouse.resolve("policy/decision-log.jsonl");
    try (Mesh mesh = mesh(config, decisionLog)) {
      Demo.run(mesh, config);
      List<Demo.ProductRun> restated = Demo.restate(mesh, config);
      RunResult.Output deliveries = restated.get(0).result().output("deliveries");
      assertThat(deliveries.removedRows()).as("the whole day").isEqualTo(20_000);
      assertThat(restated.get(0).notes().get(0)).contains("failed deliveries were confirmed late");
      RunResult.Output stats = restated.get(1).result().output("daily-region-stats");
      assertThat(stats.removedRows()).as("one row per region").isEqualTo(5);
      assertThat(stats.rows()).isEqualTo(5);
      assertThat(Demo.restate(mesh, config).get(0).result().output("deliveries").alreadyPublished())
          .as("restating the same day again publishes nothing more")
          .isTrue();

      // The next day's consumer run goes on incrementally after the restated versions.
      Demo.Config next = new Demo.Config(MeshFiles.locate(), DAY.plusDays(1), 20_000, 2_000);
      RunResult consumer = Demo.run(mesh, next).get(2).result();
      assertThat(consumer.input("deliveries").rows()).isEqualTo(20_000);

      String email =
          SyntheticData.deliveries(DAY, 20_000, Demo.SEED)
              .map(Delivery::customerEmail)
              .filter(java.util.Objects::nonNull)
              .findFirst()
              .orElseThrow();
      long held =
          java.util.stream.Stream.concat(
                  SyntheticData.deliveries(DAY, 20_000, Demo.SEED),
                  SyntheticData.deliveries(DAY.plusDays(1), 20_000, Demo.SEED))
              .filter(d -> email.equals(d.customerEmail()))
              .count();
      dev.meshwork.core.ErasureReport report = Demo.erase(mesh, config, email);
      assertThat(report.verified()).as(report.describe()).isTrue();
      assertThat(report.rowsDeleted()).isEqualTo(held).isPositive();
      assertThat(report.tables())
          .extracting(dev.meshwork.core.ErasureReport.TableErasure::table)
          .containsExactly("logistics.deliveries.deliveries");
      assertThat(report.tables().get(0).consumers())
          .containsExactly("analytics.delivery_performance.daily_region_stats.deliveries");
      assertThat(report.describe()).doesNotContain(email);
      Table t =
          ((IcebergStore) mesh.store())
              .catalog()
              .loadTable(TableIdentifier.parse("logistics.deliveries.deliveries"));
      try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
        long total = 0;
        for (Record r : rows) {
          assertThat(r.getField("customer_email")).isNotEqualTo(email);
          total++;
        }
        assertThat(total).isEqualTo(40_000 - held);
      }
      assertThat(java.nio.file.Files.readString(decisionLog))
          .contains("ERASE", "dpo@dronefly.example", "right to erasure")
          .doesNotContain(email);
    }
  }

  @Test
  void theThreeProductsRunAndTheConsumerAggregatesEveryDelivery() throws Exception {
    Demo.Config config = new Demo.Config(MeshFiles.locate(), DAY, 12_000, 9_000);
    Path decisionLog = warehouse.resolve("policy/decision-log.jsonl");
    try (Mesh mesh = mesh(config, decisionLog)) {
      List<Demo.ProductRun> runs = Demo.run(mesh, config);
      assertThat(runs)
          .extracting(Demo.ProductRun::product)
          .containsExactly("deliveries", "drone-telemetry", "delivery-performance");
      assertThat(runs.get(0).result().output("deliveries").rows()).isEqualTo(12_000);
      assertThat(runs.get(0).result().output("deliveries").files())
          .as("one file per region")
          .isEqualTo(5);
      RunResult.Output telemetry = runs.get(1).result().output("telemetry");
      assertThat(telemetry.quarantined()).as("sensor glitches above 100%").isPositive();
      assertThat(telemetry.rows() + telemetry.quarantined()).isEqualTo(9_000);
      assertThat(runs.get(1).result().output("telemetry__quarantine").rows())
          .isEqualTo(telemetry.quarantined());
      assertThat(runs.get(0).result().output("deliveries").quality().warnings())
          .singleElement()
          .asString()
          .contains("emails-mostly-known");
      RunResult consumer = runs.get(2).result();
      assertThat(consumer.inputs())
          .extracting(RunResult.Input::version)
          .containsExactly(
              runs.get(0).result().output("deliveries").version(),
              runs.get(1).result().output("telemetry").version());

      List<Record> stats = read(mesh, "analytics.delivery_performance.daily_region_stats");
      assertThat(stats).hasSize(5);
      assertThat(stats.stream().mapToLong(r -> (Long) r.getField("deliveries")).sum())
          .isEqualTo(12_000);
      for (Record r : stats) {
        assertThat((Long) r.getField("delivered"))
            .isLessThanOrEqualTo((Long) r.getField("deliveries"));
        assertThat((Double) r.getField("on_time_pct")).isBetween(0.0, 100.0);
        assertThat((Double) r.getField("avg_battery_pct")).isBetween(5.0, 100.0);
      }

      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      DemoMain.print(
          new PrintStream(buf, true, StandardCharsets.UTF_8),
          mesh.store().describe(),
          DAY,
          runs,
          1234);
      // The consumer declared its purpose and saw customer_email only as a keyed hash.
      assertThat(runs.get(2).notes())
          .singleElement()
          .asString()
          .contains("purpose 'sla-reporting'")
          .matches(".*customer_email as it sees it: [0-9a-f]{16}….*");
      assertThat(Demo.tryMarketingRead(mesh, config))
          .hasValueSatisfying(
              d ->
                  assertThat(d)
                      .contains("Policy denied READ on port 'deliveries'")
                      .contains("uc-deliveries-for-sla-reporting allows purposes [sla-reporting]"));
      List<String> log = java.nio.file.Files.readAllLines(decisionLog);
      assertThat(log).hasSizeGreaterThanOrEqualTo(12);
      assertThat(log).filteredOn(l -> l.contains("\"result\":\"deny\"")).hasSize(1);
      assertThat(String.join("\n", log)).doesNotContain("@example.com");
      assertThat(buf.toString(StandardCharsets.UTF_8))
          .contains("logistics.deliveries.deliveries")
          .contains("12,000")
          .contains("policy: reads deliveries for purpose 'sla-reporting'")
          .contains("reads deliveries")
          .contains("embedded Iceberg warehouse at " + warehouse.toAbsolutePath());
    }
  }

  /** Uses the test kit: a fresh embedded mesh, and checks on what the products published. */
  @RegisterExtension final MeshExtension kit = MeshExtension.embedded();

  @Test
  void rerunningABatchAppendsNothingAndANewBatchAppends() {
    Path meshDir = MeshFiles.locate();
    DataProduct deliveries = DataProduct.load(meshDir.resolve("deliveries.yaml"));
    DataProduct performance = DataProduct.load(meshDir.resolve("delivery-performance.yaml"));
    Demo.run(kit.mesh(), new Demo.Config(meshDir, DAY, 3_000, 3_000));
    long first = kit.published(deliveries, "deliveries").hasRows(3_000).version().getAsLong();
    List<Demo.ProductRun> again = Demo.run(kit.mesh(), new Demo.Config(meshDir, DAY, 3_000, 3_000));
    assertThat(again)
        .allSatisfy(
            r -> assertThat(r.result().outputs()).allMatch(RunResult.Output::alreadyPublished));
    assertThat(kit.published(deliveries, "deliveries").hasRows(3_000).version()).hasValue(first);

    Demo.run(kit.mesh(), new Demo.Config(meshDir, DAY.plusDays(1), 2_000, 2_000));
    assertThat(kit.published(deliveries, "deliveries").hasRows(5_000).version())
        .isNotEqualTo(java.util.OptionalLong.of(first));
    assertThat(table(kit.mesh(), "logistics.deliveries.deliveries").snapshots()).hasSize(2);
    assertThat(
            kit.published(performance, "daily-region-stats")
                .hasRows(10)
                .hasNoNulls("region")
                .allRowsMatch(
                    "at most as many delivered as deliveries",
                    r -> (Long) r.get("delivered") <= (Long) r.get("deliveries"))
                .column("day"))
        .containsOnly(DAY, DAY.plusDays(1));
  }

  /**
   * The consumer reads its inputs incrementally: on the second day it reads only the second day's
   * deliveries and telemetry, and its summary and lineage say how many rows, from which version.
   */
  @Test
  void theSecondDaysConsumerReadsOnlyWhatItsSourcesPublishedThatDay() throws Exception {
    Path lineage = warehouse.resolve("lineage/openlineage.jsonl");
    dev.meshwork.lineage.OpenLineageListener listener =
        dev.meshwork.lineage.OpenLineageListener.builder()
            .file(lineage)
            .spoolDirectory(warehouse.resolve("lineage/spool"))
            .build();
    List<Demo.ProductRun> first;
    List<Demo.ProductRun> second;
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(listener).build()) {
      first = Demo.run(mesh, new Demo.Config(MeshFiles.locate(), DAY, 4_000, 3_000));
      second = Demo.run(mesh, new Demo.Config(MeshFiles.locate(), DAY.plusDays(1), 2_500, 1_500));
      assertThat(listener.flush(java.time.Duration.ofSeconds(60))).isTrue();
      assertThat(read(mesh, "analytics.delivery_performance.daily_region_stats"))
          .extracting(r -> r.getField("day"))
          .containsOnly(DAY, DAY.plusDays(1))
          .hasSize(10);
    }
    RunResult consumer = second.get(2).result();
    long telemetryRows = second.get(1).result().output("telemetry").rows();
    assertThat(consumer.input("deliveries").rows()).isEqualTo(2_500);
    assertThat(consumer.input("deliveries").appendedAfter())
        .isEqualTo(first.get(0).result().output("deliveries").version());
    assertThat(consumer.input("telemetry").rows()).isEqualTo(telemetryRows).isLessThan(1_500);
    assertThat(consumer.input("telemetry").read()).isEqualTo("incremental");
    assertThat(first.get(2).result().input("deliveries").read())
        .isEqualTo("incremental, first read: everything");

    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DemoMain.print(new PrintStream(buf, true, StandardCharsets.UTF_8), "store", DAY, second, 1234);
    assertThat(buf.toString(StandardCharsets.UTF_8))
        .contains(
            "after snapshot "
                + consumer.input("deliveries").appendedAfter()
                + " up to "
                + consumer.input("deliveries").version()
                + ": 2,500 rows (incremental)");

    com.fasterxml.jackson.databind.JsonNode complete = null;
    for (String line : java.nio.file.Files.readAllLines(lineage)) {
      com.fasterxml.jackson.databind.JsonNode e =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
      if ("COMPLETE".equals(e.path("eventType").asText())
          && e.path("run").path("runId").asText().equals(consumer.runId())) {
        complete = e;
      }
    }
    assertThat(complete).isNotNull();
    java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byName =
        new java.util.HashMap<>();
    complete.path("inputs").forEach(i -> byName.put(i.path("name").asText(), i));
    assertThat(byName).hasSize(2);
    com.fasterxml.jackson.databind.JsonNode deliveries =
        byName.entrySet().stream()
            .filter(e -> e.getKey().contains("deliveries"))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertThat(deliveries.at("/inputFacets/inputStatistics/rowCount").asLong()).isEqualTo(2_500);
    assertThat(deliveries.at("/inputFacets/inputStatistics/fileCount").asLong())
        .as("one file per region")
        .isEqualTo(5);
    assertThat(deliveries.at("/inputFacets/meshwork_read/afterVersion").asText())
        .isEqualTo(String.valueOf(consumer.input("deliveries").appendedAfter()));
  }

  private static Table table(Mesh mesh, String name) {
    return ((IcebergStore) mesh.store()).catalog().loadTable(TableIdentifier.parse(name));
  }

  private static List<Record> read(Mesh mesh, String name) throws Exception {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table(mesh, name)).build()) {
      it.forEach(r -> out.add(r.copy()));
    }
    return out;
  }
}
