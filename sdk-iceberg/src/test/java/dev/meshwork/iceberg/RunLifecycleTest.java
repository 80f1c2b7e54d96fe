package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.OutputPort;
import dev.meshwork.core.PolicyDeniedException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.QualityGateException;
import dev.meshwork.core.Row;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.RunStateException;
import dev.meshwork.core.StoreException;
import dev.meshwork.core.UnknownPortException;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.write.StructShape;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLifecycleTest {
  private static final Path DIR = Path.of("src/test/resources/lifecycle");
  private static final Principal ME = Principal.service("lifecycle-test");

  /** The record of the orders port; {@code note} is optional. */
  record Order(long orderId, String region, BigDecimal amount, String note) {}

  /** The orders port after v2 added an optional column. */
  record OrderV2(long orderId, String region, BigDecimal amount, String channel, String note) {}

  record RegionTotal(String region, long orders, BigDecimal total) {}

  @TempDir Path warehouse;

  private final RecordingListener events = new RecordingListener();

  private Mesh mesh() {
    return Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(events).build();
  }

  private static DataProduct shop() {
    return DataProduct.load(DIR.resolve("shop.yaml"));
  }

  private static List<Order> orders(int from, int n) {
    String[] regions = {"north", "south", "east"};
    return IntStream.range(from, from + n)
        .mapToObj(
            i ->
                new Order(
                    i,
                    regions[i % 3],
                    BigDecimal.valueOf(i * 101L, 2),
                    i % 4 == 0 ? null : "n" + i))
        .toList();
  }

  private Table table(Mesh mesh, String name) {
    return ((IcebergStore) mesh.store()).catalog().loadTable(TableIdentifier.parse(name));
  }

  private static boolean exists(Mesh mesh, String name) {
    return ((IcebergStore) mesh.store()).catalog().tableExists(TableIdentifier.parse(name));
  }

  private long parquetFiles() throws IOException {
    try (Stream<Path> files = Files.walk(warehouse)) {
      return files.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }

  @Test
  void twoRunsCreatingOneNewTableBothPublishAndAnotherShapeCreatedMeanwhileIsRefused()
      throws IOException {
    try (Mesh mesh = mesh()) {
      Run first = mesh.start(shop(), ME);
      Run second = mesh.start(shop(), ME);
      first.output("orders", Order.class).writeAll(orders(0, 5));
      second.output("orders", Order.class).writeAll(orders(5, 7));
      first.commit();
      second.commit();
      first.close();
      second.close();
      assertThat(table(mesh, "sales.shop.orders").snapshots()).hasSize(2);
      try (var rows =
          org.apache.iceberg.data.IcebergGenerics.read(table(mesh, "sales.shop.orders")).build()) {
        assertThat(rows).hasSize(12);
      }

      long before = parquetFiles();
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(20, 3));
        run.output("customers")
            .write(Row.builder().set("customer_id", 1L).set("email", "a@b.c").build());
        // Someone else creates customers with another schema while this run writes.
        ((IcebergStore) mesh.store())
            .catalog()
            .createTable(
                TableIdentifier.parse("sales.shop.customers"),
                new org.apache.iceberg.Schema(
                    org.apache.iceberg.types.Types.NestedField.required(
                        1, "id", org.apache.iceberg.types.Types.StringType.get())));
        assertThatThrownBy(run::commit)
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("sales.shop.customers")
            .hasMessageContaining("another writer created the table meanwhile")
            .hasMessageContaining("Nothing was published")
            .hasMessageContaining("outputs already published: [orders]");
      }
      assertThat(table(mesh, "sales.shop.customers").currentSnapshot()).isNull();
      assertThat(table(mesh, "sales.shop.orders").snapshots()).hasSize(3);
      assertThat(parquetFiles())
          .as("the customers file was deleted; the three orders files are published")
          .isEqualTo(before + 3);
    }
  }

  @Test
  void closingWithoutCommitLeavesNoFilesNoSnapshotAndSendsAbort() throws IOException {
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class);
      }
      assertThat(exists(mesh, "sales.shop.orders"))
          .as("a table is created by the first run that publishes to it")
          .isFalse();
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).write(orders(0, 1).get(0));
        run.commit();
      }
      // Small row groups and files, so the aborted run has finished and open files on disk.
      table(mesh, "sales.shop.orders")
          .updateProperties()
          .set("write.parquet.row-group-size-bytes", "1024")
          .set("write.target-file-size-bytes", "1")
          .commit();
      events.events.clear();
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 9_000));
        assertThat(parquetFiles()).isGreaterThanOrEqualTo(4);
      }
      assertThat(table(mesh, "sales.shop.orders").snapshots()).hasSize(1);
      assertThat(parquetFiles()).as("only the first run's file").isEqualTo(1);
      assertThat(events.types()).containsExactly(RunEvent.Type.START, RunEvent.Type.ABORT);
    }
  }

  @Test
  void commitPublishesOneSnapshotPerOutputWithRunSummary() {
    try (Mesh mesh = mesh()) {
      RunResult result;
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 900));
        run.output("customers")
            .write(Row.builder().set("customer_id", 1L).set("email", "a@b.c").build());
        result = run.commit();
      }
      Table orders = table(mesh, "sales.shop.orders");
      Snapshot s = orders.currentSnapshot();
      assertThat(s.snapshotId()).isEqualTo(result.output("orders").version());
      assertThat(s.summary())
          .containsEntry("meshwork.run-id", result.runId())
          .containsEntry("meshwork.product.id", "shop")
          .containsEntry("meshwork.product.version", "1.0.0")
          .containsEntry("meshwork.contract.version", "1.0.0")
          .containsEntry("added-records", "900");
      assertThat(orders.properties()).containsEntry("meshwork.contract.id", "shop-orders");
      assertThat(((org.apache.iceberg.BaseTable) orders).operations().current().formatVersion())
          .isEqualTo(2);
      assertThat(orders.spec().fields()).extracting(f -> f.name()).containsExactly("region");
      assertThat(result.output("orders").files()).isEqualTo(3);
      assertThat(orders.schema().identifierFieldNames()).containsExactly("order_id");
      assertThat(table(mesh, "sales.shop.customers").currentSnapshot().summary())
          .containsEntry("added-records", "1");
      assertThat(events.types()).containsExactly(RunEvent.Type.START, RunEvent.Type.COMPLETE);
      assertThat(events.events.get(1).outputs())
          .extracting(RunEvent.OutputInfo::port, RunEvent.OutputInfo::rows)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("orders", 900L),
              org.assertj.core.groups.Tuple.tuple("customers", 1L));
    }
  }

  @Test
  void rerunWithTheSameRunIdDoesNotAppendTwice() throws IOException {
    String runId = UUID.randomUUID().toString();
    try (Mesh mesh = mesh()) {
      RunResult first;
      try (Run run = mesh.start(shop(), ME, RunOptions.builder().runId(runId).build())) {
        run.output("orders", Order.class).writeAll(orders(0, 300));
        first = run.commit();
      }
      long filesAfterFirst = parquetFiles();
      RunResult second;
      try (Run run = mesh.start(shop(), ME, RunOptions.builder().runId(runId).build())) {
        run.output("orders", Order.class).writeAll(orders(0, 300));
        second = run.commit();
      }
      assertThat(second.output("orders").alreadyPublished()).isTrue();
      assertThat(second.output("orders").version()).isEqualTo(first.output("orders").version());
      Table orders = table(mesh, "sales.shop.orders");
      assertThat(orders.snapshots()).hasSize(1);
      assertThat(parquetFiles()).isEqualTo(filesAfterFirst);
    }
  }

  @Test
  void aRerunThatWroteOtherRowsKeepsThePublishedVersionAndWarnsWithBothCounts() {
    String runId = "orders-2026-11-22";
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(shop(), ME, RunOptions.builder().runId(runId).build())) {
        run.output("orders", Order.class).writeAll(orders(0, 600));
        run.commit();
      }
      RunResult again;
      System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
      try (Run run = mesh.start(shop(), ME, RunOptions.builder().runId(runId).build())) {
        run.output("orders", Order.class).writeAll(orders(0, 1_000));
        again = run.commit();
      } finally {
        System.setErr(err);
      }
      assertThat(again.output("orders").alreadyPublished()).isTrue();
      assertThat(again.output("orders").rows()).isEqualTo(600);
      assertThat(log.toString(java.nio.charset.StandardCharsets.UTF_8))
          .contains("Run orders-2026-11-22 already published 'orders' as version")
          .contains("with 600 rows; this attempt wrote 1000 rows, which are discarded")
          .contains("run it as another batch or with another run id");
    }
  }

  @Test
  void aNullInARequiredFieldFailsTheRunNamingFieldAndRowAndPublishesNothing() throws IOException {
    try (Mesh mesh = mesh()) {
      Run run = mesh.start(shop(), ME);
      OutputPort<Order> out = run.output("orders", Order.class);
      out.writeAll(orders(0, 10));
      assertThatThrownBy(() -> out.write(new Order(11, null, BigDecimal.ONE, null)))
          .isInstanceOf(ContractViolationException.class)
          .hasMessageContaining("row 11")
          .hasMessageContaining("'region'")
          .hasMessageContaining("sales.shop.orders");
      assertThatThrownBy(run::commit)
          .isInstanceOf(RunStateException.class)
          .hasMessageContaining("a write failed earlier");
      run.close();
      assertThat(exists(mesh, "sales.shop.orders")).isFalse();
      assertThat(parquetFiles()).isZero();
      assertThat(events.types()).containsExactly(RunEvent.Type.START, RunEvent.Type.FAIL);
      assertThat(events.events.get(1).error()).isInstanceOf(ContractViolationException.class);
    }
  }

  @Test
  void rowsWithWrongValueTypesAreRejectedWithTheFieldAndExpectedType() {
    try (Mesh mesh = mesh();
        Run run = mesh.start(shop(), ME)) {
      OutputPort<Row> out = run.output("customers");
      assertThatThrownBy(() -> out.write(Row.builder().set("customer_id", "seven").build()))
          .isInstanceOf(ContractViolationException.class)
          .hasMessageContaining(
              "'customer_id' is long and takes a Long, but the row holds a String (seven)");
    }
  }

  @Test
  void unknownPortsListTheKnownOnes() {
    try (Mesh mesh = mesh();
        Run run = mesh.start(shop(), ME)) {
      assertThatThrownBy(() -> run.output("order", Order.class))
          .isInstanceOf(UnknownPortException.class)
          .hasMessageContaining("has no such output port")
          .hasMessageContaining("Known output ports: orders, customers");
      assertThatThrownBy(() -> run.input("orders"))
          .isInstanceOf(UnknownPortException.class)
          .hasMessageContaining("Known input ports: (none)");
    }
  }

  /**
   * A product whose folder lacks one of its contracts loads; the port with the contract publishes,
   * the other fails when it opens, naming its line and the places searched.
   */
  @Test
  void aPortWhoseContractIsFoundNowhereFailsWhenItOpensAndTheOthersWork(@TempDir Path products)
      throws IOException {
    Path product = Files.copy(DIR.resolve("shop.yaml"), products.resolve("shop.yaml"));
    DataProduct shop =
        DataProduct.loader().contract(DIR.resolve("contracts/orders.odcs.yaml")).load(product);
    assertThat(shop.missingContracts())
        .extracting(m -> m.contractId())
        .containsExactly("shop-customers");
    try (Mesh mesh = mesh();
        Run run = mesh.start(shop, ME)) {
      assertThatThrownBy(() -> run.output("customers", Row.class))
          .isInstanceOf(ContractViolationException.class)
          .hasMessageContaining("Cannot open output port 'customers' of product 'shop'")
          .hasMessageContaining("shop.yaml:14:")
          .hasMessageContaining("'shop-customers' matches no contract in")
          .hasMessageContaining(
              "file " + DIR.resolve("contracts/orders.odcs.yaml").toAbsolutePath())
          .hasMessageContaining(products.resolve("contracts") + " (absent)")
          .hasMessageContaining("known contract ids: shop-orders");
      run.output("orders", Order.class).write(new Order(1, "r0", BigDecimal.ONE.setScale(2), null));
      assertThat(run.commit().output("orders").rows()).isEqualTo(1);
    }
  }

  /** Mismatches: amount as double, region missing, an extra component, and a nullable primitive. */
  record WrongOrder(long orderId, double amount, String note, int priority) {}

  record WrongRead(long orderId, String region, BigDecimal amount, long note) {}

  @Test
  void aRecordThatDoesNotMatchTheContractListsEveryDifference() {
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(shop(), ME)) {
        assertThatThrownBy(() -> run.output("orders", WrongOrder.class))
            .isInstanceOf(ContractViolationException.class)
            .hasMessageContaining("3 differences")
            .hasMessageContaining("component 'priority' of WrongOrder matches no contract field")
            .hasMessageContaining(
                "amount: is decimal(10,2) in the contract, but the component is double; use BigDecimal")
            .hasMessageContaining("required contract field 'region' (string) has no component");
        run.output("orders", Order.class).writeAll(orders(0, 3));
        run.commit();
      }
      try (Run run = mesh.start(DataProduct.load(DIR.resolve("reporting.yaml")), ME)) {
        assertThatThrownBy(() -> run.input("orders", WrongRead.class))
            .isInstanceOf(ContractViolationException.class)
            .hasMessageContaining("note: is string in the contract, but the component is long");
      }
    }
  }

  @Test
  void inputsArePinnedForTheRunAndRecordedOnOutputs() {
    try (Mesh mesh = mesh()) {
      RunResult v1;
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 30));
        v1 = run.commit();
      }
      try (Run consumer = mesh.start(DataProduct.load(DIR.resolve("reporting.yaml")), ME)) {
        var in = consumer.input("orders", Order.class);
        try (Run producer = mesh.start(shop(), ME)) {
          producer.output("orders", Order.class).writeAll(orders(30, 30));
          producer.commit();
        }
        long seen;
        try (Stream<Order> rows = in.read()) {
          seen = rows.count();
        }
        assertThat(seen).isEqualTo(30);
        assertThat(consumer.input("orders", Order.class).version())
            .hasValue(v1.output("orders").version());
        OutputPort<RegionTotal> out = consumer.output("region-totals", RegionTotal.class);
        out.write(new RegionTotal("all", seen, BigDecimal.TEN.setScale(2)));
        RunResult r = consumer.commit();
        Map<String, String> summary =
            table(mesh, "sales.reporting.region_totals")
                .snapshot(r.output("region-totals").version())
                .summary();
        assertThat(summary)
            .containsEntry("meshwork.input.orders.table", "sales.shop.orders")
            .containsEntry(
                "meshwork.input.orders.snapshot-id", Long.toString(v1.output("orders").version()));
      }
    }
  }

  @Test
  void anInputWhoseProducerNeverRanSaysWhatToDo() {
    try (Mesh mesh = mesh();
        Run run = mesh.start(DataProduct.load(DIR.resolve("reporting.yaml")), ME)) {
      assertThatThrownBy(() -> run.input("orders", Order.class))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("no table in embedded Iceberg warehouse")
          .hasMessageContaining("publishes contract 'shop-orders'")
          .hasMessageContaining("Run the producing product first");
    }
  }

  @Test
  void anUnreadableTableElsewhereInTheCatalogDoesNotBreakFindingAnInput() throws IOException {
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 6));
        run.commit();
      }
      org.apache.iceberg.catalog.Catalog catalog = ((IcebergStore) mesh.store()).catalog();
      org.apache.iceberg.Schema schema =
          new org.apache.iceberg.Schema(
              org.apache.iceberg.types.Types.NestedField.optional(
                  1, "x", org.apache.iceberg.types.Types.LongType.get()));
      // Tables of other tools, whose metadata is gone: one beside the producer's, one elsewhere.
      ((org.apache.iceberg.catalog.SupportsNamespaces) catalog)
          .createNamespace(org.apache.iceberg.catalog.Namespace.of("other"));
      for (String name : List.of("sales.shop.broken", "other.broken")) {
        Table t = catalog.createTable(TableIdentifier.parse(name), schema);
        Files.delete(Path.of(java.net.URI.create(metadataFile(t))));
      }
      assertThatThrownBy(() -> catalog.loadTable(TableIdentifier.parse("other.broken")))
          .isInstanceOf(RuntimeException.class);

      try (Run run = mesh.start(DataProduct.load(DIR.resolve("reporting.yaml")), ME);
          Stream<Order> read = run.input("orders", Order.class).read()) {
        assertThat(read.count()).isEqualTo(6);
      }

      // With the producer's table gone too, the error names what was skipped.
      catalog.dropTable(TableIdentifier.parse("sales.shop.orders"), false);
      try (Run run = mesh.start(DataProduct.load(DIR.resolve("reporting.yaml")), ME)) {
        assertThatThrownBy(() -> run.input("orders", Order.class))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("no table in embedded Iceberg warehouse")
            .hasMessageContaining("skipped what could not be read: [table other.broken]");
      }
    }
  }

  @Test
  void aNewOptionalColumnEvolvesTheTableAndOldRowsReadAsNull() {
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 6));
        run.commit();
      }
      try (Run run = mesh.start(DataProduct.load(DIR.resolve("v2/shop.yaml")), ME)) {
        run.output("orders", OrderV2.class)
            .write(new OrderV2(100, "west", BigDecimal.ONE.setScale(2), "web", null));
        run.commit();
      }
      Table t = table(mesh, "sales.shop.orders");
      assertThat(t.schema().findField("channel")).isNotNull();
      assertThat(t.properties()).containsEntry("meshwork.contract.version", "1.1.0");
      Map<Long, Object> channelById = new java.util.HashMap<>();
      try (var it = org.apache.iceberg.data.IcebergGenerics.read(t).build()) {
        it.forEach(r -> channelById.put((Long) r.getField("order_id"), r.getField("channel")));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      assertThat(channelById).hasSize(7).containsEntry(100L, "web");
      assertThat(channelById.entrySet().stream().filter(e -> e.getKey() != 100L))
          .as("the rows written before the column existed")
          .hasSize(6)
          .allSatisfy(e -> assertThat(e.getValue()).isNull());
    }
  }

  @Test
  void aContractChangeReachesTheTableOnlyWithTheRunThatCommitsIt() throws IOException {
    QualityGate blocking =
        context ->
            new QualityGate.Session() {
              @Override
              public <T> QualityGate.Rejection observe(StructShape<T> shape, T value) {
                return null;
              }

              @Override
              public GateVerdict verdict() {
                return new GateVerdict(List.of("blocked by the test"), List.of());
              }
            };
    DataProduct v2 = DataProduct.load(DIR.resolve("v2/shop.yaml"));
    OrderV2 web = new OrderV2(100, "west", BigDecimal.ONE.setScale(2), "web", null);
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 6));
        run.commit();
      }
      String before = metadataFile(table(mesh, "sales.shop.orders"));

      // Aborted: opened, written, closed without commit.
      try (Run run = mesh.start(v2, ME)) {
        run.output("orders", OrderV2.class).write(web);
      }
      assertUnchanged(table(mesh, "sales.shop.orders"), before);

      // Failed: the quality gate blocks the publish.
      try (Mesh gated =
              Mesh.builder().store(IcebergStore.embedded(warehouse)).qualityGate(blocking).build();
          Run run = gated.start(v2, ME)) {
        run.output("orders", OrderV2.class).write(web);
        assertThatThrownBy(run::commit).isInstanceOf(QualityGateException.class);
      }
      assertUnchanged(table(mesh, "sales.shop.orders"), before);

      // Committed: the new column, the contract version and the rows land in one version.
      try (Run run = mesh.start(v2, ME)) {
        run.output("orders", OrderV2.class).write(web);
        run.commit();
      }
      Table t = table(mesh, "sales.shop.orders");
      assertThat(t.schema().findField("channel")).isNotNull();
      assertThat(t.properties()).containsEntry("meshwork.contract.version", "1.1.0");
      assertThat(t.snapshots()).hasSize(2);
      List<org.apache.iceberg.data.Record> rows = new java.util.ArrayList<>();
      try (var it = org.apache.iceberg.data.IcebergGenerics.read(t).build()) {
        it.forEach(r -> rows.add(r.copy()));
      }
      // The files were written with the evolved schema's field ids: the new column reads back.
      assertThat(rows)
          .filteredOn(r -> Long.valueOf(100).equals(r.getField("order_id")))
          .singleElement()
          .satisfies(r -> assertThat(r.getField("channel")).isEqualTo("web"));
      assertThat(rows).filteredOn(r -> r.getField("channel") == null).hasSize(6);
    }
  }

  @Test
  void twoRunsThatBothEvolveTheTableBothPublish() {
    DataProduct v2 = DataProduct.load(DIR.resolve("v2/shop.yaml"));
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 6));
        run.commit();
      }
      // Both open the port before either commits: both hold the same pending evolution.
      try (Run first = mesh.start(v2, ME);
          Run second = mesh.start(v2, ME)) {
        first
            .output("orders", OrderV2.class)
            .write(new OrderV2(100, "west", BigDecimal.ONE.setScale(2), "web", null));
        second
            .output("orders", OrderV2.class)
            .write(new OrderV2(200, "west", BigDecimal.TEN.setScale(2), "shop", null));
        first.commit();
        second.commit();
      }
      Table t = table(mesh, "sales.shop.orders");
      assertThat(t.snapshots()).hasSize(3);
      assertThat(t.schemas()).as("evolved once").hasSize(2);
      List<org.apache.iceberg.data.Record> rows = new java.util.ArrayList<>();
      try (var it = org.apache.iceberg.data.IcebergGenerics.read(t).build()) {
        it.forEach(r -> rows.add(r.copy()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      assertThat(rows)
          .filteredOn(r -> r.getField("channel") != null)
          .extracting(r -> r.getField("channel"))
          .containsExactlyInAnyOrder("web", "shop");
    }
  }

  private static String metadataFile(Table t) {
    return ((org.apache.iceberg.HasTableOperations) t)
        .operations()
        .current()
        .metadataFileLocation();
  }

  private static void assertUnchanged(Table t, String metadataFile) {
    assertThat(metadataFile(t)).as("no new table metadata").isEqualTo(metadataFile);
    assertThat(t.schema().findField("channel")).isNull();
    assertThat(t.properties()).containsEntry("meshwork.contract.version", "1.0.0");
  }

  @Test
  void aChangedPartitioningIsRefusedWithWhatChanged(@TempDir Path products) throws IOException {
    Path v3 = products.resolve("v3");
    Files.createDirectories(v3.resolve("contracts"));
    Files.copy(DIR.resolve("v2/shop.yaml"), v3.resolve("shop.yaml"));
    Files.copy(
        DIR.resolve("v2/contracts/customers.odcs.yaml"),
        v3.resolve("contracts/customers.odcs.yaml"));
    Files.writeString(
        v3.resolve("contracts/orders.odcs.yaml"),
        Files.readString(DIR.resolve("v2/contracts/orders.odcs.yaml"))
            .replace("version: 1.1.0", "version: 1.2.0")
            .replace("        partitioned: true\n        partitionKeyPosition: 1\n", ""));
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 6));
        run.commit();
      }
      try (Run run = mesh.start(DataProduct.load(v3.resolve("shop.yaml")), ME)) {
        assertThatThrownBy(() -> run.output("orders", OrderV2.class))
            .isInstanceOf(ContractViolationException.class)
            .hasMessageContaining(
                "the contract partitions table sales.shop.orders by none, but the table is"
                    + " partitioned by region")
            .hasMessageContaining("publish the new layout to a new port");
      }
      assertThat(table(mesh, "sales.shop.orders").spec().fields()).hasSize(1);
    }
  }

  @Test
  void anIncompatibleContractChangeIsRejectedBeforeAnythingIsWritten() {
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 6));
        run.commit();
      }
      record OrderText(long orderId, String region, String amount, String note) {}
      try (Run run = mesh.start(DataProduct.load(DIR.resolve("incompatible/shop.yaml")), ME)) {
        assertThatThrownBy(() -> run.output("orders", OrderText.class))
            .isInstanceOf(ContractViolationException.class)
            .hasMessageContaining("incompatible with the published table")
            .hasMessageContaining("amount");
      }
      assertThat(table(mesh, "sales.shop.orders").snapshots()).hasSize(1);
    }
  }

  @Test
  void aBlockingQualityVerdictPublishesNothingAndDeletesStagedFiles() throws IOException {
    AtomicLong seen = new AtomicLong();
    QualityGate gate =
        context ->
            new QualityGate.Session() {
              @Override
              public <T> QualityGate.Rejection observe(StructShape<T> shape, T value) {
                seen.incrementAndGet();
                return null;
              }

              @Override
              public GateVerdict verdict() {
                return context.port().equals("orders") && seen.get() > 10
                    ? new GateVerdict(
                        List.of("rowCount " + seen.get() + " must be at most 10"), List.of())
                    : GateVerdict.passed();
              }
            };
    try (Mesh mesh =
        Mesh.builder()
            .store(IcebergStore.embedded(warehouse))
            .qualityGate(gate)
            .listener(events)
            .build()) {
      try (Run run = mesh.start(shop(), ME)) {
        run.output("customers").write(Row.builder().set("customer_id", 1L).build());
        run.output("orders", Order.class).writeAll(orders(0, 20));
        assertThatThrownBy(run::commit)
            .isInstanceOf(QualityGateException.class)
            .hasMessageContaining("nothing was published")
            .hasMessageContaining("orders: rowCount 21 must be at most 10");
      }
      assertThat(exists(mesh, "sales.shop.orders")).isFalse();
      assertThat(exists(mesh, "sales.shop.customers")).isFalse();
      assertThat(parquetFiles()).isZero();
      assertThat(events.types()).containsExactly(RunEvent.Type.START, RunEvent.Type.FAIL);
    }
  }

  /** A record whose order id is a primitive: a mask that nulls it would read as 0. */
  record PrimitiveIdOrder(long orderId, String region, BigDecimal amount, String note) {}

  /** The same record with the id boxed: the masked id reads as null. */
  record BoxedIdOrder(Long orderId, String region, BigDecimal amount, String note) {}

  @Test
  void aMaskThatNullsAPrimitiveComponentRefusesThePortInsteadOfReadingZeros() {
    try (Mesh mesh =
        Mesh.builder()
            .store(IcebergStore.embedded(warehouse))
            .policy(
                r ->
                    r.action() == Action.READ
                        ? new Decision(
                            true,
                            List.of("test"),
                            List.of(
                                new Decision.ColumnMask(
                                    "order_id", Decision.MaskKind.NULL, 0, "grant:test")))
                        : Decision.allow("test"))
            .build()) {
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(1, 3));
        run.commit();
      }
      try (Run run = mesh.start(DataProduct.load(DIR.resolve("reporting.yaml")), ME)) {
        assertThatThrownBy(() -> run.input("orders", PrimitiveIdOrder.class))
            .isInstanceOf(ContractViolationException.class)
            .hasMessageContaining("Cannot read input port 'orders'")
            .hasMessageContaining("order_id (long) under mask 'order_id' (null)")
            .hasMessageContaining("Declare the component with its boxed type");
        try (Stream<BoxedIdOrder> rows = run.input("orders", BoxedIdOrder.class).read()) {
          assertThat(rows.toList())
              .hasSize(3)
              .allSatisfy(o -> assertThat(o.orderId()).isNull())
              .allSatisfy(o -> assertThat(o.region()).isNotNull());
        }
      }
    }
  }

  @Test
  void aPolicyDenialStopsTheActionWithItsReasons() {
    try (Mesh mesh =
            Mesh.builder()
                .store(IcebergStore.embedded(warehouse))
                .policy(
                    r ->
                        r.action() == Action.WRITE && r.port().equals("customers")
                            ? Decision.deny(
                                "grants.yaml rule pii-writers: "
                                    + r.principal()
                                    + " may not write PII")
                            : Decision.allow("test"))
                .build();
        Run run = mesh.start(shop(), ME)) {
      assertThatThrownBy(() -> run.output("customers"))
          .isInstanceOf(PolicyDeniedException.class)
          .hasMessageContaining(
              "Policy denied WRITE on port 'customers' of product 'shop' for service:lifecycle-test")
          .hasMessageContaining("rule pii-writers");
      assertThat(run.output("orders", Order.class).table()).isEqualTo("sales.shop.orders");
    }
  }

  /**
   * A table folder that cannot take a data file fails the write, naming the file; nothing lands.
   */
  @Test
  void aDataFileThatCannotBeCreatedFailsTheRunAndPublishesNothing() throws IOException {
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 3));
        run.commit();
      }
      Table table = table(mesh, "sales.shop.orders");
      long snapshot = table.currentSnapshot().snapshotId();
      Path data = Path.of(java.net.URI.create(table.location() + "/data"));
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      // A plain file where the data folder should be: no data file can be created below it.
      Files.writeString(data, "not a folder");
      try (Run run = mesh.start(shop(), ME)) {
        assertThatThrownBy(() -> run.output("orders", Order.class).writeAll(orders(3, 3)))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("Cannot create data file " + table.location() + "/data/")
            .hasMessageContaining("Check that the warehouse is writable and reachable");
      }
      table.refresh();
      assertThat(table.currentSnapshot().snapshotId()).isEqualTo(snapshot);
    }
  }

  @Test
  void anUnwritableWarehouseGivesAClearError() throws IOException {
    Path file = Files.writeString(warehouse.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> IcebergStore.embedded(file.resolve("wh")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("Cannot create the warehouse folder")
        .hasMessageContaining("Choose a writable path");
  }

  @Test
  void theZeroConfigurationMeshUsesTheEmbeddedWarehouse() {
    try (Mesh mesh =
        Mesh.builder()
            .settings(
                dev.meshwork.core.Settings.builder()
                    .set(dev.meshwork.core.Settings.WAREHOUSE, warehouse.toString())
                    .build())
            .build()) {
      assertThat(mesh.store().describe())
          .contains("embedded Iceberg warehouse at " + warehouse.toAbsolutePath());
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 3));
        assertThat(run.commit().output("orders").rows()).isEqualTo(3);
      }
      assertThat(warehouse.resolve("catalog.db")).exists();
    }
  }

  @Test
  void aStoreOwnsItsCompressionThreadsAndStopsThemWhenItCloses() throws Exception {
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    java.util.List<Thread> started;
    try (Mesh mesh =
        Mesh.builder()
            .store(
                IcebergStore.open(
                    StoreConfig.builder()
                        .warehouse(warehouse.toString())
                        .compressionThreads(2)
                        .build()))
            .discoverNothing()
            .build()) {
      try (Run run = mesh.start(shop(), ME)) {
        run.output("orders", Order.class).writeAll(orders(0, 60_000));
        assertThat(run.commit().output("orders").rows()).isEqualTo(60_000);
      }
      started =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> !before.contains(t))
              .filter(t -> t.getName().startsWith("meshwork-page-compression-"))
              .toList();
      assertThat(started).as("this store's compression threads").hasSizeBetween(1, 2);
    }
    for (Thread t : started) {
      t.join(10_000);
    }
    assertThat(started).as("stopped with the store").noneMatch(Thread::isAlive);
  }
}
