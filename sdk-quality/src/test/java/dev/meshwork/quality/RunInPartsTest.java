package dev.meshwork.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.PartSpec;
import dev.meshwork.core.PartWriter;
import dev.meshwork.core.Principal;
import dev.meshwork.core.QualityGateException;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.RunStateException;
import dev.meshwork.core.StagedPart;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.spi.RunEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run written in parts, as a Spark or Flink job does it: the coordinator hands out a spec, each
 * "task" gets it through Java serialization, writes its part and sends the staged part back the
 * same way, and the coordinator commits them all: one version, one verdict over every row.
 */
class RunInPartsTest {
  private static final Path SHOP = Path.of("src/test/resources/gate/shop.yaml");
  private static final Principal ME = Principal.service("parts-test");
  private static final String ORDERS = "sales.shop.orders";
  private static final String QUARANTINE = "sales.shop.orders__quarantine";

  /** An order of the gate's shop; serializable only so that tests may ship rows, not needed. */
  record Order(long orderId, String status, String email, BigDecimal amount)
      implements Serializable {}

  @TempDir Path warehouse;
  private final List<RunEvent> events = new CopyOnWriteArrayList<>();

  private Mesh mesh(ContractQualityGate gate) {
    return Mesh.builder()
        .store(IcebergStore.embedded(warehouse))
        .qualityGate(gate)
        .listener(events::add)
        .build();
  }

