package dev.meshwork.samples.spark;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.ParentRun;
import dev.meshwork.core.PartSpec;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.Settings;
import dev.meshwork.core.StagedPart;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.samples.Delivery;
import dev.meshwork.samples.Demo;
import dev.meshwork.samples.SyntheticData;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The demo's source product {@code deliveries}, published by a Spark job: the rows of a day are
 * generated across partitions, each task stages its part through Meshwork (same encoder, same
 * contract checks), and the driver commits once: one snapshot, one quality verdict over every row,
 * one PUBLISH decision and one lineage run naming Spark and the Spark application.
 *
 * <p>Options: {@code --rows N} (default 10,000,000), {@code --partitions P} (default 8), {@code
 * --batch YYYY-MM-DD} (default today, UTC), {@code --warehouse DIR} (default {@code ./warehouse});
 * the Spark master is {@code local[2]} unless {@code spark.master} is set (spark-submit).
 */
public final class DeliveriesJob {
  private static final long SEED = 20_261_122L;

  private DeliveriesJob() {}

  /** Publishes {@code partitions × rowsPerPartition} deliveries of {@code batch}. */
  public static RunResult publish(
      SparkSession spark,
      Mesh mesh,
      DataProduct deliveries,
      LocalDate batch,
      int partitions,
      int rowsPerPartition) {
    try (Run run =
        mesh.start(deliveries, Demo.DISPATCH, options(spark, deliveries, batch).build())) {
      PartSpec<Delivery> spec = run.parts("deliveries", Delivery.class);
      List<StagedPart> parts =
          SparkParts.stage(
              JavaSparkContext.fromSparkContext(spark.sparkContext()),
              partitions,
              spec,
              p -> rows(batch, p, rowsPerPartition));
      return run.commit(parts);
    }
  }

  /**
   * The run's options: its id derived from the product and the day (a rerun of the job is a rerun
   * of the run), Spark as the engine and the Spark application as the parent run.
   */
  static RunOptions.Builder options(SparkSession spark, DataProduct product, LocalDate batch) {
    String app = spark.sparkContext().applicationId();
    return RunOptions.builder()
        .runId(uuid(product.id() + "/" + batch))
        .nominalTime(batch.atStartOfDay(ZoneOffset.UTC).toInstant())
        .engine("Spark", spark.version())
        .parent(new ParentRun("spark", spark.sparkContext().appName(), uuid(app)));
  }

  /** A session on {@code local[2]}, or on the master that {@code spark-submit} set. */
  static SparkSession session(String appName) {
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    // SparkConf holds what spark-submit passed (its spark.* settings).
    if (!new org.apache.spark.SparkConf().contains("spark.master")) {
      builder.master("local[2]");
    }
    return builder.getOrCreate();
  }

  static String uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * The rows of partition {@code p}: a day's synthetic deliveries, their ids shifted so that
   * partitions never share one.
   */
  public static Iterator<Delivery> rows(LocalDate batch, int p, int n) {
    long shift = (long) p * n;
    return SyntheticData.deliveries(batch, n, SEED + p)
        .map(
            d ->
                new Delivery(
                    d.deliveryId() + shift,
                    d.orderId(),
                    d.region(),
                    d.droneId(),
                    d.status(),
                    d.requestedAt(),
                    d.deliveredAt(),
                    d.promisedMinutes(),
                    d.distanceKm(),
                    d.weightKg(),
                    d.dropPoint(),
                    d.customerEmail()))
        .iterator();
  }

  /** Runs the job and prints what it published. */
  public static void main(String[] args) {
    long rows = 10_000_000;
    int partitions = 8;
    LocalDate batch = LocalDate.now(ZoneOffset.UTC);
    Settings settings = Settings.fromEnvironment();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> rows = Long.parseLong(value(args, ++i));
        case "--partitions" -> partitions = Integer.parseInt(value(args, ++i));
        case "--batch" -> batch = LocalDate.parse(value(args, ++i));
        case "--warehouse" -> settings = settings.with(Settings.WAREHOUSE, value(args, ++i));
        default -> {
          System.err.println(
              "Unknown option "
                  + args[i]
                  + "; use --rows N, --partitions P, --batch YYYY-MM-DD, --warehouse DIR");
          System.exit(2);
        }
      }
    }
    if (partitions < 1 || rows < partitions) {
      System.err.println("--partitions must be at least 1 and --rows at least --partitions");
      System.exit(2);
    }
    Demo.Config config = Demo.Config.defaults(batch);
    long start = System.nanoTime();
    SparkSession spark = session("meshwork-deliveries");
    try (Mesh mesh = Mesh.builder().settings(settings).build()) {
      RunResult r =
          publish(
              spark,
              mesh,
              DataProduct.load(config.meshDir().resolve("deliveries.yaml")),
              batch,
              partitions,
              (int) (rows / partitions));
      RunResult.Output out = r.output("deliveries");
      // One write: the engine's threads still log while it shuts down, and would split the line.
      System.out.print(
          String.format(
              Locale.ROOT,
              "%nMeshwork on Spark %s: deliveries of %s from %d tasks%n%s: version %s, %,d rows, %d"
                  + " files, %,d bytes, quality %s, in %,d ms%n",
              spark.version(),
              batch,
              partitions,
              out.table(),
              out.version(),
              out.rows(),
              out.files(),
              out.bytes(),
              out.quality().allowsPublish() ? "passed" : "failed",
              (System.nanoTime() - start) / 1_000_000));
    } finally {
      spark.stop();
    }
  }

  static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
