package dev.meshwork.bench;

import dev.meshwork.core.Filter;
import dev.meshwork.core.InputRead;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.policy.Policies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Rows per second read from the benchmark table (1,000,000 seeded rows, 11 columns, one zstd file
 * written by Meshwork), every field touched: Iceberg's generic reader against a Meshwork input port
 * reading typed records, for all columns and for two, the port under the benchmark policy's mask
 * and CEL row filter, and a filter that keeps 1 % of the rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
    value = 2,
    jvmArgsAppend = {
      "-Xmx4g",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
      "--add-opens=java.base/java.nio=ALL-UNNAMED"
    })
public class ReadPathBenchmark {
  static final int ROWS = 1_000_000;

  /** Rows per batch of the Arrow reads (Meshwork's batch size). */
  static final int BATCH = dev.meshwork.core.internal.arrow.ArrowReads.BATCH_ROWS;

  private static final long SEED = 20_261_207L;

  /** Every column, as the consumer reads it (small is masked to null for it, so boxed). */
  public record AllColumns(
      long id,
      long midCard,
      long lowCard,
      Integer small,
      Double measure,
      float ratio,
      boolean flag,
      Instant eventTs,
      LocalDate eventDate,
      String category,
      String payload) {}

  /** Two of the eleven columns. */
  public record TwoColumns(long id, String category) {}

  private Path root;
  private Mesh mesh;
  private Mesh guarded;
  private DataProduct reader;
  private Table table;

  /** Writes the table once: one file, zstd. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    root = Files.createTempDirectory("meshwork-read-bench");
    DataProduct writer = BenchSetup.product(root.resolve("product"));
    reader = DataProduct.load(root.resolve("product/consumer.yaml"));
    Path warehouse = root.resolve("wh");
    mesh = BenchSetup.mesh(warehouse, null);
    table = BenchSetup.prepareTable(mesh, warehouse, writer, "zstd");
    table
        .updateProperties()
        .set(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, "1073741824")
        .commit();
    try (Run run = mesh.start(writer, BenchSetup.PRINCIPAL)) {
      run.output("rows", BenchRow.class).writeAll(BenchData.rows(ROWS, SEED));
      run.commit();
    }
    table.refresh();
    guarded =
        BenchSetup.mesh(
            warehouse,
            null,
            dev.meshwork.spi.QualityGate.none(),
            Policies.fromDirectory(
                root.resolve("product/policies"),
                root.resolve("decision-log.jsonl"),
                java.time.Clock.systemUTC()));
    long files = 0;
    try (var tasks = table.newScan().planFiles()) {
      for (var t : tasks) {
        files++;
      }
    }
    if (files != 1) {
      throw new IllegalStateException("the benchmark table must be one file, but has " + files);
    }
  }

  /**
   * Writes the benchmark table and copies its one data file to {@code args[0]}, for readers outside
   * the JVM (bench/pyarrow-read.py).
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: ReadPathBenchmark FILE.parquet");
    }
    ReadPathBenchmark b = new ReadPathBenchmark();
    b.setUp();
    try (var tasks = b.table.newScan().planFiles()) {
      for (var t : tasks) {
        Files.copy(
            Path.of(java.net.URI.create(t.file().location())),
            Path.of(args[0]),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      b.clean();
    }
    System.out.print(args[0] + "\n");
  }

  /** Closes the meshes and deletes the files. */
  @TearDown(Level.Trial)
  public void clean() {
    guarded.close();
    mesh.close();
    BenchSetup.deleteRecursively(root);
  }