  /** Orders {@code from} to {@code from + n - 1}; every 40th has an unknown status. */
  private static List<Order> orders(long from, int n) {
    String[] states = {"OPEN", "SHIPPED", "DELIVERED"};
    return LongStream.range(from, from + n)
        .mapToObj(
            id ->
                new Order(
                    id,
                    id % 40 == 7 ? "LOST" : states[(int) (id % 3)],
                    id % 10 == 0 ? null : "c" + id + "@example.com",
                    BigDecimal.valueOf(id % 900, 2)))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static <T> T shipped(T value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(value);
      }
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (T) in.readObject();
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot ship " + value, e);
    }
  }

  /** A task: the spec arrives serialized, the staged part goes back serialized. */
  private static StagedPart task(PartSpec<Order> spec, int part, int attempt, List<Order> rows) {
    PartSpec<Order> mine = shipped(spec);
    try (PartWriter<Order> w = mine.open(part, attempt)) {
      rows.forEach(w::write);
      return StagedPart.fromBytes(w.finish().toBytes());
    }
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

  private static Set<String> live(Table t) throws IOException {
    Set<String> files = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      tasks.forEach(f -> files.add(Path.of(java.net.URI.create(f.file().location())).toString()));
    }
    return files;
  }

  /** Every Parquet file on disk under a port's table folder. */
  private Set<String> onDisk(String port) throws IOException {
    Path dir = warehouse.resolve("sales/shop/" + port);
    if (!Files.exists(dir)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".parquet"))
          .map(Path::toString)
          .collect(Collectors.toSet());
    }
  }

  @Test
  void partsOfManyTasksPublishOneVersionWithOneVerdictAndLosingAttemptsLeaveNothing()
      throws IOException {
    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults())) {
      RunResult r;
      List<Order> all = new ArrayList<>();
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        PartSpec<Order> spec = run.parts("orders", Order.class);
        List<StagedPart> parts = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
          List<Order> rows = orders(p * 1000L, 250);
          all.addAll(rows);
          parts.add(task(spec, p, 0, rows));
        }
        // A speculative copy of part 2 that also finished, delivered first, and part 0 twice.
        parts.add(0, task(spec, 2, 1, orders(2000L, 250)));
        parts.add(parts.get(1));
        // An attempt whose executor died after writing: its part never reaches the coordinator.
        task(spec, 3, 2, orders(3000L, 250));
        assertThat(parts.get(1).qualityStateBytes()).isPositive();
        r = run.commit(parts);
      }
      long lost = all.stream().filter(o -> o.status().equals("LOST")).count();
      RunResult.Output out = r.output("orders");
      assertThat(out.rows()).isEqualTo(all.size() - lost);
      assertThat(out.quarantined()).isEqualTo(lost);
      assertThat(r.output("orders__quarantine").rows()).isEqualTo(lost);
      QualityReport report = QualityReport.fromJson(out.quality().report());
      assertThat(report.rowCount()).isEqualTo(all.size() - lost);
      assertThat(report.passed()).isTrue();

      Table orders = table(mesh, ORDERS);
      assertThat(orders.snapshots()).hasSize(1);
      assertThat(rows(orders))
          .extracting(x -> (Long) x.getField("order_id"))
          .containsExactlyInAnyOrderElementsOf(
              all.stream().filter(o -> !o.status().equals("LOST")).map(Order::orderId).toList());
      assertThat(orders.currentSnapshot().summary())
          .containsEntry(ContractQualityGate.SUMMARY_QUARANTINED, String.valueOf(lost))
          .containsEntry("meshwork.run-id", r.runId());
      Table quarantine = table(mesh, QUARANTINE);
      assertThat(quarantine.snapshots()).hasSize(1);
      assertThat(rows(quarantine))
          .extracting(x -> x.getField("quarantine_rule_id"))
          .containsOnly("known-status")
          .hasSize((int) lost);
      assertThat(onDisk("orders")).isEqualTo(live(orders));
      assertThat(onDisk("orders__quarantine")).isEqualTo(live(quarantine));
      assertThat(events)
          .extracting(RunEvent::type)
          .containsExactly(RunEvent.Type.START, RunEvent.Type.COMPLETE);
    }
  }

  @Test
  void aKeyRepeatedInTwoPartsFailsUniquenessForTheWholeOutputAndNothingIsLeft() throws IOException {
    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults());
        Run run = mesh.start(DataProduct.load(SHOP), ME)) {
      PartSpec<Order> spec = run.parts("orders", Order.class);
      // Each part's keys are unique; order 1005 is in both.
      List<StagedPart> parts =
          List.of(task(spec, 0, 0, orders(1000L, 6)), task(spec, 1, 0, orders(1005L, 6)));
      assertThatThrownBy(() -> run.commit(parts))
          .isInstanceOf(QualityGateException.class)
          .hasMessageContaining("implicit:primaryKey:order_id")
          .hasMessageContaining("nothing was published");
      assertThat(exists(mesh, ORDERS)).as("a table no run published").isFalse();
      assertThat(onDisk("orders")).isEmpty();
      assertThat(events).extracting(RunEvent::type).last().isEqualTo(RunEvent.Type.FAIL);
    }
  }

  @Test
  void aRetriedCommitOfTheSameRunAndPartsPublishesNothingTwiceAndDeletesNothingLive()
      throws IOException {
    String runId = UUID.randomUUID().toString();
    RunOptions options = RunOptions.builder().runId(runId).build();
    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults())) {
      List<StagedPart> parts;
      try (Run run = mesh.start(DataProduct.load(SHOP), ME, options)) {
        PartSpec<Order> spec = run.parts("orders", Order.class);
        parts = List.of(task(spec, 0, 0, orders(0, 100)), task(spec, 1, 0, orders(100, 100)));
        run.commit(parts);
      }
      Table orders = table(mesh, ORDERS);
      Set<String> before = live(orders);
      // The coordinator died after the catalog commit; the retry commits the same parts again.
      try (Run again = mesh.start(DataProduct.load(SHOP), ME, options)) {
        again.parts("orders", Order.class);
        RunResult r = again.commit(parts);
        assertThat(r.output("orders").rows()).isEqualTo(195);
      }
      orders.refresh();
      assertThat(orders.snapshots()).hasSize(1);
      assertThat(live(orders)).isEqualTo(before);
      assertThat(onDisk("orders")).isEqualTo(before);
      assertThat(rows(orders)).hasSize(195);
    }
  }

  @Test
  void javaSuitesAreRebuiltInTasksFromTheirFactoryAndOtherChecksAreRefused() throws IOException {
    PartSpec.GateFactory sameChecks = RunInPartsTest::strictGate;
    try (Mesh mesh = mesh(strictGate())) {
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        PartSpec<Order> spec = run.parts("orders", Order.class).withQualityGate(sameChecks);
        List<StagedPart> parts =
            List.of(task(spec, 0, 0, orders(0, 30)), task(spec, 1, 0, orders(30, 30)));
        assertThatThrownBy(() -> run.commit(parts))
            .isInstanceOf(QualityGateException.class)
            .hasMessageContaining("predicate:ids-below-50")
            .hasMessageContaining("observed 10");
      }
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        // The default: tasks build the gate found on their class path, the contract's rules only.
        PartSpec<Order> spec = run.parts("orders", Order.class);
        List<StagedPart> parts = List.of(task(spec, 0, 0, orders(0, 30)));
        assertThatThrownBy(() -> run.commit(parts))
            .isInstanceOf(RunStateException.class)
            .hasMessageContaining("was checked by suite")
            .hasMessageContaining("the same Java suites, from the same suite factory");
      }
      assertThat(exists(mesh, ORDERS)).as("a table no run published").isFalse();
      assertThat(onDisk("orders")).isEmpty();
    }
  }

  @Test
  void aStreamingRunKeepsItsPartsWhenTheCommitFailsAndTheRetryPublishesThem() throws IOException {
    java.util.concurrent.atomic.AtomicBoolean denyPublish =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    dev.meshwork.spi.PolicyEngine policy =
        request ->
            request.action() == dev.meshwork.spi.Action.PUBLISH && denyPublish.get()
                ? dev.meshwork.spi.Decision.deny("the catalog owner froze publishing")
                : dev.meshwork.spi.Decision.allow("test");
    RunOptions kept =
        RunOptions.builder()
            .runId(UUID.randomUUID().toString())
            .onFailure(RunOptions.OnFailure.KEEP_PARTS)
            .build();
    try (Mesh mesh =
        Mesh.builder()
            .store(IcebergStore.embedded(warehouse))
            .qualityGate(ContractQualityGate.ofDefaults())
            .policy(policy)
            .listener(events::add)
            .build()) {
      List<StagedPart> parts;
      try (Run run = mesh.start(DataProduct.load(SHOP), ME, kept)) {
        PartSpec<Order> spec = run.parts("orders", Order.class);
        parts = List.of(task(spec, 0, 0, orders(0, 80)), task(spec, 1, 0, orders(80, 80)));
        assertThatThrownBy(() -> run.commit(parts))
            .isInstanceOf(dev.meshwork.core.PolicyDeniedException.class);
      }
      Set<String> staged = onDisk("orders");
      assertThat(staged).as("the checkpoint still refers to them").hasSize(2);
      assertThat(onDisk("orders__quarantine")).hasSize(2);

      denyPublish.set(false);
      try (Run retry = mesh.start(DataProduct.load(SHOP), ME, kept)) {
        retry.parts("orders", Order.class);
        RunResult r = retry.commit(parts);
        assertThat(r.output("orders").rows()).isEqualTo(156);
        assertThat(r.output("orders__quarantine").rows()).isEqualTo(4);
      }
      assertThat(live(table(mesh, ORDERS))).isEqualTo(onDisk("orders"));
      assertThat(onDisk("orders")).isEqualTo(staged);
    }
  }

  private static ContractQualityGate strictGate() {
    return ContractQualityGate.builder()
        .suite(
            "orders",
            Suite.of("strict", Check.satisfies("ids below 50", Order.class, o -> o.orderId() < 50)))
        .build();
  }

  @Test
  void aTaskThatFailsLeavesNoFilesAndPartsOfOtherRunsOrPortsAreRefused() throws IOException {
    try (Mesh mesh = mesh(ContractQualityGate.ofDefaults())) {
      StagedPart foreign;
      try (Run other = mesh.start(DataProduct.load(SHOP), ME)) {
        foreign = task(other.parts("orders", Order.class), 0, 0, orders(0, 10));
      }
      try (Run run = mesh.start(DataProduct.load(SHOP), ME)) {
        PartSpec<Order> spec = run.parts("orders", Order.class);
        PartSpec<Order> inTask = shipped(spec);
        try (PartWriter<Order> w = inTask.open(0, 0)) {
          orders(0, 500).forEach(w::write);
          // The task dies here: closing without finish deletes what it wrote.
        }
        assertThat(onDisk("orders")).isEmpty();
        StagedPart mine = task(spec, 1, 0, orders(100, 10));
        assertThatThrownBy(() -> run.commit(List.of(mine, foreign)))
            .isInstanceOf(RunStateException.class)
            .hasMessageContaining("it was staged for run " + foreign.runId());
        assertThatThrownBy(() -> run.output("orders", Order.class))
            .isInstanceOf(RunStateException.class);
        assertThatThrownBy(() -> StagedPart.fromBytes(new byte[] {1, 2, 3}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("send what StagedPart.toBytes() gave");
      }
      assertThat(exists(mesh, ORDERS)).as("a table no run published").isFalse();
      assertThat(onDisk("orders")).as("the refused commit deleted both parts' files").isEmpty();
    }
  }
}
