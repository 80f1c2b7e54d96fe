package dev.meshwork.samples;

import dev.meshwork.core.InputPort;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.Settings;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.samples.DeliveryPerformance.BatterySample;
import dev.meshwork.samples.DeliveryPerformance.DeliveryFacts;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The README's code example, compiled here and run by the tests so that the README stays true. */
public final class QuickStart {
  private QuickStart() {}

  /**
   * Runs the consumer-aligned product of the demo mesh on the default store: its daily statistics
   * of what its sources published since its last run.
   */
  public static RunResult dailyStats(Path meshDir) {
    return dailyStats(meshDir, Settings.fromEnvironment());
  }

  /** Runs the consumer-aligned product of the demo mesh with these settings. */
  public static RunResult dailyStats(Path meshDir, Settings settings) {
    RunResult result;
    // README example begin
    // settings: Settings.fromEnvironment() unless you build them; by default the embedded store
    try (Mesh mesh = Mesh.builder().settings(settings).build();
        Run run =
            mesh.start(
                DataProduct.load(meshDir.resolve("delivery-performance.yaml")),
                Principal.service("demo"))) {
      InputPort<DeliveryFacts> in = run.input("deliveries", DeliveryFacts.class);
      InputPort<BatterySample> samples = run.input("telemetry", BatterySample.class);
      // The descriptor reads both inputs incrementally: what was published since the last run.
      try (Stream<DeliveryFacts> d = in.read();
          Stream<BatterySample> s = samples.read()) {
        run.output("daily-region-stats", DailyRegionStats.class)
            .writeAll(DeliveryPerformance.aggregate(d, s));
      }
      result = run.commit(); // publish every output; nothing is visible before this returns
    } // closing an uncommitted run aborts it and deletes its staged files
    // README example end
    return result;
  }
}
