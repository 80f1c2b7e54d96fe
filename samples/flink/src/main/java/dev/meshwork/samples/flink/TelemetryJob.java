package dev.meshwork.samples.flink;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.PartSpec;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.Settings;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.samples.Demo;
import dev.meshwork.samples.SyntheticData;
import dev.meshwork.samples.TelemetrySample;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The demo's source product {@code drone-telemetry} published by a Flink streaming job: a source of
 * telemetry sample numbers (bounded or not, rate-limited, exactly once through its own checkpointed
 * position), writers that stage each checkpoint's samples as parts, and a committer that publishes
 * each completed checkpoint as one snapshot. Samples above 100 % battery are quarantined by the
 * contract, as in the batch demo.
 *
 * <p>Options: {@code --records N} (default 1,000,000; 0 runs until stopped), {@code --rate R}
 * samples per second (default 100,000; 0: unthrottled), {@code --checkpoint-ms MS} (default 1000),
 * {@code --warehouse DIR} (default {@code ./warehouse}).
 */
public final class TelemetryJob {
  /** When sample 0 was taken; sample {@code i} is taken {@code i} ms later. */
  public static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

  private static final List<String> NO_ERRORS = List.of();

  private TelemetryJob() {}

  /**
   * Telemetry sample number {@code i}: the same every time it is generated (a replay after a
   * restore sees the same samples), unique by {@code sampled_at}; one in a thousand is a battery
   * glitch above 100 %.
   */
  public static TelemetrySample sample(long i) {
    boolean airborne = i % 10 != 0;
    float battery = i % 1000 == 999 ? 120f : 5f + (i % 95);
    return new TelemetrySample(
        1 + (int) (i % 400),
        START.plusMillis(i),
        SyntheticData.REGIONS.get((int) (i % SyntheticData.REGIONS.size())),
        battery,
        airborne ? 20 + (i % 100) : 0,
        airborne ? (i % 25) : 0,
        airborne,
        NO_ERRORS);
  }

  /** The mesh, product and principal of the job, on a warehouse folder. */
  public record LocalSetup(String warehouse) implements MeshworkSink.Setup {
    private static final long serialVersionUID = 1L;

    @Override
    public Mesh mesh() {
      return DemoMesh.on(warehouse);
    }

    @Override
    public DataProduct product() {
      return DemoMesh.product("drone-telemetry.yaml");
    }

    @Override
    public Principal principal() {
      return Demo.FLEET;
    }
  }

  /**
   * The spec the writers stage parts from: handed out by a run of the product on the client, which
   * decides RUN and WRITE once; that run then closes (it publishes nothing itself).
   */
  public static PartSpec<TelemetrySample> spec(MeshworkSink.Setup setup) {
    try (Mesh mesh = setup.mesh();
        Run template = mesh.start(setup.product(), setup.principal())) {
      return template.parts("telemetry", TelemetrySample.class);
    }
  }

  /** Adds the job to {@code env}: {@code records} samples (0: unbounded) at {@code perSecond}. */
  public static void build(
      StreamExecutionEnvironment env,
      long records,
      double perSecond,
      MeshworkSink.Setup setup,
      PartSpec<TelemetrySample> spec) {
    publish(numbers(env, records, perSecond), setup, spec);
  }

  /**
   * The sample numbers: {@code records} of them (0: unbounded) at {@code perSecond} (0: as fast as
   * the job takes them).
   */
  public static DataStream<Long> numbers(
      StreamExecutionEnvironment env, long records, double perSecond) {
    DataGeneratorSource<Long> source =
        new DataGeneratorSource<>(
            i -> i,
            records == 0 ? Long.MAX_VALUE : records,
            perSecond > 0 ? RateLimiterStrategy.perSecond(perSecond) : RateLimiterStrategy.noOp(),
            Types.LONG);
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "telemetry-samples")
        .uid("telemetry-samples");
  }

  /** Publishes the samples of {@code numbers} to the telemetry port. */
  public static void publish(
      DataStream<Long> numbers, MeshworkSink.Setup setup, PartSpec<TelemetrySample> spec) {
    publish(numbers, setup, spec, "telemetry-sink");
  }

  /** As {@link #publish(DataStream, MeshworkSink.Setup, PartSpec)}, with the sink's uid. */
  public static void publish(
      DataStream<Long> numbers,
      MeshworkSink.Setup setup,
      PartSpec<TelemetrySample> spec,
      String sinkUid) {
    MeshworkSink.publish(
        numbers, sinkUid, spec, TelemetrySample.class, TelemetryJob::sample, setup);
  }

  /** Runs the job on a local Flink (or the cluster of {@code flink run}). */
  public static void main(String[] args) throws Exception {
    long records = 1_000_000;
    double rate = 100_000;
    long checkpointMs = 1000;
    String warehouse = Settings.fromEnvironment().localFolder().toString();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = Long.parseLong(DemoMesh.value(args, ++i));
        case "--rate" -> rate = Double.parseDouble(DemoMesh.value(args, ++i));
        case "--checkpoint-ms" -> checkpointMs = Long.parseLong(DemoMesh.value(args, ++i));
        case "--warehouse" -> warehouse = DemoMesh.value(args, ++i);
        default -> {
          System.err.println(
              "Unknown option "
                  + args[i]
                  + "; use --records N, --rate R, --checkpoint-ms MS, --warehouse DIR");
          System.exit(2);
        }
      }
    }
    MeshworkSink.Setup setup = new LocalSetup(warehouse);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(checkpointMs);
    build(env, records, rate, setup, spec(setup));
    long start = System.nanoTime();
    env.execute("meshwork-telemetry");
    // One write: the engine's threads still log while it shuts down, and would split the line.
    System.out.print(
        String.format(
            "%nMeshwork on Flink: %,d telemetry samples published to %s in %,d ms%n",
            records, warehouse, (System.nanoTime() - start) / 1_000_000));
  }
}