  /** Iceberg's generic reader, every column. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void icebergGenericAllColumns(Blackhole bh) throws IOException {
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record r : rows) {
        for (int i = 0; i < 11; i++) {
          bh.consume(r.get(i));
        }
      }
    }
  }

  /** Iceberg's generic reader, two columns selected. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void icebergGenericTwoColumns(Blackhole bh) throws IOException {
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).select("id", "category").build()) {
      for (Record r : rows) {
        bh.consume(r.getField("id"));
        bh.consume(r.getField("category"));
      }
    }
  }

  /** A Meshwork input port, typed records of every column. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void meshworkTypedAllColumns(Blackhole bh) {
    read(mesh, AllColumns.class, null, bh);
  }

  /** A Meshwork input port, typed records of two columns. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void meshworkTypedTwoColumns(Blackhole bh) {
    read(mesh, TwoColumns.class, null, bh);
  }

  /** A Meshwork input port under the bench policy: a column masked, a CEL row filter. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void meshworkTypedMaskedAndFiltered(Blackhole bh) {
    read(guarded, AllColumns.class, null, bh);
  }

  /**
   * A Meshwork input port, typed records of every column, with a filter that keeps the 1 % of rows
   * with the smallest ids (the table is sorted by id); counted per row of the table, as the others.
   */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void meshworkTypedOnePercentOfASortedColumn(Blackhole bh) {
    read(mesh, AllColumns.class, Filter.lt("id", ROWS / 100), bh);
  }

  /**
   * Iceberg's vectorised {@code ArrowReader}, batches of {@value #BATCH} rows, every vector's
   * values touched.
   */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void icebergArrowReaderAllColumns(Blackhole bh) throws IOException {
    try (org.apache.iceberg.arrow.vectorized.ArrowReader reader =
            new org.apache.iceberg.arrow.vectorized.ArrowReader(table.newScan(), BATCH, false);
        org.apache.iceberg.io.CloseableIterator<org.apache.iceberg.arrow.vectorized.ColumnarBatch>
            batches = reader.open(table.newScan().planTasks())) {
      while (batches.hasNext()) {
        touch(batches.next().createVectorSchemaRootFromVectors(), bh, false);
      }
    }
  }

  /** A Meshwork input port read as Arrow batches, every vector's values touched. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void meshworkArrowBatchesAllColumns(Blackhole bh) {
    try (Run run = start(mesh);
        Stream<VectorSchemaRoot> batches = run.input("rows", VectorSchemaRoot.class).read()) {
      batches.forEach(b -> touch(b, bh, true));
    }
  }

  /** Reads every value of every vector of a batch; closes it when {@code close}. */
  private static void touch(VectorSchemaRoot batch, Blackhole bh, boolean close) {
    int n = batch.getRowCount();
    for (org.apache.arrow.vector.FieldVector v : batch.getFieldVectors()) {
      if (v instanceof org.apache.arrow.vector.BaseFixedWidthVector f) {
        // Fixed-width values: one read of each value's bytes.
        org.apache.arrow.memory.ArrowBuf data = f.getDataBuffer();
        int width = f.getTypeWidth();
        for (int i = 0; i < n; i++) {
          bh.consume(
              f.isNull(i)
                  ? 0
                  : width == 8 ? data.getLong((long) i * 8) : data.getByte((long) i * width));
        }
      } else if (v instanceof org.apache.arrow.vector.BaseVariableWidthVector w) {
        for (int i = 0; i < n; i++) {
          bh.consume(w.isNull(i) ? 0 : w.getValueLength(i));
        }
      } else {
        for (int i = 0; i < n; i++) {
          bh.consume(v.isNull(i));
        }
      }
    }
    if (close) {
      batch.close();
    }
  }

  /** A run of the bench reader that reads the latest version of the port. */
  private Run start(Mesh m) {
    return m.start(
        reader,
        Principal.service("bench-reader"),
        RunOptions.builder().purpose("benchmarking").read("rows", InputRead.latest()).build());
  }

  /** Reads the port as the bench reader, every row or those that match {@code where}. */
  private <T> void read(Mesh m, Class<T> type, Filter where, Blackhole bh) {
    try (Run run = start(m);
        Stream<T> rows =
            where == null ? run.input("rows", type).read() : run.input("rows", type).read(where)) {
      rows.forEach(bh::consume);
    }
  }
}
