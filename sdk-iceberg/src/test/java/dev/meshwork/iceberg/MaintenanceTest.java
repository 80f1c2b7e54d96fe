package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Orphan removal over random histories: publishes, aborted runs, files left by killed runs and by
 * commits that never reached the catalog, snapshot expiry with and without Iceberg's own cleanup,
 * deletes (whole-file, and merge-on-read position delete files), compactions that rewrite files
 * with their deletes, commits of unknown outcome. After a pass every version that still exists
 * reads to its rows, every planted orphan older than the window is gone, younger ones and the files
 * named by a recent unknown-commit list stay, and a second pass finds nothing.
 */
class MaintenanceTest {
  private static final Path DIR = Path.of("src/test/resources/lifecycle");
  private static final Principal ME = Principal.service("maintenance-test");
  private static final String ORDERS = "sales.shop.orders";

  record Order(long orderId, String region, BigDecimal amount, String note) {}

  /** One step of a history. */
  enum Step {
    PUBLISH,
    ABORT,
    KILLED_WRITER,
    KILLED_COMMIT,
    EXPIRE_KEEPING_FILES,
    EXPIRE_WITH_CLEANUP,
    DELETE_ALL,
    MERGE_ON_READ_DELETE,
    COMPACT,
    UNKNOWN_COMMIT
  }

  @Provide
  Arbitrary<List<Step>> histories() {
    return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(12);
  }

  @Property(tries = 25, seed = "20261203")
  void noPassDeletesAFileAVersionNeedsAndEveryOldOrphanGoes(@ForAll("histories") List<Step> history)
      throws IOException {
    Path warehouse = Files.createTempDirectory("maintenance");
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build()) {
      DataProduct shop = DataProduct.load(DIR.resolve("shop.yaml"));
      Random random = new Random(history.hashCode());
      List<Path> orphans = new ArrayList<>();
      List<Path> keptByUnknownCommit = new ArrayList<>();
      long next = 0;
      for (Step step : history) {
        Table t = table(mesh);
        switch (step) {
          case PUBLISH -> {
            publish(mesh, shop, next, 1 + random.nextInt(40));
            next += 100;
          }
          case ABORT -> {
            try (Run run = mesh.start(shop, ME)) {
              run.output("orders", Order.class).writeAll(orders(next, 5));
            }
          }
          case KILLED_WRITER -> orphans.add(plant(warehouse, "data/region=north", ".parquet"));
          case KILLED_COMMIT -> {
            orphans.add(plant(warehouse, "metadata", "-m0.avro"));
            orphans.add(plant(warehouse, "metadata", ".metadata.json"));
          }
          case EXPIRE_KEEPING_FILES -> {
            if (t != null && t.currentSnapshot() != null) {
              t.expireSnapshots().retainLast(1).cleanExpiredFiles(false).commit();
            }
          }
          case EXPIRE_WITH_CLEANUP -> {
            if (t != null && t.currentSnapshot() != null) {
              t.expireSnapshots().retainLast(1).commit();
            }
          }
          case DELETE_ALL -> {
            if (t != null && t.currentSnapshot() != null) {
              t.newDelete()
                  .deleteFromRowFilter(org.apache.iceberg.expressions.Expressions.alwaysTrue())
                  .commit();
            }
          }
          case MERGE_ON_READ_DELETE -> {
            if (t != null) {
              t.updateProperties().set("write.delete.mode", "merge-on-read").commit();
              // Every other order of the last publish: marked in position delete files.
              long from = next - 100;
              try (Run run = mesh.start(shop, ME)) {
                run.output(
                    "orders",
                    Order.class,
                    dev.meshwork.core.WriteMode.delete(
                        dev.meshwork.core.Filter.in(
                            "order_id",
                            IntStream.range(0, 40)
                                .filter(i -> i % 2 == 0)
                                .mapToObj(i -> (Object) (from + i))
                                .toList())));
                run.commit();
              }
            }
          }
          case COMPACT -> Maintenance.of((IcebergStore) mesh.store()).compact(shop);
          case UNKNOWN_COMMIT -> {
            Path staged = plant(warehouse, "data/region=south", ".parquet");
            Path list = plant(warehouse, "metadata/meshwork-unknown-commits", ".txt");
            Files.writeString(list, staged.toString(), StandardCharsets.UTF_8);
            keptByUnknownCommit.add(staged);
            keptByUnknownCommit.add(list);
          }
        }
      }
      Map<Long, Long> rowsBefore = rowsPerVersion(table(mesh));

      // A window of an hour: nothing planted a moment ago is touched.
      Maintenance.OrphanReport young =
          Maintenance.of((IcebergStore) mesh.store()).removeOrphanFiles(shop, Duration.ofHours(1));
      assertThat(young.deletedFiles()).isZero();
      assertThat(orphans).allMatch(Files::exists);

      // An hour later, with a window of a minute: recent unknown-commit lists keep their files.
      Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);
      Maintenance.of((IcebergStore) mesh.store(), later)
          .removeOrphanFiles(shop, Duration.ofMinutes(61));
      assertThat(keptByUnknownCommit).allMatch(Files::exists);
      Maintenance.OrphanReport old =
          Maintenance.of((IcebergStore) mesh.store(), later).removeOrphanFiles(shop, Duration.ZERO);
      assertThat(orphans).noneMatch(Files::exists);
      assertThat(keptByUnknownCommit).noneMatch(Files::exists);
      assertThat(old.deletedFiles()).isGreaterThanOrEqualTo(orphans.size());

