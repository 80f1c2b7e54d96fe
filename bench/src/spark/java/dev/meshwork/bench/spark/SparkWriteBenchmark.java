package dev.meshwork.bench.spark;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.PartSpec;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.Settings;
import dev.meshwork.core.StagedPart;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.samples.Delivery;
import dev.meshwork.samples.Demo;
import dev.meshwork.samples.spark.DeliveriesJob;
import dev.meshwork.samples.spark.SparkParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
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
 * The same rows (the demo's deliveries, generated in the tasks) appended by a Spark {@code
 * local[2]} job through Meshwork parts (contract quality suite and OpenLineage on, the driver
 * committing once) and through Spark's own Iceberg writer ({@code df.writeTo(table).append()}) to a
 * table with the same schema, partitioning and properties. Scores are rows/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {
      "-Xmx6g",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
    })
public class SparkWriteBenchmark {
  private static final int PARTITIONS = 4;
  private static final int ROWS_PER_PARTITION = 250_000;
  private static final int ROWS = PARTITIONS * ROWS_PER_PARTITION;
  private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
  private static final String SPARK_TABLE = "logistics.deliveries.deliveries_by_spark";

  private Path warehouse;
  private SparkSession spark;
  private JavaSparkContext jsc;
  private Mesh mesh;
  private DataProduct product;
  private StructType sparkSchema;

  /** Starts Spark and the mesh, creates both tables and publishes once so both exist. */
  @Setup(Level.Trial)
  public void start() throws IOException {
    warehouse = Files.createTempDirectory("meshwork-spark-bench");
    String catalog = "spark.sql.catalog." + IcebergStore.CATALOG_NAME;
    spark =
        SparkSession.builder()
            .appName("meshwork-spark-bench")
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.warehouse.dir", warehouse.resolve("spark-sql").toString())
            .config("spark.sql.shuffle.partitions", String.valueOf(PARTITIONS))
            .config("spark.sql.datetime.java8API.enabled", "true")
            .config(catalog, "org.apache.iceberg.spark.SparkCatalog")
            .config(catalog + ".type", "jdbc")
            .config(catalog + ".uri", "jdbc:sqlite:" + warehouse.resolve("catalog.db"))
            .config(catalog + ".warehouse", warehouse.toString())
            .config(catalog + ".jdbc.schema-version", "V1")
            .getOrCreate();
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // The default mesh on this warehouse: embedded store, discovered quality gate and lineage.
    mesh =
        Mesh.builder()
            .settings(Settings.fromEnvironment().with(Settings.WAREHOUSE, warehouse.toString()))
            .build();
    product = DataProduct.load(Demo.Config.defaults(DAY).meshDir().resolve("deliveries.yaml"));
    meshworkParts();
    IcebergStore store = (IcebergStore) mesh.store();
    Table meshworkTable =
        store.catalog().loadTable(TableIdentifier.parse("logistics.deliveries.deliveries"));
    store
        .catalog()
        .createTable(
            TableIdentifier.parse(SPARK_TABLE),
            meshworkTable.schema(),
            meshworkTable.spec(),
            meshworkTable.properties());
    sparkSchema = SparkSchemaUtil.convert(meshworkTable.schema());
  }

  /** Stops Spark and the mesh and deletes the warehouse. */
  @TearDown(Level.Trial)
  public void stop() throws IOException {
    mesh.close();
    spark.stop();
    try (var files = Files.walk(warehouse)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Meshwork: each task stages its part (encoder and contract checks), the driver commits once. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long meshworkParts() {
    try (Run run = mesh.start(product, Demo.DISPATCH, RunOptions.defaults())) {
      PartSpec<Delivery> spec = run.parts("deliveries", Delivery.class);
      List<StagedPart> parts =
          SparkParts.stage(
              jsc, PARTITIONS, spec, p -> DeliveriesJob.rows(DAY, p, ROWS_PER_PARTITION));
      return run.commit(parts).output("deliveries").rows();
    }
  }

  /** Spark's own Iceberg writer, the same rows generated the same way in the tasks. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void sparkIcebergWriter() throws Exception {
    JavaRDD<Row> rows =
        jsc.parallelize(IntStream.range(0, PARTITIONS).boxed().toList(), PARTITIONS)
            .flatMap(p -> sparkRows(DeliveriesJob.rows(DAY, p, ROWS_PER_PARTITION)));
    Dataset<Row> df = spark.createDataFrame(rows, sparkSchema);
    df.writeTo(IcebergStore.CATALOG_NAME + "." + SPARK_TABLE).append();
  }

  private static Iterator<Row> sparkRows(Iterator<Delivery> deliveries) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return deliveries.hasNext();
      }

      @Override
      public Row next() {
        Delivery d = deliveries.next();
        return RowFactory.create(
            d.deliveryId(),
            d.orderId(),
            d.region(),
            d.droneId(),
            d.status().name(),
            d.requestedAt(),
            d.deliveredAt(),
            d.promisedMinutes(),
            d.distanceKm(),
            d.weightKg(),
            RowFactory.create(d.dropPoint().lat(), d.dropPoint().lon()),
            d.customerEmail());
      }
    };
  }
}
