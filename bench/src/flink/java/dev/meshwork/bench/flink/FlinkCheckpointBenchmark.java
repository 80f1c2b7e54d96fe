package dev.meshwork.bench.flink;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.PartSpec;
import dev.meshwork.core.PartWriter;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.StagedPart;
import dev.meshwork.samples.TelemetrySample;
import dev.meshwork.samples.flink.TelemetryJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The telemetry product from Flink: {@link #streamAtOneSecondCheckpoints} runs the job (unthrottled
 * source, parallelism 2, 1 s checkpoints, one snapshot per checkpoint) on a local mini cluster and
 * scores samples/s; {@link #commitOneCheckpoint} times what the committer does when a checkpoint
 * completes: one run over the two writers' parts of 50,000 samples each (merged verdict, PUBLISH,
 * one snapshot), as latency percentiles.
 */
@State(Scope.Benchmark)
@Fork(
    value = 2,
    jvmArgsAppend = {
      "-Xmx4g",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
    })
public class FlinkCheckpointBenchmark {
  private static final long RECORDS = 2_000_000;
  private static final int PART_ROWS = 50_000;

  private Path warehouse;
  private TelemetryJob.LocalSetup setup;
  private PartSpec<TelemetrySample> spec;
  private Mesh mesh;
  private List<StagedPart> parts;
  private String runId;
  private long next;

  /** A warehouse, the job's spec and a mesh for the committer's runs. */
  @Setup(Level.Trial)
  public void start() throws IOException {
    warehouse = Files.createTempDirectory("meshwork-flink-bench");
    setup = new TelemetryJob.LocalSetup(warehouse.toString());
    spec = TelemetryJob.spec(setup);
    mesh = setup.mesh();
  }

  /** Closes the mesh and deletes the warehouse. */
  @TearDown(Level.Trial)
  public void stop() throws IOException {
    mesh.close();
    try (var files = Files.walk(warehouse)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Nanoseconds per sample of the whole job at a 1 s checkpoint interval (1e9 / score = samples/s). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 1)
  @Measurement(iterations = 5)
  @OperationsPerInvocation((int) RECORDS)
  public void streamAtOneSecondCheckpoints() throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            Configuration.fromMap(
                Map.of(
                    "execution.checkpointing.interval", "1s",
                    "execution.checkpointing.unaligned.enabled", "false")));
    env.setParallelism(2);
    // A new sink uid per invocation: each run is a fresh stream of checkpoint runs.
    TelemetryJob.publish(
        TelemetryJob.numbers(env, RECORDS, 0),
        setup,
        spec,
        "telemetry-bench-" + UUID.randomUUID());
    env.execute("meshwork-flink-bench");
  }

  /** Stages what two writers send for one checkpoint (not timed). */
  @Setup(Level.Invocation)
  public void stageCheckpoint() {
    runId = UUID.randomUUID().toString();
    parts = new ArrayList<>();
    PartSpec<TelemetrySample> forRun = spec.forRun(runId);
    for (int p = 0; p < 2; p++) {
      try (PartWriter<TelemetrySample> w = forRun.open(p, 0)) {
        for (int i = 0; i < PART_ROWS; i++) {
          w.write(TelemetryJob.sample(next++));
        }
        parts.add(w.finish());
      }
    }
  }

  /** The committer's work when a checkpoint completes. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2, time = 5)
  @Measurement(iterations = 5, time = 5)
  public long commitOneCheckpoint() {
    RunOptions options =
        RunOptions.builder().runId(runId).onFailure(RunOptions.OnFailure.KEEP_PARTS).build();
    try (Run run = mesh.start(setup.product(), setup.principal(), options)) {
      run.parts("telemetry", TelemetrySample.class);
      return run.commit(parts).output("telemetry").rows();
    }
  }
}