      assertThat(rowsPerVersion(table(mesh))).isEqualTo(rowsBefore);
      assertThat(
              Maintenance.of((IcebergStore) mesh.store(), later)
                  .removeOrphanFiles(shop, Duration.ZERO)
                  .deletedFiles())
          .as("a second pass")
          .isZero();
    } finally {
      try (Stream<Path> files = Files.walk(warehouse)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  record RegionTotal(String region, long orders, BigDecimal total) {}

  @org.junit.jupiter.api.Test
  void expiryKeepsTheCurrentVersionAndWhatTheConsumerRecordedAsConsumed(
      @org.junit.jupiter.api.io.TempDir Path warehouse) throws IOException {
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build()) {
      DataProduct shop = DataProduct.load(DIR.resolve("shop.yaml"));
      DataProduct reporting = DataProduct.load(DIR.resolve("reporting.yaml"));
      publish(mesh, shop, 0, 10);
      publish(mesh, shop, 100, 10);
      long consumedVersion = table(mesh).currentSnapshot().snapshotId();
      consume(mesh, reporting);
      for (int i = 2; i < 5; i++) {
        publish(mesh, shop, i * 100L, 10);
      }
      long current = table(mesh).currentSnapshot().snapshotId();
      Maintenance maintenance = Maintenance.of((IcebergStore) mesh.store());

      // The contract names no retention: a week; everything here is younger.
      assertThat(maintenance.expireSnapshots(shop))
          .filteredOn(r -> r.table().equals(ORDERS))
          .singleElement()
          .satisfies(r -> assertThat(r.expired()).isZero());
      assertThat(table(mesh).snapshots()).hasSize(5);

      List<Maintenance.ExpiryResult> results = maintenance.expireSnapshots(shop, Duration.ZERO);
      Maintenance.ExpiryResult orders =
          results.stream().filter(r -> r.table().equals(ORDERS)).findFirst().orElseThrow();
      assertThat(orders.expired()).isEqualTo(3);
      assertThat(orders.consumerPins())
          .containsExactly(
              "meshwork-consumed-by.sales.reporting.region_totals.orders=" + consumedVersion);
      Table t = table(mesh);
      assertThat(t.snapshots())
          .extracting(Snapshot::snapshotId)
          .containsExactlyInAnyOrder(consumedVersion, current);
      assertThat(rowsPerVersion(t)).containsEntry(consumedVersion, 20L).containsEntry(current, 50L);
      assertThat(
              Maintenance.of((IcebergStore) mesh.store())
                  .removeOrphanFiles(shop, Duration.ZERO)
                  .deletedFiles())
          .as("expiry deleted the files only expired versions held")
          .isZero();

      // The consumer moves on: its pin moves, and the old version may go.
      consume(mesh, reporting);
      maintenance.expireSnapshots(shop, Duration.ZERO);
      assertThat(table(mesh).snapshots()).extracting(Snapshot::snapshotId).containsExactly(current);
      assertThat(table(mesh).refs())
          .containsKey("meshwork-consumed-by.sales.reporting.region_totals.orders");
      assertThatThrownBy(() -> maintenance.expireSnapshots(shop, Duration.ofDays(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("give a retention of zero or more");
    }
  }

  @org.junit.jupiter.api.Test
  void theContractsRetentionDecidesWhatExpiresAndAnUnknownUnitIsNamed(
      @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    Path products = tmp.resolve("products");
    try (Stream<Path> files = Files.walk(DIR)) {
      for (Path f : files.toList()) {
        Path to = products.resolve(DIR.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path contract = products.resolve("contracts/orders.odcs.yaml");
    String original = Files.readString(contract);
    Files.writeString(
        contract,
        original + "slaProperties:\n  - property: retention\n    value: 2\n    unit: d\n");
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(tmp.resolve("wh"))).listener(e -> {}).build()) {
      DataProduct shop = DataProduct.load(products.resolve("shop.yaml"));
      publish(mesh, shop, 0, 10);
      publish(mesh, shop, 100, 10);
      Clock inADay = Clock.fixed(Instant.now().plus(Duration.ofDays(1)), ZoneOffset.UTC);
      Clock inThreeDays = Clock.fixed(Instant.now().plus(Duration.ofDays(3)), ZoneOffset.UTC);
      Maintenance.of((IcebergStore) mesh.store(), inADay).expireSnapshots(shop);
      assertThat(table(mesh).snapshots()).as("two days are kept").hasSize(2);
      Maintenance.of((IcebergStore) mesh.store(), inThreeDays).expireSnapshots(shop);
      assertThat(table(mesh).snapshots()).hasSize(1);

      Files.writeString(
          contract,
          original
              + "slaProperties:\n  - property: retention\n    value: 2\n    unit: fortnight\n");
      DataProduct odd = DataProduct.load(products.resolve("shop.yaml"));
      assertThatThrownBy(() -> Maintenance.of((IcebergStore) mesh.store()).expireSnapshots(odd))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("contract 'shop-orders'")
          .hasMessageContaining("unit 'fortnight' is not one of h, d, w, m, y");
    }
  }

  @org.junit.jupiter.api.Test
  void compactionAndManifestRewritesKeepEveryRow(@org.junit.jupiter.api.io.TempDir Path warehouse)
      throws IOException {
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build()) {
      DataProduct shop = DataProduct.load(DIR.resolve("shop.yaml"));
      for (int i = 0; i < 8; i++) {
        publish(mesh, shop, i * 100L, 30);
      }
      Table before = table(mesh);
      long version = before.currentSnapshot().snapshotId();
      List<String> rows = rowsOf(before);
      assertThat(dataFiles(before)).isEqualTo(24);

      List<Maintenance.CompactionResult> results =
          Maintenance.of((IcebergStore) mesh.store()).compact(shop);
      assertThat(results)
          .filteredOn(r -> r.table().equals(ORDERS))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.rewrittenFiles()).isEqualTo(24);
                assertThat(r.addedFiles()).as("one per region").isEqualTo(3);
              });
      Table after = table(mesh);
      assertThat(dataFiles(after)).isEqualTo(3);
      assertThat(rowsOf(after)).containsExactlyInAnyOrderElementsOf(rows);
      assertThat(after.currentSnapshot().operation()).isEqualTo("replace");
      assertThat(after.currentSnapshot().summary())
          .containsEntry("meshwork.maintenance", "compaction");
      assertThat(rowsPerVersion(after)).containsEntry(version, (long) rows.size());
      assertThat(after.currentSnapshot().dataManifests(after.io())).hasSizeGreaterThan(1);
      Maintenance.ManifestResult manifests =
          Maintenance.of((IcebergStore) mesh.store()).rewriteManifests(shop).stream()
              .filter(r -> r.table().equals(ORDERS))
              .findFirst()
              .orElseThrow();
      assertThat(manifests.manifestsAfter()).isEqualTo(1).isLessThan(manifests.manifestsBefore());
      assertThat(rowsOf(table(mesh))).containsExactlyInAnyOrderElementsOf(rows);
      // The table goes on as before: the next run appends, a second pass has nothing to do.
      publish(mesh, shop, 5_000, 30);
      assertThat(rowsOf(table(mesh))).hasSize(rows.size() + 30);
      assertThat(
              Maintenance.of((IcebergStore) mesh.store()).compact(shop).stream()
                  .filter(r -> r.table().equals(ORDERS))
                  .findFirst()
                  .orElseThrow()
                  .addedFiles())
          .as("the new run's 3 files and the 3 compacted ones")
          .isEqualTo(3);
    }
  }

  private static int dataFiles(Table t) throws IOException {
    int n = 0;
    try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = t.newScan().planFiles()) {
      for (org.apache.iceberg.FileScanTask ignored : tasks) {
        n++;
      }
    }
    return n;
  }

  private static List<String> rowsOf(Table t) throws IOException {
    List<String> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
      rows.forEach(r -> out.add(r.toString()));
    }
    return out;
  }

  private static void consume(Mesh mesh, DataProduct reporting) {
    try (Run run = mesh.start(reporting, ME)) {
      long seen;
      try (Stream<Order> rows = run.input("orders", Order.class).read()) {
        seen = rows.count();
      }
      run.output("region-totals", RegionTotal.class)
          .write(new RegionTotal("all", seen, BigDecimal.TEN.setScale(2)));
      run.commit();
    }
  }

  @org.junit.jupiter.api.Test
  void aNegativeAgeIsRefused(@org.junit.jupiter.api.io.TempDir Path warehouse) {
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build()) {
      assertThatThrownBy(
              () ->
                  Maintenance.of((IcebergStore) mesh.store())
                      .removeOrphanFiles(
                          DataProduct.load(DIR.resolve("shop.yaml")), Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("give an age of zero or more");
    }
  }

  private static Table table(Mesh mesh) {
    var catalog = ((IcebergStore) mesh.store()).catalog();
    TableIdentifier id = TableIdentifier.parse(ORDERS);
    return catalog.tableExists(id) ? catalog.loadTable(id) : null;
  }

  /** A file where the orders table keeps its files, named like one Meshwork would write. */
  private static Path plant(Path warehouse, String folder, String suffix) throws IOException {
    Path dir = Files.createDirectories(warehouse.resolve("sales/shop/orders").resolve(folder));
    Path f = dir.resolve(UUID.randomUUID() + "-00000-orphan" + suffix);
    Files.write(f, new byte[] {1, 2, 3});
    return f;
  }

  private static void publish(Mesh mesh, DataProduct shop, long from, int n) {
    try (Run run = mesh.start(shop, ME)) {
      run.output("orders", Order.class).writeAll(orders(from, n));
      run.commit();
    }
  }

  private static List<Order> orders(long from, int n) {
    String[] regions = {"north", "south", "east"};
    return IntStream.range(0, n)
        .mapToObj(i -> new Order(from + i, regions[i % 3], BigDecimal.valueOf(i, 2), null))
        .toList();
  }

  /** The rows every version of the table reads to (a missing file would throw). */
  private static Map<Long, Long> rowsPerVersion(Table t) throws IOException {
    Map<Long, Long> out = new HashMap<>();
    if (t == null) {
      return out;
    }
    for (Snapshot s : t.snapshots()) {
      long n = 0;
      try (CloseableIterable<Record> rows =
          IcebergGenerics.read(t).useSnapshot(s.snapshotId()).build()) {
        for (Record ignored : rows) {
          n++;
        }
      }
      out.put(s.snapshotId(), n);
    }
    return out;
  }
}
