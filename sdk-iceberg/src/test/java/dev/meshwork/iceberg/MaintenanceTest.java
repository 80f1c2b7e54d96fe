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
 * deletes, commits of unknown outcome. After a pass every version that still exists reads to its
 * rows, every planted orphan older than the window is gone, younger ones and the files named by a
 * recent unknown-commit list stay, and a second pass finds nothing.
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
