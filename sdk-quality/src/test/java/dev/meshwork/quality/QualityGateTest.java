package dev.meshwork.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.QualityGateException;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quality gates end to end: contract rules and Java suites deciding what an Iceberg table gets. */
class QualityGateTest {
  private static final Path SHOP = Path.of("src/test/resources/gate/shop.yaml");
  private static final Principal ME = Principal.service("quality-test");

  record Order(long orderId, String status, String email, BigDecimal amount) {}

  @TempDir Path warehouse;

  private static Order order(long id, String status, String email, String amount) {
    return new Order(id, status, email, new BigDecimal(amount));
  }

  private static List<Order> good() {
    return List.of(
        order(1, "OPEN", "a@example.com", "10.00"),
        order(2, "SHIPPED", "b@example.com", "20.00"),
        order(3, "DELIVERED", null, "30.00"),
        order(4, "OPEN", "d@example.com", "40.00"),
        order(5, "OPEN", "e@example.com", "50.00"),
        order(6, "OPEN", "f@example.com", "60.00"));
  }

  private Mesh mesh(ContractQualityGate gate) {
    return Mesh.builder()
        .store(IcebergStore.embedded(warehouse))
        .qualityGate(gate)
        .listener(e -> {})
        .build();
  }

  private static boolean exists(Mesh mesh, String name) {
    return ((IcebergStore) mesh.store()).catalog().tableExists(TableIdentifier.parse(name));
  }

  private Table table(Mesh mesh, String name) {
    return ((IcebergStore) mesh.store()).catalog().loadTable(TableIdentifier.parse(name));
  }

