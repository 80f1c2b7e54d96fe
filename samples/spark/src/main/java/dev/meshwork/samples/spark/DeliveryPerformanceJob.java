package dev.meshwork.samples.spark;

import dev.meshwork.core.InputSplit;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.PartSpec;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.Settings;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.samples.DailyRegionStats;
import dev.meshwork.samples.DeliveryPerformance;
import dev.meshwork.samples.DeliveryPerformance.BatterySample;
import dev.meshwork.samples.DeliveryPerformance.DayRegion;
import dev.meshwork.samples.DeliveryPerformance.DeliveryFacts;
import dev.meshwork.samples.DeliveryPerformance.RegionTotals;
import dev.meshwork.samples.Demo;
import dev.meshwork.samples.SyntheticData;
import dev.meshwork.samples.TelemetrySample;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The demo's consumer product {@code delivery-performance}, computed by a Spark job from both
 * source products: the driver's run pins both inputs and hands out read splits that carry the
 * policy's obligations (the purpose is declared once, masks and row filters travel with the
 * splits); tasks total their share per day and region, a reduce combines the totals, and the tasks
 * of the reduce stage the daily statistics as parts that the driver commits once. Both inputs are
 * incremental (the descriptor says so): the splits cover what the sources published since the
 * product's last run, so each run reads only the new days.
 *
 * <p>Options: {@code --rows N} deliveries (default 1,000,000, from {@link DeliveriesJob}), {@code
 * --samples N} telemetry samples (default 1,000,000), {@code --splits S} per input (default 8),
 * {@code --batch YYYY-MM-DD} (default today, UTC), {@code --warehouse DIR} (default {@code
 * ./warehouse}). It publishes the day's two source products first, then the consumer.
 */
public final class DeliveryPerformanceJob {
  private static final long SEED = 20_261_122L;

  private DeliveryPerformanceJob() {}

  /**
   * Publishes the daily region statistics of what the sources published since the product's last
   * run, reading each input in at most {@code splits} tasks; {@code batch} names the run.
   */
  public static RunResult publish(
      SparkSession spark, Mesh mesh, DataProduct performance, LocalDate batch, int splits) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (Run run =
        mesh.start(
            performance,
            Demo.INSIGHTS,
            DeliveriesJob.options(spark, performance, batch).purpose(Demo.PURPOSE).build())) {
      List<InputSplit<DeliveryFacts>> deliveries =
          run.splits("deliveries", DeliveryFacts.class, splits);
      List<InputSplit<BatterySample>> telemetry =
          run.splits("telemetry", BatterySample.class, splits);
      JavaPairRDD<DayRegion, RegionTotals> fromDeliveries =
          jsc.parallelize(deliveries, deliveries.size())
              .flatMapToPair(
                  split -> {
                    try (Stream<DeliveryFacts> rows = split.read()) {
                      return pairs(DeliveryPerformance.totals(rows, Stream.empty()));
                    }
                  });
      JavaPairRDD<DayRegion, RegionTotals> fromTelemetry =
          jsc.parallelize(telemetry, telemetry.size())
              .flatMapToPair(
                  split -> {
                    try (Stream<BatterySample> rows = split.read()) {
                      return pairs(DeliveryPerformance.totals(Stream.empty(), rows));
                    }
                  });
      JavaRDD<DailyRegionStats> stats =
          fromDeliveries
              .union(fromTelemetry)
              // One row per day and region: one reduce task, so the statistics are one file.
              .reduceByKey(RegionTotals::merge, 1)
              .map(k -> k._2().stats(k._1().day(), k._1().region()));
      PartSpec<DailyRegionStats> spec = run.parts("daily-region-stats", DailyRegionStats.class);
      return run.commit(SparkParts.stage(stats, spec));
    }
  }

  private static Iterator<Tuple2<DayRegion, RegionTotals>> pairs(
      Map<DayRegion, RegionTotals> totals) {
    List<Tuple2<DayRegion, RegionTotals>> out = new ArrayList<>();
    totals.forEach((key, t) -> out.add(new Tuple2<>(key, t)));
    return out.iterator();
  }

  /** Publishes {@code samples} telemetry samples of {@code batch} from the driver. */
  public static RunResult publishTelemetry(
      Mesh mesh, DataProduct telemetry, LocalDate batch, int samples) {
    try (Run run =
        mesh.start(
            telemetry,
            Demo.FLEET,
            dev.meshwork.core.RunOptions.builder()
                .runId(DeliveriesJob.uuid(telemetry.id() + "/" + batch))
                .build())) {
      run.output("telemetry", TelemetrySample.class)
          .writeAll(SyntheticData.telemetry(batch, samples, SEED));
      return run.commit();
    }
  }

  /** Publishes the day's sources and then the consumer, and prints what it published. */
  public static void main(String[] args) {
    long rows = 1_000_000;
    int samples = 1_000_000;
    int splits = 8;
    LocalDate batch = LocalDate.now(ZoneOffset.UTC);
    Settings settings = Settings.fromEnvironment();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> rows = Long.parseLong(DeliveriesJob.value(args, ++i));
        case "--samples" -> samples = Integer.parseInt(DeliveriesJob.value(args, ++i));
        case "--splits" -> splits = Integer.parseInt(DeliveriesJob.value(args, ++i));
        case "--batch" -> batch = LocalDate.parse(DeliveriesJob.value(args, ++i));
        case "--warehouse" ->
            settings = settings.with(Settings.WAREHOUSE, DeliveriesJob.value(args, ++i));
        default -> {
          System.err.println(
              "Unknown option "
                  + args[i]
                  + "; use --rows N, --samples N, --splits S, --batch YYYY-MM-DD, --warehouse DIR");
          System.exit(2);
        }
      }
    }
    if (splits < 1 || rows < splits) {
      System.err.println("--splits must be at least 1 and --rows at least --splits");
      System.exit(2);
    }
    Demo.Config config = Demo.Config.defaults(batch);
    Path decisions = settings.localFolder().resolve("policy/decision-log.jsonl");
    long start = System.nanoTime();
    SparkSession spark = DeliveriesJob.session("meshwork-delivery-performance");
    try (Mesh mesh =
        Mesh.builder().settings(settings).policy(Demo.policies(config, decisions)).build()) {
      DeliveriesJob.publish(
          spark,
          mesh,
          DataProduct.load(config.meshDir().resolve("deliveries.yaml")),
          batch,
          splits,
          (int) (rows / splits));
      publishTelemetry(
          mesh, DataProduct.load(config.meshDir().resolve("drone-telemetry.yaml")), batch, samples);
      RunResult r =
          publish(
              spark,
              mesh,
              DataProduct.load(config.meshDir().resolve("delivery-performance.yaml")),
              batch,
              splits);
      RunResult.Output out = r.output("daily-region-stats");
      // One write: the engine's threads still log while it shuts down, and would split the line.
      System.out.print(
          String.format(
              Locale.ROOT,
              "%nMeshwork on Spark %s: delivery-performance of %s from %,d deliveries and %,d samples"
                  + " read in up to %d tasks each%n%s: version %s, %,d rows%s, quality %s, in %,d ms%n"
                  + "Policy decisions are logged to %s%n",
              spark.version(),
              batch,
              rows,
              samples,
              splits,
              out.table(),
              out.version(),
              out.rows(),
              out.alreadyPublished() ? " (already published by an earlier run of this day)" : "",
              out.quality().allowsPublish() ? "passed" : "failed",
              (System.nanoTime() - start) / 1_000_000,
              decisions));
    } finally {
      spark.stop();
    }
  }
}
