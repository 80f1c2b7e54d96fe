package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many writers, one output port, on the embedded SQLite catalog and on a JDBC catalog in PostgreSQL
 * (when one is reachable: {@code MESHWORK_TEST_POSTGRES} holds its JDBC URL; {@code .ci/run} starts
 * one): threads in one JVM and separate JVM processes each commit runs; every commit becomes
 * exactly one snapshot and no row is lost or doubled.
 */
class ConcurrentWritersTest {
  static final Path DIR = Path.of("src/test/resources/lifecycle");
  static final int ROWS_PER_COMMIT = 200;

  record Order(long orderId, String region, BigDecimal amount, String note) {}

  @TempDir Path warehouse;

  /** The catalogs the writers share. */
  enum Catalog {
    SQLITE,
    POSTGRES
  }

  private static IcebergStore store(Path warehouse, String catalogUri) {
    return catalogUri == null
        ? IcebergStore.embedded(warehouse)
        : IcebergStore.open(
            StoreConfig.builder().warehouse(warehouse.toString()).catalogUri(catalogUri).build());
  }

  private String catalogUri(Catalog catalog) {
    return catalog == Catalog.POSTGRES ? StoreChecks.emptyPostgres() : null;
  }

  /** Writes {@code commits} runs of distinct keys for {@code writer}. */
  static void write(Mesh mesh, int writer, int commits) {
    DataProduct shop = DataProduct.load(DIR.resolve("shop.yaml"));
    for (int c = 0; c < commits; c++) {
      long base = (writer * 1_000L + c) * ROWS_PER_COMMIT;
      try (Run run = mesh.start(shop, Principal.service("writer-" + writer))) {
        run.output("orders", Order.class)
            .writeAll(
                IntStream.range(0, ROWS_PER_COMMIT)
                    .mapToObj(i -> new Order(base + i, "r" + (i % 3), BigDecimal.ONE, null))
                    .toList());
        run.commit();
      }
    }
  }

  /** Entry point of a writer process: {@code <warehouse> <writer> <commits> [catalog JDBC URL]}. */
  public static void main(String[] args) {
    try (Mesh mesh =
        Mesh.builder()
            .store(store(Path.of(args[0]), args.length > 3 ? args[3] : null))
            .listener(e -> {})
            .build()) {
      write(mesh, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    }
  }

  private void assertExactly(int commits, String catalogUri) throws IOException {
    try (Mesh mesh = Mesh.builder().store(store(warehouse, catalogUri)).listener(e -> {}).build()) {
      Table t =
          ((IcebergStore) mesh.store())
              .catalog()
              .loadTable(TableIdentifier.parse("sales.shop.orders"));
      List<Snapshot> snapshots = new ArrayList<>();
      t.snapshots().forEach(snapshots::add);
      assertThat(snapshots).hasSize(commits);
      Set<Long> keys = new HashSet<>();
      long rows = 0;
      try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
        for (Record r : it) {
          rows++;
          keys.add((Long) r.getField("order_id"));
        }
      }
      assertThat(rows).isEqualTo((long) commits * ROWS_PER_COMMIT);
      assertThat(keys).as("no duplicate keys").hasSize((int) rows);
      Set<String> referenced = new HashSet<>();
      for (Snapshot snap : snapshots) {
        snap.addedDataFiles(t.io())
            .forEach(f -> referenced.add(Path.of(java.net.URI.create(f.location())).toString()));
      }
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(warehouse)) {
        assertThat(files.filter(f -> f.toString().endsWith(".parquet")).map(Path::toString))
            .as("no orphan data files")
            .containsExactlyInAnyOrderElementsOf(referenced);
      }
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Catalog.class)
  void threadsCommittingToOnePortLoseAndDoubleNothing(Catalog catalog) throws Exception {
    String uri = catalogUri(catalog);
    int writers = 4;
    int commits = 5;
    try (Mesh mesh = Mesh.builder().store(store(warehouse, uri)).listener(e -> {}).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> write(mesh, writer, commits)));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();
    }
    assertExactly(writers * commits, uri);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Catalog.class)
  void separateProcessesCommittingToOnePortLoseAndDoubleNothing(Catalog catalog) throws Exception {
    String uri = catalogUri(catalog);
    int processes = 3;
    int commits = 4;
    // The table exists before the writers race for it, as it would for a product in production.
    try (Mesh mesh = Mesh.builder().store(store(warehouse, uri)).listener(e -> {}).build()) {
      write(mesh, 99, 1);
    }
    List<Process> running = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ConcurrentWritersTest.class.getName(),
                  warehouse.toString(),
                  String.valueOf(p),
                  String.valueOf(commits)));
      if (uri != null) {
        command.add(uri);
      }
      running.add(
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(warehouse.resolve("writer-" + p + ".log").toFile())
              .start());
    }
    for (int p = 0; p < processes; p++) {
      assertThat(running.get(p).waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(running.get(p).exitValue())
          .as(
              "writer %d: %s",
              p, java.nio.file.Files.readString(warehouse.resolve("writer-" + p + ".log")))
          .isZero();
    }
    assertExactly(processes * commits + 1, uri);
  }
}
