package dev.meshwork.bench;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of publishing a small append (100 rows) on the embedded SQLite catalog: a whole Meshwork
 * run (start, port, write, commit) against Iceberg's writer plus append commit. Sampled, so JMH
 * reports p50 and p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 6)
@Fork(
    value = 2,
    jvmArgsAppend = {
      "-Xmx2g",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
    })
public class CommitLatencyBenchmark {
  private static final int ROWS = 100;
  private List<BenchRow> rows;
  private List<Record> records;
  private Path root;
  private DataProduct product;
  private Mesh mesh;
  private Table baseline;
  private int files;

  /** A warehouse per iteration. */
  @Setup(Level.Iteration)
  public void setup() throws IOException {
    root = Files.createTempDirectory("meshwork-commit-bench");
    rows = BenchData.rows(ROWS, 7);
    product = BenchSetup.product(root.resolve("product"));
    Path warehouse = root.resolve("wh-" + UUID.randomUUID());
    mesh = BenchSetup.mesh(warehouse, null);
    Table table = BenchSetup.prepareTable(mesh, warehouse, product, "zstd");
    baseline = BenchSetup.baselineTable(mesh, table);
    records = BenchData.records(rows, baseline.schema());
  }

  /** Removes the warehouse. */
  @TearDown(Level.Iteration)
  public void clean() {
    mesh.close();
    BenchSetup.deleteRecursively(root);
  }

  /** A Meshwork run publishing 100 rows. */
  @Benchmark
  public long meshworkSmallCommit() {
    try (Run run = mesh.start(product, BenchSetup.PRINCIPAL)) {
      run.output("rows", BenchRow.class).writeAll(rows);
      return run.commit().output("rows").version();
    }
  }

  /** Iceberg's writer and append commit of 100 rows. */
  @Benchmark
  public long icebergSmallCommit() throws IOException {
    DataWriter<Record> w =
        Parquet.writeData(
                baseline
                    .io()
                    .newOutputFile(
                        baseline.locationProvider().newDataLocation("s-" + files++ + ".parquet")))
            .forTable(baseline)
            .createWriterFunc(GenericParquetWriter::create)
            .overwrite()
            .build();
    try (w) {
      for (Record r : records) {
        w.write(r);
      }
    }
    baseline.newAppend().appendFile(w.toDataFile()).commit();
    return baseline.currentSnapshot().snapshotId();
  }
}
