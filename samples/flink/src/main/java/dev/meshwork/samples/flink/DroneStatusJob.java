package dev.meshwork.samples.flink;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.PartSpec;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.Settings;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.samples.Demo;
import dev.meshwork.samples.SyntheticData;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Change data capture with Flink: the {@code drone-status} product keeps one row per drone, the
 * latest state the fleet-management database's change log reported. The log is read in order by one
 * source task (as a CDC connector reads a log partition); the sink keys the changes by drone, keeps
 * each drone's latest change until the checkpoint, and every completed checkpoint upserts the
 * drones that changed, as one snapshot, by the contract's primary key ({@code drone_id}; the port
 * declares {@code writeMode: upsert}).
 *
 * <p>Options: {@code --changes N} (default 100,000; 0 runs until stopped), {@code --rate R} changes
 * per second (default 20,000; 0: unthrottled), {@code --checkpoint-ms MS} (default 1000), {@code
 * --warehouse DIR} (default {@code ./warehouse}).
 */
public final class DroneStatusJob {
  /** Drones in the fleet. */
  public static final int FLEET = 400;

  /** When change 0 happened; change {@code i} happens {@code i} ms later. */
  public static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

  private DroneStatusJob() {}

  /** Change number {@code i} of the log: the same every time it is read. */
  public static DroneStatus change(long i) {
    long round = i / FLEET;
    return new DroneStatus(
        droneOf(i),
        SyntheticData.REGIONS.get((int) ((i + round) % SyntheticData.REGIONS.size())),
        100f - (round % 96),
        (i + round) % 3 != 0,
        START.plusMillis(i),
        i);
  }

  /** The drone change {@code i} is about. */
  public static int droneOf(long i) {
    return 1 + (int) (i % FLEET);
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
      return DemoMesh.product("drone-status.yaml");
    }

    @Override
    public Principal principal() {
      return Demo.FLEET;
    }
  }

  /**
   * The spec the writers stage parts from, in the port's declared mode (an upsert); the client's
   * run decides RUN and WRITE once and closes.
   */
  public static PartSpec<DroneStatus> spec(MeshworkSink.Setup setup) {
    try (Mesh mesh = setup.mesh();
        Run template = mesh.start(setup.product(), setup.principal())) {
      return template.parts("status", DroneStatus.class);
    }
  }

  /** The change numbers of the log, read by one task: {@code changes} of them (0: unbounded). */
  public static DataStream<Long> log(
      StreamExecutionEnvironment env, long changes, double perSecond) {
    DataGeneratorSource<Long> source =
        new DataGeneratorSource<>(
            i -> i,
            changes == 0 ? Long.MAX_VALUE : changes,
            perSecond > 0 ? RateLimiterStrategy.perSecond(perSecond) : RateLimiterStrategy.noOp(),
            Types.LONG);
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "fleet-change-log")
        .setParallelism(1)
        .uid("fleet-change-log");
  }

  /** Upserts the drones the changes of {@code log} are about, once per checkpoint. */
  public static void publish(
      DataStream<Long> log, MeshworkSink.Setup setup, PartSpec<DroneStatus> spec) {
    MeshworkSink.publishChanges(
        log,
        "drone-status-sink",
        spec,
        DroneStatus.class,
        DroneStatusJob::change,
        DroneStatusJob::droneOf,
        Integer.class,
        setup);
  }

  /** Runs the job on a local Flink (or the cluster of {@code flink run}). */
  public static void main(String[] args) throws Exception {
    long changes = 100_000;
    double rate = 20_000;
    long checkpointMs = 1000;
    String warehouse = Settings.fromEnvironment().localFolder().toString();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--changes" -> changes = Long.parseLong(DemoMesh.value(args, ++i));
        case "--rate" -> rate = Double.parseDouble(DemoMesh.value(args, ++i));
        case "--checkpoint-ms" -> checkpointMs = Long.parseLong(DemoMesh.value(args, ++i));
        case "--warehouse" -> warehouse = DemoMesh.value(args, ++i);
        default -> {
          System.err.println(
              "Unknown option "
                  + args[i]
                  + "; use --changes N, --rate R, --checkpoint-ms MS, --warehouse DIR");
          System.exit(2);
        }
      }
    }
    MeshworkSink.Setup setup = new LocalSetup(warehouse);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(checkpointMs);
    publish(log(env, changes, rate), setup, spec(setup));
    long start = System.nanoTime();
    env.execute("meshwork-drone-status");
    // One write: the engine's threads still log while it shuts down, and would split the line.
    System.out.print(
        String.format(
            "%nMeshwork on Flink: %,d status changes of %,d drones upserted to %s in %,d ms%n",
            changes, FLEET, warehouse, (System.nanoTime() - start) / 1_000_000));
  }
}