  private static List<Record> rows(Table t) throws IOException {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      it.forEach(r -> out.add(r.copy()));
    }
    return out;
  }

  private long parquetFiles() throws IOException {
    try (Stream<Path> s = Files.walk(warehouse)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }

  @Test
  void contractRulesPassAndTheirResultsAreRecordedWithThePublish() throws IOException {
    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults())) {
      RunResult r;
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class).writeAll(good());
        r = run.commit();
      }
      RunResult.Output out = r.output("orders");
      assertThat(out.rows()).isEqualTo(6);
      assertThat(out.quality().allowsPublish()).isTrue();
      assertThat(out.quality().warnings())
          .anyMatch(w -> w.contains("revenue-check") && w.contains("SQL rules need a SQL engine"));
      QualityReport report = QualityReport.fromJson(out.quality().report());
      assertThat(report.passed()).isTrue();
      assertThat(report.rowCount()).isEqualTo(6);
      assertThat(report.results())
          .extracting(QualityReport.Result::id)
          .containsExactly(
              "enough-orders",
              "big-orders-have-email",
              "few-unknown-states",
              "revenue-check",
              "known-status",
              "emails-mostly-present",
              "implicit:logicalTypeOptions:email",
              "amount-in-range",
              "implicit:primaryKey:order_id");
      assertThat(report.results().get(5).observed())
          .isCloseTo(16.67, org.assertj.core.data.Offset.offset(0.01));
      assertThat(report.results().get(3).status()).isEqualTo(QualityReport.Status.NOT_EXECUTED);
      assertThat(report.results().get(2).status()).isEqualTo(QualityReport.Status.PASSED);
      assertThat(table(mesh, "sales.shop.orders").currentSnapshot().summary())
          .containsEntry(ContractQualityGate.SUMMARY_FAILED, "0")
          .containsEntry(ContractQualityGate.SUMMARY_PASSED, "8")
          .containsKey(ContractQualityGate.SUMMARY_SUITE_HASH);
    }
  }

  @Test
  void anErrorRulePublishesNothingAndNamesObservedAndExpected() throws IOException {
    List<Order> rows = new ArrayList<>(good());
    rows.add(order(7, "OPEN", "g@example.com", "5000.00"));
    rows.add(order(7, "OPEN", "h@example.com", "-1.00"));
    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults())) {
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class).writeAll(rows);
        assertThatThrownBy(run::commit)
            .isInstanceOf(QualityGateException.class)
            .hasMessageContaining("nothing was published")
            .hasMessageContaining("orders: amount-in-range")
            .hasMessageContaining("observed 2, expected = 0")
            .hasMessageContaining("orders: implicit:primaryKey:order_id")
            .hasMessageContaining("observed 1, expected = 0");
      }
      assertThat(exists(mesh, "sales.shop.orders")).as("a table no run published").isFalse();
      assertThat(parquetFiles()).isZero();
    }
  }

  @Test
  void anErasureReachesTheQuarantineTableAndTheQualityHistoryHoldsNoValueOfTheSubject()
      throws IOException {
    List<Order> rows = new ArrayList<>(good());
    rows.add(order(8, "OPEN", "x@example.com", "1.00"));
    rows.add(order(9, "LOST", "x@example.com", "2.00"));
    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults())) {
      for (int day = 0; day < 2; day++) {
        try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
          run.output("orders", Order.class).writeAll(rows);
          run.commit();
        }
      }
    } // closing the mesh waits for the quality history, kept in the background

    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults())) {
      dev.meshwork.core.ErasureReport report =
          mesh.erase(
              dev.meshwork.core.Erasure.of("customer", "x@example.com").because("test request"),
              ME,
              List.of(DataProduct.load(SHOP)));
      assertThat(report.verified()).as(report.describe()).isTrue();
      assertThat(report.tables())
          .extracting(t -> t.table() + "=" + t.rowsDeleted())
          .containsExactly("sales.shop.orders=2", "sales.shop.orders__quarantine=2");
      var catalog = ((IcebergStore) mesh.store()).catalog();
      var namespaces = (org.apache.iceberg.catalog.SupportsNamespaces) catalog;
      List<String> tables = new ArrayList<>();
      java.util.Deque<org.apache.iceberg.catalog.Namespace> open =
          new java.util.ArrayDeque<>(namespaces.listNamespaces());
      while (!open.isEmpty()) {
        var ns = open.pop();
        open.addAll(namespaces.listNamespaces(ns));
        for (TableIdentifier id : catalog.listTables(ns)) {
          tables.add(id.toString());
          for (Record r : rows(catalog.loadTable(id))) {
            assertThat(r.toString()).as(id.toString()).doesNotContain("x@example.com");
          }
        }
      }
      assertThat(tables)
          .as("the quality history is a table too, and was read")
          .anyMatch(t -> !t.endsWith("orders") && !t.endsWith("orders__quarantine"));
    }
  }

  @Test
  void quarantineDivertsFailingRowsToTheSiblingTableAndPublishesTheRest() throws IOException {
    List<Order> rows = new ArrayList<>(good());
    rows.add(order(8, "LOST", "x@example.com", "1.00"));
    rows.add(order(9, "opened", null, "2.00"));
    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults())) {
      RunResult r;
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class).writeAll(rows);
        r = run.commit();
      }
      assertThat(r.output("orders").rows()).isEqualTo(6);
      assertThat(r.output("orders").quarantined()).isEqualTo(2);
      assertThat(r.output("orders__quarantine").rows()).isEqualTo(2);
      assertThat(rows(table(mesh, "sales.shop.orders")))
          .extracting(x -> x.getField("status"))
          .doesNotContain("LOST", "opened");
      List<Record> quarantined = rows(table(mesh, "sales.shop.orders__quarantine"));
      assertThat(quarantined)
          .extracting(x -> x.getField("order_id"))
          .containsExactlyInAnyOrder(8L, 9L);
      Record lost =
          quarantined.stream()
              .filter(x -> x.getField("order_id").equals(8L))
              .findFirst()
              .orElseThrow();
      assertThat(lost.getField("quarantine_rule_id")).isEqualTo("known-status");
      assertThat(lost.getField("quarantine_rule")).isEqualTo("status is a known state");
      assertThat((String) lost.getField("quarantine_reason"))
          .contains("status is not a valid value");
      assertThat(lost.getField("quarantine_run_id")).isEqualTo(r.runId());
      assertThat(lost.getField("amount")).isEqualTo(new BigDecimal("1.00"));
      assertThat(table(mesh, "sales.shop.orders").currentSnapshot().summary())
          .containsEntry(ContractQualityGate.SUMMARY_QUARANTINED, "2");
    }
  }

  /** {@code n} valid orders whose ids are {@code ids}, in a seeded random order. */
  private static List<Order> shuffled(List<Long> ids) {
    List<Long> order = new ArrayList<>(ids);
    java.util.Collections.shuffle(order, new java.util.Random(42));
    return order.stream().map(id -> order(id, "OPEN", "c" + id + "@example.com", "10.00")).toList();
  }

  @Test
  void uniqueKeysAboveTheExactLimitPassWithAWarningAndRealDuplicatesStillFail() {
    ContractQualityGate gate = ContractQualityGate.builder().exactDistinctLimit(500).build();
    List<Long> unique = java.util.stream.LongStream.range(0, 20_000).boxed().toList();
    try (Mesh mesh = mesh(gate);
        Run run = mesh.start(DataProduct.load(SHOP), ME)) {
      run.output("orders", Order.class).writeAll(shuffled(unique));
      RunResult.Output out = run.commit().output("orders");
      assertThat(out.rows()).isEqualTo(20_000);
      assertThat(out.quality().warnings())
          .anyMatch(
              w ->
                  w.startsWith("implicit:primaryKey:order_id")
                      && w.contains("not checked exactly")
                      && w.contains("exactDistinctLimit"));
    }
    List<Long> repeated = new ArrayList<>(unique.subList(0, 17_000));
    repeated.addAll(unique.subList(0, 3_000));
    try (Mesh mesh = mesh(gate);
        Run run = mesh.start(DataProduct.load(SHOP), ME)) {
      run.output("orders", Order.class).writeAll(shuffled(repeated));
      assertThatThrownBy(run::commit)
          .isInstanceOf(QualityGateException.class)
          .hasMessageContaining("implicit:primaryKey:order_id")
          .hasMessageContaining("(approximate, ±0.8%)");
    }
  }

  @Test
  void javaSuitesMixWithContractRules() {
    ContractQualityGate gate =
        ContractQualityGate.builder()
            .suite(
                "orders",
                Suite.of(
                    "orders-extra",
                    Check.satisfies(
                        "big orders have an email",
                        Order.class,
                        o -> o.amount().doubleValue() < 50 || o.email() != null),
                    Check.allowedValues("status", "OPEN")
                        .severity(Severity.WARN)
                        .id("mostly-open")))
            .build();
    List<Order> rows = new ArrayList<>(good());
    rows.add(order(10, "OPEN", null, "99.00"));
    try (Mesh mesh = mesh(gate);
        Run run = mesh.start(DataProduct.load(SHOP), ME)) {
      run.output("orders", Order.class).writeAll(rows);
      assertThatThrownBy(run::commit)
          .isInstanceOf(QualityGateException.class)
          .hasMessageContaining(
              "predicate:big-orders-have-an-email (big orders have an email): observed 1, expected = 0")
          .satisfies(e -> assertThat(((QualityGateException) e).failures()).hasSize(1));
    }
  }

  /**
   * ODCS 3.0 lets a rule hold several comparisons: each is checked (the others as {@code
   * <rule>.<operator>}), and all must hold.
   */
  @Test
  void aRuleWithTwoComparisonsChecksBoth() throws IOException {
    Path dir = warehouse.resolve("shop");
    Files.createDirectories(dir.resolve("contracts"));
    Files.copy(SHOP, dir.resolve("shop.yaml"));
    Path contract = SHOP.resolveSibling("contracts/orders.odcs.yaml");
    Path copy = dir.resolve("contracts/orders.odcs.yaml");
    String two =
        Files.readString(contract)
            .replace(
                "        mustBeGreaterOrEqualTo: 5\n",
                "        mustBeGreaterOrEqualTo: 5\n        mustBeLessThan: 100\n");
    Files.writeString(copy, two);
    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults())) {
      try (Run run = mesh.start(DataProduct.load(dir.resolve("shop.yaml")), ME)) {
        run.output("orders", Order.class).writeAll(good());
        RunResult.Output out = run.commit().output("orders");
        assertThat(out.quality().assertions())
            .filteredOn(x -> x.assertion().startsWith("enough-orders"))
            .extracting(x -> x.assertion() + " " + x.success())
            .containsExactly("enough-orders true", "enough-orders.mustBeLessThan true");
      }
      Files.writeString(copy, two.replace("mustBeLessThan: 100", "mustBeLessThan: 3"));
      try (Run run = mesh.start(DataProduct.load(dir.resolve("shop.yaml")), ME)) {
        run.output("orders", Order.class).writeAll(good());
        assertThatThrownBy(run::commit)
            .isInstanceOf(QualityGateException.class)
            .hasMessageContaining("enough-orders.mustBeLessThan")
            .hasMessageContaining("observed 6, expected < 3")
            .satisfies(e -> assertThat(((QualityGateException) e).failures()).hasSize(1));
      }
    }
  }

  @Test
  void celRulesRunPerRowAndOverMetrics() {
    List<Order> rows = new ArrayList<>(good());
    for (long id = 12; id < 16; id++) {
      rows.add(order(id, "UNKNOWN-" + id, "a@b.cd", "1.00"));
    }
    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults())) {
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class).writeAll(rows);
        RunResult.Output out = run.commit().output("orders");
        assertThat(out.quarantined()).isEqualTo(4);
        assertThat(out.quality().warnings())
            .anyMatch(
                w ->
                    w.startsWith(
                        "few-unknown-states (metrics['known-status'] <= 3.0): does not hold"));
      }
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        List<Order> big = new ArrayList<>(good());
        big.add(order(11, "OPEN", null, "700.00"));
        run.output("orders", Order.class).writeAll(big);
        assertThatThrownBy(run::commit)
            .isInstanceOf(QualityGateException.class)
            .hasMessageContaining(
                "big-orders-have-email (Orders of 500 or more have a contact): observed 1, expected = 0")
            .satisfies(e -> assertThat(((QualityGateException) e).failures()).hasSize(1));
      }
    }
  }

  private static List<Order> orders(int n) {
    List<Order> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(order(100 + i, "OPEN", "x@example.com", "1.00"));
    }
    return out;
  }

  @Test
  void anomalyChecksCompareWithEarlierRunsKeptInTheMetricsTable() throws IOException {
    ContractQualityGate gate =
        ContractQualityGate.builder()
            .withoutContractRules()
            .suite(
                "orders",
                Suite.of(
                    "volume",
                    Check.rowCount(),
                    Check.anomaly("rowCount", Anomaly.relativeChange(0.5)),
                    Check.aggregateExpression(
                            "not below half of the 3-run average",
                            "size(history) < 3 || metrics.rowCount * 6.0 >= history[0].rowCount + history[1].rowCount + history[2].rowCount")
                        .severity(Severity.WARN)))
            .build();
    try (Mesh mesh = mesh(gate)) {
      for (int n : new int[] {10, 12, 9}) {
        try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
          run.output("orders", Order.class).writeAll(orders(n));
          RunResult.Output out = run.commit().output("orders");
          assertThat(out.quality().allowsPublish()).as("%d rows is normal", n).isTrue();
          assertThat(out.quality().warnings()).isEmpty();
        }
      }
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class).writeAll(orders(4));
        assertThatThrownBy(run::commit)
            .isInstanceOf(QualityGateException.class)
            .hasMessageContaining(
                "anomaly:rowCount (rowCount changes by at most 50% from the previous run): does not hold");
      }
      List<Record> kept = rows(table(mesh, "sales.shop.quality_metrics"));
      assertThat(kept)
          .filteredOn(r -> r.getField("metric").equals("rowCount"))
          .extracting(r -> r.getField("value"))
          .containsExactlyInAnyOrder(10.0, 12.0, 9.0);
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class).writeAll(orders(6));
        RunResult.Output out = run.commit().output("orders");
        assertThat(out.quality().allowsPublish()).isTrue();
        assertThat(out.quality().warnings())
            .singleElement()
            .asString()
            .contains("not below half of the 3-run average");
      }
    }
  }

  @Test
  void metricsOfRunsCommittedBackToBackAreAllKeptByTheTimeTheMeshCloses() throws IOException {
    ContractQualityGate gate =
        ContractQualityGate.builder()
            .withoutContractRules()
            .suite("orders", Suite.of("volume", Check.rowCount()))
            .build();
    // Metrics are kept behind each commit; closing the mesh must wait for all of them.
    try (Mesh mesh = mesh(gate)) {
      for (int n = 1; n <= 5; n++) {
        try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
          run.output("orders", Order.class).writeAll(orders(n));
          run.commit();
        }
      }
    }
    try (Mesh reopened = mesh(gate)) {
      List<Record> kept = rows(table(reopened, "sales.shop.quality_metrics"));
      assertThat(kept)
          .filteredOn(r -> r.getField("metric").equals("rowCount"))
          .extracting(r -> r.getField("value"))
          .containsExactlyInAnyOrder(1.0, 2.0, 3.0, 4.0, 5.0);
      // Runs committed within the recorder's linger share a version of the metrics table.
      assertThat(table(reopened, "sales.shop.quality_metrics").snapshots())
          .extracting(s -> Integer.parseInt(s.summary().get("meshwork.metrics.runs")))
          .hasSizeLessThanOrEqualTo(5)
          .satisfies(
              runs -> assertThat(runs.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5));
    }
  }

  @Test
  void anAuditJudgesTheTableAnUpsertOrOverwriteWouldLeaveBeforeMainShowsIt() throws IOException {
    ContractQualityGate gate =
        ContractQualityGate.builder()
            .withoutContractRules()
            .writeAuditPublish(
                "orders",
                AuditRule.of(
                    "at most 8 orders in the table",
                    view -> Long.parseLong(view.audited().get("total-records")) <= 8),
                AuditRule.of(
                    "order ids unique in the table",
                    view -> {
                      try (Stream<dev.meshwork.core.Row> rows = view.rows().get()) {
                        List<Object> ids = rows.map(r -> r.get("order_id")).toList();
                        return ids.size() == new java.util.HashSet<>(ids).size();
                      }
                    }))
            .build();
    try (Mesh mesh = mesh(gate)) {
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class).writeAll(good());
        run.commit();
      }
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class, dev.meshwork.core.WriteMode.upsert())
            .writeAll(
                List.of(
                    order(1, "SHIPPED", "a@example.com", "10.00"),
                    order(7, "OPEN", "g@example.com", "70.00")));
        assertThat(run.commit().output("orders").removedRows()).isEqualTo(1);
      }
      Table t = table(mesh, "sales.shop.orders");
      assertThat(rows(t)).hasSize(7);
      long before = t.currentSnapshot().snapshotId();

      // Replacing the four OPEN orders with seven would leave ten: the audit sees the resulting
      // table and refuses it.
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output(
                "orders",
                Order.class,
                dev.meshwork.core.WriteMode.overwrite(
                    dev.meshwork.core.Filter.eq("status", "OPEN")))
            .writeAll(orders(7));
        assertThatThrownBy(run::commit)
            .isInstanceOf(QualityGateException.class)
            .hasMessageContaining("at most 8 orders in the table: does not hold")
            .hasMessageContaining("main of sales.shop.orders is untouched");
      }
      assertUntouched(t, before, 7);
      long onDisk;
      try (Stream<Path> files = Files.walk(warehouse.resolve("sales/shop/orders/data"))) {
        onDisk = files.filter(p -> p.toString().endsWith(".parquet")).count();
      }
      assertThat(onDisk)
          .as("the failed audit's rewritten and staged files are gone")
          .isEqualTo(referencedFiles(t));
    }
  }

  @Test
  void rowCountAndKeyRulesJudgeTheVersionAnUpsertOrDeleteLeavesOtherRulesTheWrittenRows()
      throws IOException {
    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults())) {
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class).writeAll(good());
        run.commit();
      }
      // Two rows written, seven in the table: "at least five orders" holds for the table.
      RunResult upserted;
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class, dev.meshwork.core.WriteMode.upsert())
            .writeAll(
                List.of(
                    order(1, "SHIPPED", "a@example.com", "10.00"),
                    order(7, "OPEN", "g@example.com", "2000.00")));
        assertThatThrownBy(run::commit)
            .as("a row rule still judges the written rows")
            .isInstanceOf(QualityGateException.class)
            .hasMessageContaining("amount-in-range");
      }
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class, dev.meshwork.core.WriteMode.upsert())
            .writeAll(
                List.of(
                    order(1, "SHIPPED", "a@example.com", "10.00"),
                    order(7, "OPEN", "g@example.com", "70.00")));
        upserted = run.commit();
      }
      var quality = upserted.output("orders").quality();
      assertThat(quality.assertions())
          .filteredOn(a -> a.assertion().equals("enough-orders"))
          .singleElement()
          .satisfies(a -> assertThat(a.observed()).isEqualTo("7"));
      assertThat(quality.assertions())
          .filteredOn(a -> a.assertion().startsWith("implicit:primaryKey"))
          .singleElement()
          .satisfies(a -> assertThat(a.success()).isTrue());
      assertThat(quality.observations()).containsEntry("enough-orders", 7.0);
      Table t = table(mesh, "sales.shop.orders");
      long before = t.currentSnapshot().snapshotId();

      // Deleting the open orders (4, 5, 6 and 7) would leave three: the table rule refuses it.
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output(
            "orders",
            Order.class,
            dev.meshwork.core.WriteMode.delete(dev.meshwork.core.Filter.eq("status", "OPEN")));
        assertThatThrownBy(run::commit)
            .isInstanceOf(QualityGateException.class)
            .hasMessageContaining("enough-orders")
            .hasMessageContaining("observed 3")
            .hasMessageContaining("main of sales.shop.orders is untouched");
      }
      assertUntouched(t, before, 7);
    }
  }

  /** Main still shows version {@code before}, of {@code rows} rows, and no audit branch is left. */
  private static void assertUntouched(Table t, long before, int rows) throws IOException {
    t.refresh();
    assertThat(t.currentSnapshot().snapshotId()).isEqualTo(before);
    assertThat(t.refs()).containsOnlyKeys("main");
    assertThat(rows(t)).hasSize(rows);
  }

  /**
   * Data files of main's versions (a removed audit branch's snapshot stays listed until expiry).
   */
  private static long referencedFiles(Table t) {
    java.util.Set<String> files = new java.util.HashSet<>();
    for (var s : org.apache.iceberg.util.SnapshotUtil.currentAncestors(t)) {
      s.addedDataFiles(t.io()).forEach(f -> files.add(f.location()));
    }
    return files.size();
  }

  @Test
  void writeAuditPublishMovesMainOnlyWhenTheAuditPasses() throws IOException {
    ContractQualityGate gate =
        ContractQualityGate.builder()
            .withoutContractRules()
            .writeAuditPublish(
                "orders",
                AuditRule.maxRowCountChange(0.5),
                AuditRule.of(
                    "no order above 900",
                    view -> {
                      try (Stream<dev.meshwork.core.Row> rows = view.rows().get()) {
                        return rows.noneMatch(
                            r -> ((BigDecimal) r.get("amount")).doubleValue() > 900);
                      }
                    }))
            .build();
    try (Mesh mesh = mesh(gate)) {
      long[] versions = new long[2];
      int i = 0;
      for (int n : new int[] {10, 12}) {
        try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
          run.output("orders", Order.class).writeAll(orders(n));
          versions[i++] = run.commit().output("orders").version();
        }
      }
      Table t = table(mesh, "sales.shop.orders");
      assertThat(t.currentSnapshot().snapshotId()).isEqualTo(versions[1]);
      assertThat(t.refs()).containsOnlyKeys("main");
      assertThat(rows(t)).hasSize(22);

      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class).writeAll(orders(3));
        assertThatThrownBy(run::commit)
            .isInstanceOf(QualityGateException.class)
            .hasMessageContaining(
                "write-audit-publish audit failed, so main of sales.shop.orders is untouched; the audit branch was removed")
            .hasMessageContaining("main's last version added 12 rows, the audited one 3");
      }
      List<Order> withBig = new ArrayList<>(orders(12));
      withBig.set(0, order(100, "OPEN", "x@example.com", "950.00"));
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        run.output("orders", Order.class).writeAll(withBig);
        assertThatThrownBy(run::commit).hasMessageContaining("no order above 900: does not hold");
      }
      t.refresh();
      assertThat(t.currentSnapshot().snapshotId()).isEqualTo(versions[1]);
      assertThat(t.refs()).containsOnlyKeys("main");
      assertThat(rows(t)).hasSize(22);
    }
  }

  /**
   * Two attempts of one run pass their audits at the same moment: one moves main, the other removes
   * its own branch and reports the winner's version; the rows are there once.
   */
  @Test
  void twoAttemptsOfOneRunAuditedTogetherPublishOnce() throws Exception {
    java.util.concurrent.CyclicBarrier auditing = new java.util.concurrent.CyclicBarrier(2);
    ContractQualityGate gate =
        ContractQualityGate.builder()
            .withoutContractRules()
            .writeAuditPublish(
                "orders",
                AuditRule.of(
                    "both attempts audit at once",
                    view -> {
                      try {
                        auditing.await(60, java.util.concurrent.TimeUnit.SECONDS);
                        return true;
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    }))
            .build();
    String runId = java.util.UUID.randomUUID().toString();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try (Mesh mesh = mesh(gate)) {
      List<java.util.concurrent.Future<RunResult>> attempts = new ArrayList<>();
      for (int a = 0; a < 2; a++) {
        attempts.add(
            pool.submit(
                () -> {
                  try (Run run =
                      mesh.start(
                          DataProduct.load(SHOP),
                          ME,
                          dev.meshwork.core.RunOptions.builder().runId(runId).build())) {
                    run.output("orders", Order.class).writeAll(orders(12));
                    return run.commit();
                  }
                }));
      }
      List<RunResult.Output> outputs = new ArrayList<>();
      for (var f : attempts) {
        outputs.add(f.get(2, java.util.concurrent.TimeUnit.MINUTES).output("orders"));
      }

      assertThat(outputs).extracting(RunResult.Output::alreadyPublished).containsOnlyOnce(true);
      assertThat(outputs.get(0).version()).isEqualTo(outputs.get(1).version());
      Table t = table(mesh, "sales.shop.orders");
      assertThat(t.currentSnapshot().snapshotId()).isEqualTo(outputs.get(0).version());
      assertThat(t.refs()).as("the losing attempt removed its branch").containsOnlyKeys("main");
      assertThat(rows(t)).hasSize(12);
      java.util.Set<String> live = new java.util.HashSet<>();
      t.currentSnapshot().addedDataFiles(t.io()).forEach(f -> live.add(f.location()));
      String location = t.location();
      Path folder =
          location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
      try (Stream<Path> files = Files.walk(folder)) {
        assertThat(files.map(Path::toString).filter(f -> f.endsWith(".parquet")))
            .as("the losing attempt's files are deleted")
            .allSatisfy(f -> assertThat(live).anySatisfy(l -> assertThat(l).endsWith(f)));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void writeAuditPublishFromTheContractKeepsAFailedBranchWhenAskedTo() {
    Path wap = Path.of("src/test/resources/gate/wap/shop.yaml");
    ContractQualityGate gate = ContractQualityGate.builder().keepAuditBranchOnFailure().build();
    try (Mesh mesh = mesh(gate)) {
      try (Run run = mesh.start(DataProduct.load(wap), ME)) {
        run.output("orders", Order.class).writeAll(orders(10));
        run.commit();
      }
      String failedRun;
      try (Run run = mesh.start(DataProduct.load(wap), ME)) {
        failedRun = run.id();
        run.output("orders", Order.class).writeAll(orders(2));
        assertThatThrownBy(run::commit)
            .hasMessageMatching(
                "(?s).*stays on branch 'audit-" + failedRun + "-[0-9a-f]{8}' for inspection.*");
      }
      Table t = table(mesh, "sales.shop.orders");
      List<String> audits =
          t.refs().keySet().stream().filter(r -> r.startsWith("audit-" + failedRun + "-")).toList();
      assertThat(audits).hasSize(1);
      assertThat(t.refs()).containsKey("main");
      assertThat(t.snapshot(audits.get(0)).summary()).containsEntry("added-records", "2");
      assertThat(t.currentSnapshot().summary()).containsEntry("added-records", "10");
    }
  }

  record Customer(long customerId, String name) {}

  record Invoice(long invoiceId, long customerId) {}

  @Test
  void referentialChecksMatchValuesAgainstAnInputPortsKeys() throws IOException {
    Path ref = Path.of("src/test/resources/gate/ref");
    ContractQualityGate gate =
        ContractQualityGate.builder()
            .suite(
                "invoices",
                Suite.of(
                    "refs",
                    Check.references("customer_id", "customers", "customer_id").quarantine()))
            .build();
    try (Mesh mesh = mesh(gate)) {
      try (Run run = mesh.start(DataProduct.load(ref.resolve("crm.yaml")), ME)) {
        for (long id = 1; id <= 5; id++) {
          run.output("customers", Customer.class).write(new Customer(id, "c" + id));
        }
        run.commit();
      }
      RunResult r;
      try (Run run = mesh.start(DataProduct.load(ref.resolve("billing.yaml")), ME)) {
        run.output("invoices", Invoice.class)
            .writeAll(List.of(new Invoice(1, 1), new Invoice(2, 5), new Invoice(3, 9)));
        r = run.commit();
      }
      assertThat(r.output("invoices").rows()).isEqualTo(2);
      assertThat(r.inputs()).extracting(RunResult.Input::port).containsExactly("customers");
      Record orphan = rows(table(mesh, "sales.billing.invoices__quarantine")).get(0);
      assertThat(orphan.getField("customer_id")).isEqualTo(9L);
      assertThat(orphan.getField("quarantine_reason"))
          .isEqualTo("customer_id has no match in customers.customer_id");
    }
  }

  @Test
  void aCelExpressionThatDoesNotCompileIsReportedWithCelsError() {
    ContractQualityGate gate =
        ContractQualityGate.builder()
            .withoutContractRules()
            .suite("orders", Suite.of("bad", Check.rowExpression("broken", "row.amount >")))
            .build();
    try (Mesh mesh = mesh(gate);
        Run run = mesh.start(DataProduct.load(SHOP), ME)) {
      run.output("orders", Order.class).writeAll(good());
      assertThatThrownBy(run::commit)
          .hasMessageContaining(
              "rule cannot run: cel:broken: CEL expression 'row.amount >' does not compile");
    }
  }

  @Test
  void aRuleOnAnUnknownColumnBlocksWithAClearMessage() {
    ContractQualityGate gate =
        ContractQualityGate.builder()
            .suite("orders", Suite.of("typo", Check.isComplete("stauts")))
            .build();
    try (Mesh mesh = mesh(gate);
        Run run = mesh.start(DataProduct.load(SHOP), ME)) {
      run.output("orders", Order.class).writeAll(good());
      assertThatThrownBy(run::commit)
          .isInstanceOf(QualityGateException.class)
          .hasMessageContaining(
              "rule cannot run: null-values:stauts: column 'stauts' is not a top-level column of the port; columns are [order_id, status, email, amount]");
    }
  }

  @Test
  void theZeroConfigurationMeshRunsTheContractRules() {
    try (Mesh mesh =
            Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build();
        Run run = mesh.start(DataProduct.load(SHOP), ME)) {
      run.output("orders", Order.class).writeAll(good().subList(0, 3));
      assertThatThrownBy(run::commit)
          .hasMessageContaining(
              "enough-orders (A day has at least five orders): observed 3, expected >= 5");
    }
  }
}
