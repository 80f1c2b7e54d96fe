package dev.meshwork.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Settings;
import dev.meshwork.iceberg.IcebergStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes run the demo for the same batch on the same fresh warehouse at the same time (an
 * orchestrator retrying a task whose first attempt is still alive): both succeed, and every table
 * holds the batch once. {@code -Dmeshwork.race.rounds=20} races more often than the default 2.
 */
class DemoRaceTest {
  private static final int ROWS = 20_000;
  private static final String BATCH = "2026-11-05";

  @TempDir Path tmp;

  @Test
  void twoProcessesRunningTheSameBatchPublishEveryRowOnce() throws Exception {
    int rounds = Integer.getInteger("meshwork.race.rounds", 2);
    for (int round = 0; round < rounds; round++) {
      Path warehouse = tmp.resolve("round-" + round);
      List<Process> attempts = new ArrayList<>();
      for (int a = 0; a < 2; a++) {
        attempts.add(demo(warehouse, tmp.resolve("round-" + round + "-attempt-" + a + ".log")));
      }
      for (int a = 0; a < attempts.size(); a++) {
        Process p = attempts.get(a);
        assertThat(p.waitFor(4, TimeUnit.MINUTES)).as("attempt %d finishes", a).isTrue();
        Path log = tmp.resolve("round-" + round + "-attempt-" + a + ".log");
        assertThat(p.exitValue())
            .as("attempt %d of round %d exits 0; its output:%n%s", a, round, Files.readString(log))
            .isZero();
        assertThat(Files.readString(log)).contains("logistics.deliveries.deliveries");
      }
      Map<String, Long> rows = checkEveryRowOnce(warehouse, round);
      int mentions = 0;
      for (int a = 0; a < attempts.size(); a++) {
        String out = Files.readString(tmp.resolve("round-" + round + "-attempt-" + a + ".log"));
        mentions += out.split("already published", -1).length - 1;
      }
      // For the record of a long run: the tables' rows, and how often the attempts' logs say that
      // the other attempt had published (0 when they did not overlap).
      System.out.printf(
          "race %d: %s; 'already published' in the logs: %d%n", round, rows, mentions);
    }
  }

  private Process demo(Path warehouse, Path log) throws IOException {
    return new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                DemoMain.class.getName(),
                "--warehouse",
                warehouse.toString(),
                "--rows",
                Integer.toString(ROWS),
                "--batch",
                BATCH))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static Map<String, Long> checkEveryRowOnce(Path warehouse, int round) throws IOException {
    Settings settings = Settings.fromEnvironment().with(Settings.WAREHOUSE, warehouse.toString());
    try (Mesh mesh = Mesh.builder().settings(settings).build()) {
      Catalog catalog = ((IcebergStore) mesh.store()).catalog();
      Map<String, Long> rows = new HashMap<>();
      for (TableIdentifier id : tables(catalog, Namespace.empty())) {
        Table table = catalog.loadTable(id);
        List<Record> all = new ArrayList<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
          read.forEach(all::add);
        }
        rows.put(id.toString(), (long) all.size());
        assertThat(new HashSet<>(all))
            .as("round %d: %s holds no row twice", round, id)
            .hasSameSizeAs(all);
        Map<String, Integer> versionsByRun = new HashMap<>();
        for (Snapshot s : table.snapshots()) {
          String run = s.summary().get("meshwork.run-id");
          if (run != null) {
            versionsByRun.merge(run, 1, Integer::sum);
          }
        }
        assertThat(versionsByRun.values())
            .as("round %d: one version of each run in %s", round, id)
            .containsOnly(1);
        assertThat(leftoverDataFiles(table))
            .as("round %d: the losing attempt's files in %s are deleted", round, id)
            .isEmpty();
      }
      assertThat(rows)
          .as("round %d", round)
          .containsEntry("logistics.deliveries.deliveries", (long) ROWS)
          .containsEntry("analytics.delivery_performance.daily_region_stats", 5L);
      long telemetry =
          rows.get("fleet.drone_telemetry.telemetry")
              + rows.getOrDefault("fleet.drone_telemetry.telemetry__quarantine", 0L);
      assertThat(telemetry)
          .as("round %d: each sample published or quarantined once", round)
          .isEqualTo(ROWS);
      return new java.util.TreeMap<>(rows);
    }
  }

  private static List<TableIdentifier> tables(Catalog catalog, Namespace ns) {
    List<TableIdentifier> out = new ArrayList<>();
    SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
    for (Namespace child : namespaces.listNamespaces(ns)) {
      out.addAll(catalog.listTables(child));
      out.addAll(tables(catalog, child));
    }
    return out;
  }

  /** Data files in the table's folder that no snapshot refers to. */
  private static Set<String> leftoverDataFiles(Table table) throws IOException {
    Set<String> referenced = new HashSet<>();
    for (Snapshot s : table.snapshots()) {
      s.addedDataFiles(table.io()).forEach(f -> referenced.add(fileName(f.location())));
    }
    String location = table.location();
    Path data =
        (location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location))
            .resolve("data");
    Set<String> leftover = new HashSet<>();
    if (Files.exists(data)) {
      try (Stream<Path> files = Files.walk(data)) {
        files
            .filter(Files::isRegularFile)
            .map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".parquet") && !referenced.contains(n))
            .forEach(leftover::add);
      }
    }
    return leftover;
  }

  private static String fileName(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }
}
