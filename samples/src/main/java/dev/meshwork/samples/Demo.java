package dev.meshwork.samples;

import dev.meshwork.core.InputPort;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.OutputPort;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.samples.DeliveryPerformance.BatterySample;
import dev.meshwork.samples.DeliveryPerformance.DeliveryFacts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs the demo mesh for one day's batch: {@code deliveries} and {@code drone-telemetry} publish
 * the day's synthetic data, then {@code delivery-performance} reads both and publishes daily
 * per-region statistics.
 *
 * <p>Each run id is derived from the product and the batch day, so running the same batch again is
 * idempotent: every product finds its earlier snapshot and appends nothing. A new batch day
 * appends.
 */
public final class Demo {
  private static final long SEED = 20_261_122L;

  /** What to run: descriptor folder, batch day and row counts of the two sources. */
  public record Config(Path meshDir, LocalDate batch, int deliveries, int telemetry) {
    /** Validates the counts. */
    public Config {
      Objects.requireNonNull(meshDir, "meshDir");
      Objects.requireNonNull(batch, "batch");
      if (deliveries < 1 || telemetry < 1) {
        throw new IllegalArgumentException(
            "row counts must be at least 1, but were deliveries="
                + deliveries
                + ", telemetry="
                + telemetry);
      }
    }

    /** The demo's default: the bundled descriptors, 600,000 rows per source product. */
    public static Config defaults(LocalDate batch) {
      return new Config(MeshFiles.locate(), batch, 600_000, 600_000);
    }
  }

  /** One product's run, as the summary shows it. */
  public record ProductRun(String product, RunResult result, long millis) {}

  private Demo() {}

  /** Runs the three products in dependency order. */
  public static List<ProductRun> run(Mesh mesh, Config config) {
    List<ProductRun> runs = new ArrayList<>();
    DataProduct deliveries = DataProduct.load(config.meshDir().resolve("deliveries.yaml"));
    DataProduct telemetry = DataProduct.load(config.meshDir().resolve("drone-telemetry.yaml"));
    DataProduct performance =
        DataProduct.load(config.meshDir().resolve("delivery-performance.yaml"));

    runs.add(
        timed(
            deliveries,
            mesh,
            config,
            run -> {
              OutputPort<Delivery> out = run.output("deliveries", Delivery.class);
              out.writeAll(SyntheticData.deliveries(config.batch(), config.deliveries(), SEED));
            }));
    runs.add(
        timed(
            telemetry,
            mesh,
            config,
            run -> {
              OutputPort<TelemetrySample> out = run.output("telemetry", TelemetrySample.class);
              out.writeAll(SyntheticData.telemetry(config.batch(), config.telemetry(), SEED));
            }));
    runs.add(
        timed(
            performance,
            mesh,
            config,
            run -> {
              InputPort<DeliveryFacts> in = run.input("deliveries", DeliveryFacts.class);
              InputPort<BatterySample> samples = run.input("telemetry", BatterySample.class);
              try (Stream<DeliveryFacts> d = in.read();
                  Stream<BatterySample> s = samples.read()) {
                run.output("daily-region-stats", DailyRegionStats.class)
                    .writeAll(DeliveryPerformance.aggregate(config.batch(), d, s));
              }
            }));
    return runs;
  }

  private interface Body {
    void accept(Run run);
  }

  private static ProductRun timed(DataProduct product, Mesh mesh, Config config, Body body) {
    long start = System.nanoTime();
    String runId =
        UUID.nameUUIDFromBytes(
                (product.id() + "/" + config.batch()).getBytes(StandardCharsets.UTF_8))
            .toString();
    try (Run run =
        mesh.start(
            product,
            Principal.service("meshwork-demo"),
            RunOptions.builder()
                .runId(runId)
                .nominalTime(config.batch().atStartOfDay(java.time.ZoneOffset.UTC).toInstant())
                .build())) {
      body.accept(run);
      RunResult result = run.commit();
      return new ProductRun(product.displayName(), result, (System.nanoTime() - start) / 1_000_000);
    }
  }
}
