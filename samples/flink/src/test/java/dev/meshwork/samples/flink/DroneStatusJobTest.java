package dev.meshwork.samples.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.PartSpec;
import dev.meshwork.core.WriteMode;
import dev.meshwork.iceberg.IcebergStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change-data-capture job on a real Flink MiniCluster (parallelism 2, 300 ms checkpoints): each
 * completed checkpoint upserts the drones that changed, and after a task fails mid-stream and the
 * job restores from its last checkpoint the table still holds exactly one row per drone, the latest
 * change of each, with no file that no snapshot references.
 */
class DroneStatusJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final String STATUS = "fleet.drone_status.status";

  @TempDir Path tmp;

  private StreamExecutionEnvironment env() {
    return TelemetryJobTest.env(tmp.resolve("checkpoints"), Map.of());
  }

  @Test
  void everyCheckpointUpsertsTheDronesThatChangedAndAFailoverKeepsOneRowPerDrone()
      throws Exception {
    long changes = 24_000;
    DroneStatusJob.LocalSetup setup = new DroneStatusJob.LocalSetup(warehouse().toString());
    PartSpec<DroneStatus> spec = DroneStatusJob.spec(setup);
    assertThat(spec.mode()).isEqualTo(new WriteMode.Upsert(List.of("drone_id")));
    StreamExecutionEnvironment env = env();
    DroneStatusJob.publish(
        DroneStatusJob.log(env, changes, 6_000)
            // One task, as the log's reader: each drone's changes stay in order.
            .map(new TelemetryJobTest.FailOnce(13_000))
            .setParallelism(1)
            .uid("fail-once"),
        setup,
        spec);
    env.execute("drone-status-failover");

    Map<Integer, DroneStatus> expected = new HashMap<>();
    for (long i = changes - DroneStatusJob.FLEET; i < changes; i++) {
      expected.put(DroneStatusJob.droneOf(i), DroneStatusJob.change(i));
    }
    assertThat(statuses()).hasSize(DroneStatusJob.FLEET).containsOnlyKeys(expected.keySet());
    assertThat(statuses()).isEqualTo(expected);

    Table t = table();
    List<Snapshot> snapshots = new java.util.ArrayList<>();
    t.snapshots().forEach(snapshots::add);
    assertThat(snapshots).hasSizeGreaterThan(2);
    assertThat(snapshots)
        .allSatisfy(
            s ->
                assertThat(s.summary())
                    .containsEntry("meshwork.write.mode", "upsert by [drone_id]"));
    assertThat(snapshots)
        .as("later checkpoints replaced drones earlier ones wrote")
        .anySatisfy(
            s ->
                assertThat(Long.parseLong(s.summary().get("meshwork.write.removed-rows")))
                    .isPositive());
    assertThat(onDisk()).isSubsetOf(referenced(t));
  }

  @Test
  void aPortNotPublishedAsAnUpsertIsRefusedBeforeTheJobStarts() {
    TelemetryJob.LocalSetup setup = new TelemetryJob.LocalSetup(warehouse().toString());
    PartSpec<dev.meshwork.samples.TelemetrySample> spec = TelemetryJob.spec(setup);
    StreamExecutionEnvironment env = env();
    assertThatThrownBy(
            () ->
                MeshworkSink.publishChanges(
                    TelemetryJob.numbers(env, 10, 0),
                    "telemetry-changes",
                    spec,
                    dev.meshwork.samples.TelemetrySample.class,
                    TelemetryJob::sample,
                    i -> i % 400,
                    Long.class,
                    setup))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the port is published append")
        .hasMessageContaining("writeMode: upsert");
  }

  private Path warehouse() {
    return tmp.resolve("warehouse");
  }

  private Table table() {
    IcebergStore store = IcebergStore.embedded(warehouse());
    try {
      return store.catalog().loadTable(TableIdentifier.parse(STATUS));
    } finally {
      store.close();
    }
  }

  /** The table's rows as statuses, by drone. */
  private Map<Integer, DroneStatus> statuses() throws IOException {
    Map<Integer, DroneStatus> out = new HashMap<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table()).build()) {
      for (Record r : rows) {
        Object at = r.getField("updated_at");
        Instant updated =
            at instanceof OffsetDateTime o
                ? o.toInstant()
                : ((java.time.LocalDateTime) at).toInstant(java.time.ZoneOffset.UTC);
        DroneStatus s =
            new DroneStatus(
                (Integer) r.getField("drone_id"),
                (String) r.getField("region"),
                (Float) r.getField("battery_pct"),
                (Boolean) r.getField("airborne"),
                updated,
                (Long) r.getField("change_seq"));
        assertThat(out.put(s.droneId(), s)).as("drone %s once", s.droneId()).isNull();
      }
    }
    return out;
  }

  /** Every data file a snapshot of the table references. */
  private static Set<String> referenced(Table t) {
    Set<String> names = new HashSet<>();
    for (Snapshot s : t.snapshots()) {
      for (var m : s.dataManifests(t.io())) {
        try (var files = org.apache.iceberg.ManifestFiles.read(m, t.io())) {
          files.forEach(f -> names.add(Path.of(f.location()).getFileName().toString()));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
    return names;
  }

  private Set<String> onDisk() throws IOException {
    try (Stream<Path> s = Files.walk(warehouse().resolve("fleet/drone_status/status"))) {
      return s.filter(p -> p.toString().endsWith(".parquet"))
          .map(p -> p.getFileName().toString())
          .collect(Collectors.toSet());
    }
  }
}
