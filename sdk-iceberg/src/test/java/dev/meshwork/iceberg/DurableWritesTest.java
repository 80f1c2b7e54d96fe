package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.internal.LocalFileIO;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a commit refers to is on disk before the catalog points at it: every data file, manifest,
 * manifest list and metadata file of the new version, and the folders that hold them, are forced
 * (seen as the JDK's own {@code jdk.FileForce} flight-recorder events, no hook in the code).
 */
class DurableWritesTest {
  private static final Path DIR = Path.of("src/test/resources/lifecycle");
  private static final Principal ME = Principal.service("durability-test");

  record Order(long orderId, String region, BigDecimal amount, String note) {}

  @TempDir Path warehouse;
  @TempDir Path recordings;

  @Test
  void aCommitForcesEveryFileItRefersToAndTheFoldersThatHoldThem() throws IOException {
    Set<Path> forced;
    Table t;
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build()) {
      forced = forcedWhile(() -> publish(mesh));
      t = ((IcebergStore) mesh.store()).catalog().loadTable(TableIdentifier.parse(TABLE));
    }
    Set<Path> referenced = referenced(t);
    // Three partitions' data files, a manifest, the manifest list and the metadata file.
    assertThat(referenced).hasSizeGreaterThanOrEqualTo(6);
    assertThat(forced).containsAll(referenced);
    Set<Path> folders = new HashSet<>();
    referenced.forEach(p -> folders.add(p.getParent()));
    // Partition folders are new: their parents' entries must reach the disk too.
    folders.add(warehouse.resolve("sales/shop/orders/data"));
    assertThat(forced).containsAll(folders);
  }

  @Test
  void withForcingTurnedOffNothingOfTheWarehouseIsForced() throws IOException {
    StoreConfig noForcing =
        StoreConfig.from(
            dev.meshwork.core.Settings.builder()
                .set("meshwork.warehouse", warehouse.toString())
                .set(StoreConfig.CATALOG_PROPERTY_PREFIX + LocalFileIO.FSYNC, "false")
                .build());
    Set<Path> forced;
    try (Mesh mesh = Mesh.builder().store(IcebergStore.open(noForcing)).listener(e -> {}).build()) {
      forced = forcedWhile(() -> publish(mesh));
    }
    assertThat(warehouse.resolve("sales/shop/orders/data")).isDirectory();
    assertThat(forced).noneMatch(p -> p.startsWith(warehouse.toAbsolutePath().normalize()));
  }

  private static final String TABLE = "sales.shop.orders";

  private static void publish(Mesh mesh) {
    try (Run run = mesh.start(DataProduct.load(DIR.resolve("shop.yaml")), ME)) {
      run.output("orders", Order.class)
          .writeAll(
              IntStream.range(0, 300)
                  .mapToObj(
                      i ->
                          new Order(
                              i,
                              new String[] {"north", "south", "east"}[i % 3],
                              BigDecimal.valueOf(i, 2),
                              null))
                  .toList());
      run.commit();
    }
  }

  /** The paths the JDK forced to disk while {@code work} ran. */
  private Set<Path> forcedWhile(Runnable work) throws IOException {
    Path file = recordings.resolve("forces-" + System.nanoTime() + ".jfr");
    try (Recording r = new Recording()) {
      r.enable("jdk.FileForce").withThreshold(Duration.ZERO).withStackTrace();
      r.start();
      work.run();
      r.stop();
      r.dump(file);
    }
    Set<Path> forced = new HashSet<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String path = e.getString("path");
      if (path != null) {
        forced.add(Path.of(path).toAbsolutePath().normalize());
      }
    }
    return forced;
  }

  /** Every file the table's current version refers to. */
  private static Set<Path> referenced(Table t) throws IOException {
    Set<Path> out = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      tasks.forEach(f -> out.add(local(f.file().location())));
    }
    for (ManifestFile m : t.currentSnapshot().allManifests(t.io())) {
      out.add(local(m.path()));
    }
    out.add(local(t.currentSnapshot().manifestListLocation()));
    out.add(local(((BaseTable) t).operations().current().metadataFileLocation()));
    return out;
  }

  private static Path local(String location) {
    return Path.of(java.net.URI.create(location.startsWith("/") ? "file:" + location : location))
        .toAbsolutePath()
        .normalize();
  }
}
