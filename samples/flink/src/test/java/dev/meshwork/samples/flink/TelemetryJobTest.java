package dev.meshwork.samples.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.PartSpec;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.samples.TelemetrySample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The telemetry job on a real Flink MiniCluster (1 task manager, 2 slots, parallelism 2, 300 ms
 * checkpoints): a task that fails mid-stream, a job cancelled and restored from its last checkpoint
 * under a new job id, and a job whose JVM is killed with SIGKILL and restored in another cluster
 * all end with every sample published exactly once (telemetry or its quarantine table), one
 * snapshot per committed checkpoint and no file that no snapshot references.
 */
class TelemetryJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final String TELEMETRY = "fleet.drone_telemetry.telemetry";
  private static final String QUARANTINE = "fleet.drone_telemetry.telemetry__quarantine";

  @TempDir Path tmp;

  private Path warehouse() {
    return tmp.resolve("warehouse");
  }

  private StreamExecutionEnvironment env(Map<String, String> extra) {
    return env(tmp.resolve("checkpoints"), extra);
  }

  static StreamExecutionEnvironment env(Path checkpoints, Map<String, String> extra) {
    Map<String, String> conf = new HashMap<>();
    conf.put("execution.checkpointing.interval", "300ms");
    conf.put("state.checkpoints.dir", checkpoints.toUri().toString());
    conf.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    // Set, so that the test utilities never pick them at random.
    conf.put("execution.checkpointing.unaligned.enabled", "false");
    conf.put("restart-strategy.type", "fixed-delay");
    conf.put("restart-strategy.fixed-delay.attempts", "3");
    conf.put("restart-strategy.fixed-delay.delay", "200ms");
    conf.putAll(extra);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(conf));
    env.setParallelism(2);
    return env;
  }

  /**
   * The job in a JVM of its own, on a local cluster of its own, for the kill test: arguments are
   * the warehouse, the checkpoint folder, the sample count and the rate.
   */
  public static void main(String[] args) throws Exception {
    TelemetryJob.LocalSetup setup = new TelemetryJob.LocalSetup(args[0]);
    StreamExecutionEnvironment env = env(Path.of(args[1]), Map.of());
    TelemetryJob.build(
        env, Long.parseLong(args[2]), Double.parseDouble(args[3]), setup, TelemetryJob.spec(setup));
    env.execute("telemetry-to-be-killed");
  }

  /** Fails the task that sees sample {@code at}, on its first attempt only. */
  static final class FailOnce extends RichMapFunction<Long, Long> {
    private static final long serialVersionUID = 1L;
    private final long at;

    FailOnce(long at) {
      this.at = at;
    }

    @Override
    public Long map(Long i) {
      if (i == at && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
        throw new IllegalStateException("task lost at sample " + at);
      }
      return i;
    }
  }

  @Test
  void aTaskFailingMidStreamRestoresFromTheLastCheckpointAndEverySampleLandsOnce()
      throws Exception {
    long records = 24_000;
    TelemetryJob.LocalSetup setup = new TelemetryJob.LocalSetup(warehouse().toString());
    PartSpec<TelemetrySample> spec = TelemetryJob.spec(setup);
    StreamExecutionEnvironment env = env(Map.of());
    TelemetryJob.publish(
        TelemetryJob.numbers(env, records, 6_000).map(new FailOnce(13_000)).uid("fail-once"),
        setup,
        spec);
    env.execute("telemetry-failover");
    assertExactlyOnce(records);
  }

  /**
   * A job started afresh (no checkpoint to restore) on tables an earlier job published to numbers
   * its checkpoints from 1 again: its runs are its own, not the earlier job's "already published"
   * ones, and every one of its samples lands.
   */
  @Test
  void aSecondJobStartedAfreshOnTheSameTablesPublishesEveryOneOfItsSamples() throws Exception {
    long records = 6_000;
    for (int job = 0; job < 2; job++) {
      TelemetryJob.LocalSetup setup = new TelemetryJob.LocalSetup(warehouse().toString());
      StreamExecutionEnvironment env =
          env(tmp.resolve("checkpoints-" + job), Map.of("restart-strategy.type", "none"));
      TelemetryJob.publish(
          TelemetryJob.numbers(env, records, 6_000), setup, TelemetryJob.spec(setup));
      env.execute("telemetry-fresh-" + job);
    }
    List<Long> samples = new ArrayList<>(sampleNumbers(TELEMETRY));
    samples.addAll(sampleNumbers(QUARANTINE));
    assertThat(samples).hasSize((int) (2 * records));
    assertThat(new HashSet<>(samples)).hasSize((int) records);
  }

  /**
   * When the input ends right after a checkpoint, the last checkpoint run's parts hold no rows: the
   * committer publishes nothing for it and the job ends cleanly (the contract's row-count rule
   * would otherwise fail a job whose every sample was published).
   */
  @Test
  void aCheckpointRunOfNoRowsAtTheEndOfTheInputPublishesNothingAndEndsCleanly() throws Exception {
    TelemetryJob.LocalSetup setup = new TelemetryJob.LocalSetup(warehouse().toString());
    PartSpec<TelemetrySample> spec = TelemetryJob.spec(setup);
    PartCommitterOperator<TelemetrySample> committer =
        new PartCommitterOperator<>(
            "telemetry-sink", "telemetry", TelemetrySample.class, spec.mode(), setup);
    org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness<
            org.apache.flink.api.java.tuple.Tuple2<Long, byte[]>, Void>
        harness =
            new org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness<>(committer);
    try {
      harness.open();
      String epoch = harness.getEnvironment().getJobID().toString();
      byte[] empty;
      try (dev.meshwork.core.PartWriter<TelemetrySample> writer =
          spec.forRun(MeshworkSink.runId("telemetry-sink", epoch, 1)).open(0, 0)) {
        empty = writer.finish().toBytes();
      }
      harness.processElement(
          new org.apache.flink.streaming.runtime.streamrecord.StreamRecord<>(
              org.apache.flink.api.java.tuple.Tuple2.of(1L, empty)));
      harness.endInput();
    } finally {
      harness.close();
    }
    try (IcebergStore store = IcebergStore.embedded(warehouse())) {
      TableIdentifier id = TableIdentifier.parse(TELEMETRY);
      assertThat(
              !store.catalog().tableExists(id)
                  || store.catalog().loadTable(id).currentSnapshot() == null)
          .as("no version of no rows")
          .isTrue();
    }
  }

  /**
   * A checkpoint run found published with other rows (a job restored from a stale checkpoint)
   * cannot be fixed by a restart: the job fails at once, however many restarts its strategy allows.
   */
  @Test
  void aCheckpointRunFoundPublishedWithOtherRowsEndsTheJobInsteadOfRestartingIt() {
    String jobId = new JobID().toHexString();
    TelemetryJob.LocalSetup setup = new TelemetryJob.LocalSetup(warehouse().toString());
    try (dev.meshwork.core.Mesh mesh = setup.mesh();
        dev.meshwork.core.Run run =
            mesh.start(
                setup.product(),
                setup.principal(),
                dev.meshwork.core.RunOptions.builder()
                    .runId(MeshworkSink.runId("telemetry-sink", jobId, 1))
                    .build())) {
      run.output("telemetry", TelemetrySample.class)
          .writeAll(
              List.of(TelemetryJob.sample(0), TelemetryJob.sample(1), TelemetryJob.sample(2)));
      run.commit();
    }
    StreamExecutionEnvironment env =
        env(
            Map.of(
                org.apache.flink.configuration.PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID.key(),
                jobId,
                "restart-strategy.fixed-delay.attempts",
                Integer.toString(Integer.MAX_VALUE)));
    TelemetryJob.publish(TelemetryJob.numbers(env, 6_000, 6_000), setup, TelemetryJob.spec(setup));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.execute("telemetry-stale"))
        .satisfies(
            e ->
                assertThat(
                        org.apache.flink.util.ExceptionUtils.findThrowable(
                            e, org.apache.flink.runtime.execution.SuppressRestartsException.class))
                    .isPresent())
        .hasStackTraceContaining("checkpoint run 1 was published earlier with 3 rows");
  }

  @Test
  void aJobCancelledAndRestoredFromItsCheckpointUnderANewJobIdPublishesEverySampleOnce()
      throws Exception {
    long records = 24_000;
    TelemetryJob.LocalSetup setup = new TelemetryJob.LocalSetup(warehouse().toString());
    PartSpec<TelemetrySample> spec = TelemetryJob.spec(setup);
    StreamExecutionEnvironment first = env(Map.of());
    TelemetryJob.build(first, records, 4_000, setup, spec);
    JobClient job = first.executeAsync("telemetry-first");
    waitForSnapshots(2, Duration.ofSeconds(60));
    job.cancel().get();
    waitUntilDone(job);
    long publishedBefore = rows(TELEMETRY) + rows(QUARANTINE);
    assertThat(publishedBefore).isPositive().isLessThan(records);

    Path checkpoint = latestCheckpoint(job.getJobID());
    StreamExecutionEnvironment second =
        env(Map.of("execution.savepoint.path", checkpoint.toUri().toString()));
    TelemetryJob.build(second, records, 8_000, setup, spec);
    JobID secondId = second.execute("telemetry-restored").getJobID();
    assertThat(secondId).isNotEqualTo(job.getJobID());
    assertExactlyOnce(records);
  }

  @Test
  void aJobWhoseProcessIsKilledMidStreamRestoresFromItsLastCheckpointAndEverySampleLandsOnce()
      throws Exception {
    long records = 24_000;
    Path checkpoints = tmp.resolve("killed-checkpoints");
    Path log = tmp.resolve("killed-job.log");
    // SIGKILL: no cancel, no close, no cleanup; whatever the process had staged stays as it was.
    Process job =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx768m",
                    "-XX:TieredStopAtLevel=1",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    TelemetryJobTest.class.getName(),
                    warehouse().toString(),
                    checkpoints.toString(),
                    Long.toString(records),
                    "3000"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      waitForSnapshots(2, Duration.ofSeconds(90), job, log);
    } finally {
      job.destroyForcibly();
      job.waitFor();
    }
    assertThat(job.exitValue()).as("killed, not finished").isNotZero();
    long publishedBefore = rows(TELEMETRY) + rows(QUARANTINE);
    assertThat(publishedBefore).isPositive().isLessThan(records);

    Path checkpoint;
    try (Stream<Path> jobs = Files.list(checkpoints)) {
      checkpoint = latestCheckpoint(jobs.findFirst().orElseThrow());
    }
    TelemetryJob.LocalSetup setup = new TelemetryJob.LocalSetup(warehouse().toString());
    StreamExecutionEnvironment restored =
        env(Map.of("execution.savepoint.path", checkpoint.toUri().toString()));
    TelemetryJob.build(restored, records, 8_000, setup, TelemetryJob.spec(setup));
    restored.execute("telemetry-after-kill");
    assertExactlyOnce(records);
    // Each checkpoint's lineage run names the Flink it ran on (1.20 here, 2.1 in samples/flink2).
    assertThat(Files.readString(warehouse().resolve("lineage/openlineage.jsonl")))
        .contains(
            "\"version\":\""
                + org.apache.flink.runtime.util.EnvironmentInformation.getVersion()
                + "\",\"name\":\"Flink\"");
  }

  /** The job's mesh with a Java suite that no checkpoint passes: drone 7 must not report. */
  record StrictSetup(String warehouse) implements MeshworkSink.Setup {
    @Override
    public dev.meshwork.core.Mesh mesh() {
      return dev.meshwork.core.Mesh.builder()
          .store(IcebergStore.embedded(Path.of(warehouse)))
          .qualityGate(strictGate())
          .build();
    }

    @Override
    public dev.meshwork.core.model.DataProduct product() {
      return new TelemetryJob.LocalSetup(warehouse).product();
    }

    @Override
    public dev.meshwork.core.Principal principal() {
      return new TelemetryJob.LocalSetup(warehouse).principal();
    }
  }

  static dev.meshwork.spi.QualityGate strictGate() {
    return dev.meshwork.quality.ContractQualityGate.builder()
        .suite(
            "telemetry",
            dev.meshwork.quality.Suite.of(
                "grounded",
                dev.meshwork.quality.Check.satisfies(
                    "drone 7 is grounded", TelemetrySample.class, s -> s.droneId() != 7)))
        .build();
  }

  @Test
  void aCheckpointFailingAnErrorRuleFailsTheJobPublishesNothingAndKeepsItsFiles() throws Exception {
    StrictSetup setup = new StrictSetup(warehouse().toString());
    PartSpec<TelemetrySample> spec;
    try (dev.meshwork.core.Mesh mesh = setup.mesh();
        dev.meshwork.core.Run template = mesh.start(setup.product(), setup.principal())) {
      spec =
          template
              .parts("telemetry", TelemetrySample.class)
              .withQualityGate(TelemetryJobTest::strictGate);
    }
    StreamExecutionEnvironment env = env(Map.of("restart-strategy.fixed-delay.attempts", "1"));
    TelemetryJob.build(env, 4_000, 4_000, setup, spec);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.execute("telemetry-strict"))
        .hasStackTraceContaining("drone 7 is grounded")
        .hasStackTraceContaining("nothing was published");
    assertThat(exists(TELEMETRY)).as("a table no checkpoint published").isFalse();
    assertThat(onDisk("telemetry"))
        .as("the failed checkpoint's files stay for the restored job to retry")
        .isNotEmpty();
  }

  private void assertExactlyOnce(long records) throws IOException {
    List<Long> keys = new ArrayList<>();
    keys.addAll(sampleNumbers(TELEMETRY));
    keys.addAll(sampleNumbers(QUARANTINE));
    assertThat(keys).hasSize((int) records);
    assertThat(new HashSet<>(keys)).hasSize((int) records);
    assertThat(keys).allMatch(k -> k >= 0 && k < records);
    assertThat(sampleNumbers(QUARANTINE)).allMatch(k -> k % 1000 == 999);
    Table telemetry = table(TELEMETRY);
    assertThat(snapshots(telemetry)).isGreaterThan(1);
    assertThat(onDisk("telemetry")).isEqualTo(live(telemetry));
    assertThat(onDisk("telemetry__quarantine")).isEqualTo(live(table(QUARANTINE)));
  }

  /** Snapshots counted one by one (an Iterable's spliterator need not know its size). */
  private static long snapshots(Table t) {
    long n = 0;
    for (org.apache.iceberg.Snapshot ignored : t.snapshots()) {
      n++;
    }
    return n;
  }

  private boolean exists(String name) {
    return inCatalog(c -> c.tableExists(TableIdentifier.parse(name)));
  }

  private Table table(String name) {
    return inCatalog(c -> c.loadTable(TableIdentifier.parse(name)));
  }

  private <T> T inCatalog(java.util.function.Function<org.apache.iceberg.catalog.Catalog, T> f) {
    IcebergStore store = IcebergStore.embedded(warehouse());
    try {
      return f.apply(store.catalog());
    } finally {
      store.close();
    }
  }

  /** The sample numbers in a table, from their {@code sampled_at}. */
  private List<Long> sampleNumbers(String name) throws IOException {
    List<Long> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table(name)).build()) {
      for (Record r : rows) {
        Object at = r.getField("sampled_at");
        Instant t =
            at instanceof java.time.OffsetDateTime o
                ? o.toInstant()
                : ((java.time.LocalDateTime) at).toInstant(java.time.ZoneOffset.UTC);
        out.add(Duration.between(TelemetryJob.START, t).toMillis());
      }
    }
    return out;
  }

  private long rows(String name) throws IOException {
    try {
      return sampleNumbers(name).size();
    } catch (org.apache.iceberg.exceptions.NoSuchTableException e) {
      return 0;
    }
  }

  private static Set<String> live(Table t) throws IOException {
    Set<String> names = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      tasks.forEach(f -> names.add(Path.of(f.file().location()).getFileName().toString()));
    }
    return names;
  }

  private Set<String> onDisk(String port) throws IOException {
    Path dir = warehouse().resolve("fleet/drone_telemetry/" + port);
    if (!Files.exists(dir)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".parquet"))
          .map(p -> p.getFileName().toString())
          .collect(Collectors.toSet());
    }
  }

  private void waitForSnapshots(int n, Duration max) throws InterruptedException {
    waitForSnapshots(n, max, null, null);
  }

  /** Waits for {@code n} snapshots of telemetry, or fails early if {@code job} ended first. */
  private void waitForSnapshots(int n, Duration max, Process job, Path log)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (job != null && !job.isAlive()) {
        throw new AssertionError("the job ended before it was killed: " + tail(log));
      }
      try {
        if (snapshots(table(TELEMETRY)) >= n) {
          return;
        }
      } catch (RuntimeException notYet) {
        // The table is created by the first commit.
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "fewer than " + n + " snapshots after " + max + (log == null ? "" : ": " + tail(log)));
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log);
      return text.substring(Math.max(0, text.length() - 4000));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void waitUntilDone(JobClient job) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!job.getJobStatus().get().isGloballyTerminalState() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private Path latestCheckpoint(JobID id) throws IOException {
    return latestCheckpoint(tmp.resolve("checkpoints").resolve(id.toString()));
  }

  private static Path latestCheckpoint(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("chk-"))
          .filter(p -> Files.exists(p.resolve("_metadata")))
          .max(
              Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().substring(4))))
          .orElseThrow(() -> new AssertionError("no completed checkpoint under " + dir));
    }
  }
}
