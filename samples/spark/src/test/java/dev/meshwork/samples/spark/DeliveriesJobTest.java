package dev.meshwork.samples.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.InputRead;
import dev.meshwork.core.InputSplit;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.PartSpec;
import dev.meshwork.core.QualityGateException;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.StagedPart;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.samples.DailyRegionStats;
import dev.meshwork.samples.Delivery;
import dev.meshwork.samples.DeliveryPerformance;
import dev.meshwork.samples.DeliveryPerformance.BatterySample;
import dev.meshwork.samples.DeliveryPerformance.DeliveryFacts;
import dev.meshwork.samples.Demo;
import dev.meshwork.spi.RunEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deliveries product published from a real Spark job ({@code local[2]}, up to 3 attempts per
 * task): tasks stage parts, the driver commits once; retried and failed tasks, a key shared by two
 * tasks and a retried driver commit; Spark's own Iceberg reader reads what was published. The
 * consumer delivery-performance computed in tasks that read both sources through splits.
 */
class DeliveriesJobTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
  private static final String TABLE = "logistics.deliveries.deliveries";
  private static SparkSession spark;
  private static JavaSparkContext jsc;

  @TempDir Path warehouse;
  private final List<RunEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .appName("meshwork-spark-test")
            .master("local[2,3]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private Mesh mesh() {
    return Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(events::add).build();
  }

  private Mesh meshWithDemoPolicies(Demo.Config config) {
    return Mesh.builder()
        .store(IcebergStore.embedded(warehouse))
        .policy(Demo.policies(config, warehouse.resolve("decisions.jsonl")))
        .listener(events::add)
        .build();
  }

  private static DataProduct deliveries() {
    return DataProduct.load(Demo.Config.defaults(DAY).meshDir().resolve("deliveries.yaml"));
  }

  private static boolean exists(Mesh mesh) {
    return ((IcebergStore) mesh.store()).catalog().tableExists(TableIdentifier.parse(TABLE));
  }

  private static Table table(Mesh mesh) {
    return ((IcebergStore) mesh.store()).catalog().loadTable(TableIdentifier.parse(TABLE));
  }

  private static Set<String> live(Table t) throws IOException {
    Set<String> names = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      tasks.forEach(f -> names.add(Path.of(f.file().location()).getFileName().toString()));
    }
    return names;
  }

  /** The names of the Parquet files under the port's table folder. */
  private Set<String> onDisk() throws IOException {
    Path dir = warehouse.resolve("logistics/deliveries/deliveries");
    if (!Files.exists(dir)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".parquet"))
          .map(p -> p.getFileName().toString())
          .collect(Collectors.toSet());
    }
  }

  @Test
  void tasksStagePartsTheDriverPublishesOneSnapshotAndSparksReaderReadsIt() throws IOException {
    try (Mesh mesh = mesh()) {
      RunResult r = DeliveriesJob.publish(spark, mesh, deliveries(), DAY, 4, 5_000);
      RunResult.Output out = r.output("deliveries");
      assertThat(out.rows()).isEqualTo(20_000);
      assertThat(out.quality().allowsPublish()).isTrue();
      Table t = table(mesh);
      assertThat(t.snapshots()).hasSize(1);
      assertThat(t.currentSnapshot().summary())
          .containsEntry("added-records", "20000")
          .containsEntry("meshwork.run-id", r.runId());
      assertThat(onDisk()).isEqualTo(live(t));

      RunEvent complete = events.get(events.size() - 1);
      assertThat(complete.type()).isEqualTo(RunEvent.Type.COMPLETE);
      assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.START).hasSize(1);
      assertThat(complete.options().engine())
          .hasValueSatisfying(e -> assertThat(e.name()).isEqualTo("Spark"))
          .hasValueSatisfying(e -> assertThat(e.version()).isEqualTo(spark.version()));
      assertThat(complete.options().parent())
          .hasValueSatisfying(p -> assertThat(p.jobName()).isEqualTo("meshwork-spark-test"));

      // Spark's own Iceberg reader, through the same catalog.
      List<org.apache.spark.sql.Row> read =
          sql()
              .sql(
                  "SELECT count(*), count(DISTINCT delivery_id), min(delivery_id), max(delivery_id)"
                      + " FROM meshwork."
                      + TABLE)
              .collectAsList();
      long first = DeliveriesJob.rows(DAY, 0, 1).next().deliveryId();
      assertThat(read.get(0).getLong(0)).isEqualTo(20_000L);
      assertThat(read.get(0).getLong(1)).isEqualTo(20_000L);
      assertThat(read.get(0).getLong(2)).isEqualTo(first);
      assertThat(read.get(0).getLong(3)).isEqualTo(first + 19_999);
    }
  }

  private SparkSession sql;

  /**
   * A Spark SQL session whose catalog {@code meshwork} is the test's embedded warehouse: a session
   * of its own, since Spark keeps a catalog once made and the session outlives the test. Tables are
   * not cached, so every query sees the table's current version.
   */
  private SparkSession sql() {
    if (sql == null) {
      sql = spark.newSession();
      String catalog = "spark.sql.catalog." + IcebergStore.CATALOG_NAME;
      sql.conf().set(catalog, "org.apache.iceberg.spark.SparkCatalog");
      sql.conf().set(catalog + ".type", "jdbc");
      sql.conf().set(catalog + ".uri", "jdbc:sqlite:" + warehouse.resolve("catalog.db"));
      sql.conf().set(catalog + ".warehouse", warehouse.toString());
      sql.conf().set(catalog + ".jdbc.schema-version", "V1");
      sql.conf().set(catalog + ".cache-enabled", "false");
    }
    return sql;
  }

  private long sparkCount(String where) {
    return sql()
        .sql("SELECT count(*) FROM meshwork." + TABLE + " WHERE " + where)
        .collectAsList()
        .get(0)
        .getLong(0);
  }

  @Test
  void sparksReaderSeesARestatementAMergeOnReadDeleteAndAnErasure() {
    Demo.Config config = new Demo.Config(Demo.Config.defaults(DAY).meshDir(), DAY, 5_000, 500);
    try (Mesh mesh = meshWithDemoPolicies(config)) {
      Demo.run(mesh, config);
      long failedBefore = sparkCount("status = 'FAILED'");
      List<Demo.ProductRun> restated = Demo.restate(mesh, config);
      String note = restated.get(0).notes().get(0);
      long corrected = Long.parseLong(note.replaceAll(".*: (\\d+) failed.*", "$1"));
      assertThat(corrected).isPositive();
      assertThat(sparkCount("true")).isEqualTo(5_000);
      assertThat(sparkCount("status = 'FAILED'")).isEqualTo(failedBefore - corrected);

      // Marks Meshwork writes (position deletes) are read by Spark's reader as by Meshwork's.
      table(mesh).updateProperties().set("write.delete.mode", "merge-on-read").commit();
      long cancelled = sparkCount("status = 'CANCELLED'");
      try (Run run = mesh.start(deliveries(), Demo.DISPATCH)) {
        run.output(
            "deliveries",
            Delivery.class,
            dev.meshwork.core.WriteMode.delete(dev.meshwork.core.Filter.eq("status", "CANCELLED")));
        assertThat(run.commit().output("deliveries").removedRows()).isEqualTo(cancelled);
      }
      assertThat(table(mesh).currentSnapshot().summary()).containsKey("added-position-deletes");
      assertThat(sparkCount("true")).isEqualTo(5_000 - cancelled);
      assertThat(sparkCount("status = 'CANCELLED'")).isZero();

      String email =
          sql()
              .sql(
                  "SELECT customer_email FROM meshwork."
                      + TABLE
                      + " WHERE customer_email IS NOT NULL LIMIT 1")
              .collectAsList()
              .get(0)
              .getString(0);
      long held = sparkCount("customer_email = '" + email + "'");
      dev.meshwork.core.ErasureReport report = Demo.erase(mesh, config, email);
      assertThat(report.verified()).as(report.describe()).isTrue();
      assertThat(report.rowsDeleted()).isEqualTo(held);
      assertThat(sparkCount("customer_email = '" + email + "'")).isZero();
      assertThat(sparkCount("true")).isEqualTo(5_000 - cancelled - held);
    }
  }

  @Test
  void aTaskRetriedAfterStagingAndASpeculativeCopyAreCountedOnceAndLeaveNoFiles()
      throws IOException {
    try (Mesh mesh = mesh();
        Run run = mesh.start(deliveries(), Demo.DISPATCH)) {
      PartSpec<Delivery> spec = run.parts("deliveries", Delivery.class);
      // Partition 1's first attempt stages its files, then its executor "dies": Spark retries it.
      List<StagedPart> parts =
          SparkParts.received(
              jsc.parallelize(List.of(0, 1, 2), 3)
                  .map(
                      p -> {
                        int attempt = TaskContext.get().attemptNumber();
                        byte[] part =
                            SparkParts.write(spec, p, attempt, DeliveriesJob.rows(DAY, p, 3_000));
                        if (p == 1 && attempt == 0) {
                          throw new IllegalStateException("executor lost after staging");
                        }
                        return part;
                      })
                  .collect());
      assertThat(parts).extracting(StagedPart::attempt).containsExactlyInAnyOrder(0, 1, 0);
      // A speculative copy of partition 2 that also finished and was delivered.
      List<StagedPart> all = new ArrayList<>(parts);
      all.addAll(
          SparkParts.received(
              jsc.parallelize(List.of(2), 1)
                  .map(p -> SparkParts.write(spec, p, 7, DeliveriesJob.rows(DAY, p, 3_000)))
                  .collect()));
      RunResult r = run.commit(all);
      assertThat(r.output("deliveries").rows()).isEqualTo(9_000);
      Table t = table(mesh);
      assertThat(t.snapshots()).hasSize(1);
      assertThat(onDisk()).isEqualTo(live(t));
      assertThat(onDisk()).noneMatch(f -> f.contains("-part1-attempt0-"));
      assertThat(onDisk()).noneMatch(f -> f.contains("-part2-attempt7-"));
    }
  }

  @Test
  void aFailingTaskFailsTheJobWithNoSnapshotAndNoFiles() throws IOException {
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(deliveries(), Demo.DISPATCH)) {
        PartSpec<Delivery> spec = run.parts("deliveries", Delivery.class);
        assertThatThrownBy(
                () ->
                    jsc.parallelize(List.of(0, 1, 2, 3), 4)
                        .map(
                            p -> {
                              byte[] part =
                                  SparkParts.write(
                                      spec,
                                      p,
                                      TaskContext.get().attemptNumber(),
                                      DeliveriesJob.rows(DAY, p, 2_000));
                              if (p == 3) {
                                throw new IllegalStateException("bad input in partition 3");
                              }
                              return part;
                            })
                        .collect())
            .isInstanceOf(SparkException.class)
            .hasMessageContaining("bad input in partition 3");
        // The driver gives up: closing the run deletes what every attempt staged.
      }
      assertThat(exists(mesh)).as("a table no run published").isFalse();
      assertThat(onDisk()).isEmpty();
    }
  }

  @Test
  void aKeyInTwoTasksFailsUniquenessForTheWholeOutput() throws IOException {
    try (Mesh mesh = mesh();
        Run run = mesh.start(deliveries(), Demo.DISPATCH)) {
      PartSpec<Delivery> spec = run.parts("deliveries", Delivery.class);
      // Both tasks generate partition 0's ids: each part alone is unique.
      List<StagedPart> parts =
          SparkParts.received(
              jsc.parallelize(List.of(0, 1), 2)
                  .map(
                      p ->
                          SparkParts.write(
                              spec,
                              p,
                              TaskContext.get().attemptNumber(),
                              DeliveriesJob.rows(DAY, 0, 1_000)))
                  .collect());
      assertThatThrownBy(() -> run.commit(parts))
          .isInstanceOf(QualityGateException.class)
          .hasMessageContaining("primaryKey:delivery_id");
      assertThat(exists(mesh)).as("a table no run published").isFalse();
      assertThat(onDisk()).isEmpty();
    }
  }

  @Test
  void tasksReadAnInputThroughSplitsAndItsMaskedColumnStaysMasked() throws IOException {
    Demo.Config config = Demo.Config.defaults(DAY);
    try (Mesh mesh = meshWithDemoPolicies(config)) {
      DeliveriesJob.publish(spark, mesh, deliveries(), DAY, 3, 2_000);
      DataProduct performance =
          DataProduct.load(config.meshDir().resolve("delivery-performance.yaml"));
      RunOptions forSla = RunOptions.builder().purpose(Demo.PURPOSE).build();
      try (Run run = mesh.start(performance, Demo.INSIGHTS, forSla)) {
        List<InputSplit<Demo.ContactView>> splits =
            run.splits("deliveries", Demo.ContactView.class, 4);
        List<String> inTasks =
            jsc.parallelize(splits, splits.size())
                .flatMap(
                    split -> {
                      try (Stream<Demo.ContactView> rows = split.read()) {
                        return rows.map(c -> String.valueOf(c.customerEmail())).toList().iterator();
                      }
                    })
                .collect();
        List<String> onDriver;
        try (Stream<Demo.ContactView> rows =
            run.input("deliveries", Demo.ContactView.class).read()) {
          onDriver = rows.map(c -> String.valueOf(c.customerEmail())).toList();
        }
        assertThat(splits).hasSizeGreaterThan(1);
        assertThat(inTasks).hasSize(6_000).containsExactlyInAnyOrderElementsOf(onDriver);
        assertThat(inTasks)
            .filteredOn(e -> !e.equals("null"))
            .isNotEmpty()
            .noneMatch(e -> e.contains("@"));
      }
    }
  }

  @Test
  void deliveryPerformanceIsTotalledInTasksFromBothSourcesAndEqualsOnePassOverTheInputs()
      throws IOException {
    Demo.Config config = Demo.Config.defaults(DAY);
    try (Mesh mesh = meshWithDemoPolicies(config)) {
      DeliveriesJob.publish(spark, mesh, deliveries(), DAY, 3, 2_000);
      DeliveryPerformanceJob.publishTelemetry(
          mesh, DataProduct.load(config.meshDir().resolve("drone-telemetry.yaml")), DAY, 5_000);
      DataProduct performance =
          DataProduct.load(config.meshDir().resolve("delivery-performance.yaml"));
      events.clear();
      RunResult result = DeliveryPerformanceJob.publish(spark, mesh, performance, DAY, 3);

      List<DailyRegionStats> onePass;
      try (Run run =
              mesh.start(
                  performance,
                  Demo.INSIGHTS,
                  RunOptions.builder()
                      .purpose(Demo.PURPOSE)
                      .read("deliveries", InputRead.latest())
                      .read("telemetry", InputRead.latest())
                      .build());
          Stream<DeliveryFacts> d = run.input("deliveries", DeliveryFacts.class).read();
          Stream<BatterySample> t = run.input("telemetry", BatterySample.class).read()) {
        onePass = DeliveryPerformance.aggregate(d, t);
      }
      Table stats =
          ((IcebergStore) mesh.store())
              .catalog()
              .loadTable(
                  TableIdentifier.parse("analytics.delivery_performance.daily_region_stats"));
      List<DailyRegionStats> published = new ArrayList<>();
      try (CloseableIterable<Record> rows = IcebergGenerics.read(stats).build()) {
        rows.forEach(r -> published.add(stats(r)));
      }
      assertThat(onePass).hasSizeGreaterThan(1);
      assertThat(onePass.stream().mapToLong(DailyRegionStats::deliveries).sum()).isEqualTo(6_000);
      // Sums in another order differ in their last bits.
      java.util.Comparator<Double> close =
          (a, b) -> Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)) ? 0 : Double.compare(a, b);
      assertThat(published)
          .usingRecursiveFieldByFieldElementComparator(
              org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration.builder()
                  .withComparatorForType(close, Double.class)
                  .build())
          .containsExactlyInAnyOrderElementsOf(onePass);
      assertThat(stats.snapshots()).hasSize(1);
      assertThat(result.output("daily-region-stats").rows()).isEqualTo(onePass.size());

      List<RunEvent> jobEvents =
          events.stream().filter(e -> e.runId().equals(result.runId())).toList();
      assertThat(jobEvents)
          .extracting(RunEvent::type)
          .containsExactly(RunEvent.Type.START, RunEvent.Type.COMPLETE);
      RunEvent complete = jobEvents.get(1);
      assertThat(complete.inputs())
          .extracting(RunEvent.InputInfo::port)
          .containsExactlyInAnyOrder("deliveries", "telemetry");
      assertThat(complete.options().engine())
          .hasValueSatisfying(e -> assertThat(e.name()).isEqualTo("Spark"));

      // The next day: the job's splits cover only what the sources published since.
      LocalDate next = DAY.plusDays(1);
      DeliveriesJob.publish(spark, mesh, deliveries(), next, 3, 1_000);
      RunResult samples =
          DeliveryPerformanceJob.publishTelemetry(
              mesh,
              DataProduct.load(config.meshDir().resolve("drone-telemetry.yaml")),
              next,
              2_500);
      RunResult second = DeliveryPerformanceJob.publish(spark, mesh, performance, next, 3);
      assertThat(second.input("deliveries").rows()).isEqualTo(3_000);
      assertThat(second.input("deliveries").appendedAfter())
          .isEqualTo(result.input("deliveries").version());
      assertThat(second.input("telemetry").rows())
          .as("the day's samples, less the glitches quarantined")
          .isEqualTo(samples.output("telemetry").rows())
          .isGreaterThan(2_400);
      assertThat(second.output("daily-region-stats").rows()).isEqualTo(5);
      List<DailyRegionStats> both = new ArrayList<>();
      stats.refresh();
      try (CloseableIterable<Record> rows = IcebergGenerics.read(stats).build()) {
        rows.forEach(r -> both.add(stats(r)));
      }
      assertThat(both).extracting(DailyRegionStats::day).containsOnly(DAY, next);
      assertThat(both.stream().filter(b -> b.day().equals(DAY))).hasSize(onePass.size());
      assertThat(
              both.stream()
                  .filter(b -> b.day().equals(next))
                  .mapToLong(DailyRegionStats::deliveries)
                  .sum())
          .isEqualTo(3_000);
    }
  }

  private static DailyRegionStats stats(Record r) {
    return new DailyRegionStats(
        (LocalDate) r.getField("day"),
        (String) r.getField("region"),
        (Long) r.getField("deliveries"),
        (Long) r.getField("delivered"),
        (Double) r.getField("on_time_pct"),
        (Double) r.getField("avg_minutes"),
        (Double) r.getField("avg_distance_km"),
        (Double) r.getField("avg_battery_pct"),
        (Long) r.getField("low_battery_samples"));
  }

  @Test
  void aRowFilterThatCannotTravelToTasksRefusesSplits() {
    dev.meshwork.spi.PolicyEngine filtering =
        request ->
            request.action() == dev.meshwork.spi.Action.READ
                ? new dev.meshwork.spi.Decision(
                    true,
                    List.of("test"),
                    List.of(new dev.meshwork.spi.Decision.RowFilter("north only", row -> true)))
                : dev.meshwork.spi.Decision.allow("test");
    Demo.Config config = Demo.Config.defaults(DAY);
    try (Mesh mesh =
        Mesh.builder()
            .store(IcebergStore.embedded(warehouse))
            .policy(filtering)
            .listener(events::add)
            .build()) {
      DeliveriesJob.publish(spark, mesh, deliveries(), DAY, 1, 100);
      DataProduct performance =
          DataProduct.load(config.meshDir().resolve("delivery-performance.yaml"));
      try (Run run = mesh.start(performance, Demo.INSIGHTS)) {
        assertThatThrownBy(() -> run.splits("deliveries", Demo.ContactView.class, 2))
            .isInstanceOf(dev.meshwork.core.PolicyDeniedException.class)
            .hasMessageContaining("row filter 'north only' cannot travel to tasks");
      }
    }
  }

  @Test
  void aRetriedDriverCommitNeitherDuplicatesNorDeletes() throws IOException {
    try (Mesh mesh = mesh()) {
      RunResult first = DeliveriesJob.publish(spark, mesh, deliveries(), DAY, 2, 2_000);
      Set<String> files = live(table(mesh));
      // The same job again (a retried driver): same run id, so nothing is appended or deleted.
      RunResult again = DeliveriesJob.publish(spark, mesh, deliveries(), DAY, 2, 2_000);
      assertThat(again.runId()).isEqualTo(first.runId());
      assertThat(again.output("deliveries").alreadyPublished()).isTrue();
      Table t = table(mesh);
      assertThat(t.snapshots()).hasSize(1);
      assertThat(live(t)).isEqualTo(files);
      assertThat(onDisk()).isEqualTo(files);
    }
  }
}
