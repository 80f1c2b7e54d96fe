package dev.meshwork.bench;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Run;
import dev.meshwork.core.WriteMode;
import dev.meshwork.core.model.DataProduct;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * An upsert of 1 % of the keys of a 10,000,000-row table (ten 1,000,000-row files, random keys
 * spread over all of them), copy-on-write against merge-on-read, beside a plain append of as many
 * rows; and the cost of reading the whole table back afterwards through a Meshwork input port.
 * Every iteration starts from the same table: the version it published is rolled back and its files
 * deleted. Files and bytes each write added are printed at the end of the trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xmx6g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class UpsertBenchmark {
  private static final int CHUNK = 1_000_000;
  private static final long SEED = 20_261_207L;

  /** Rows in the table. */
  @Param({"10000000"})
  public int rows;

  /** Iceberg's write.merge.mode for the upsert. */
  @Param({"copy-on-write", "merge-on-read"})
  public String strategy;

  private Path root;
  private Mesh mesh;
  private DataProduct writer;
  private DataProduct reader;
  private Table table;
  private long base;
  private List<BenchRow> upserts;
  private List<BenchRow> appends;
  private final List<String> written = new ArrayList<>();

  /** Writes the table in ten runs of 1,000,000 rows and draws the keys to upsert. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    root = Files.createTempDirectory("meshwork-upsert-bench");
    writer = BenchSetup.product(root.resolve("product"));
    reader = DataProduct.load(root.resolve("product/consumer.yaml"));
    Path warehouse = root.resolve("wh");
    mesh = BenchSetup.mesh(warehouse, null);
    table = BenchSetup.prepareTable(mesh, warehouse, writer, "zstd");
    table
        .updateProperties()
        .set(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, "1073741824")
        .set(TableProperties.MERGE_MODE, strategy)
        .commit();
    for (int c = 0; c < rows / CHUNK; c++) {
      long offset = (long) c * CHUNK;
      try (Run run = mesh.start(writer, BenchSetup.PRINCIPAL)) {
        run.output("rows", BenchRow.class)
            .writeAll(
                BenchData.rows(CHUNK, SEED + c).stream().map(r -> withId(r, r.id() + offset)));
        run.commit();
      }
    }
    table.refresh();
    base = table.currentSnapshot().snapshotId();
    int n = rows / 100;
    SplittableRandom random = new SplittableRandom(SEED);
    Set<Long> keys = new HashSet<>();
    while (keys.size() < n) {
      keys.add((long) random.nextInt(rows));
    }
    List<Long> ordered = new ArrayList<>(keys);
    List<BenchRow> fresh = BenchData.rows(n, SEED - 1);
    upserts = new ArrayList<>(n);
    appends = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      upserts.add(withId(fresh.get(i), ordered.get(i)));
      appends.add(withId(fresh.get(i), rows + (long) i));
    }
  }

  private static BenchRow withId(BenchRow r, long id) {
    return new BenchRow(
        id,
        r.midCard(),
        r.lowCard(),
        r.small(),
        r.measure(),
        r.ratio(),
        r.flag(),
        r.eventTs(),
        r.eventDate(),
        r.category(),
        r.payload());
  }

  /** For the reads: publishes the write being read after (not measured). */
  @Setup(Level.Iteration)
  public void before(BenchmarkParams params) {
    if (params.getBenchmark().endsWith("readAfterUpsert")) {
      upsert();
    } else if (params.getBenchmark().endsWith("readAfterAppend")) {
      append();
    }
  }

  /** Notes what the iteration's version added, rolls it back and deletes its files. */
  @TearDown(Level.Iteration)
  public void reset(BenchmarkParams params) {
    table.refresh();
    Snapshot s = table.currentSnapshot();
    if (s.snapshotId() == base) {
      return;
    }
    Map<String, String> sum = s.summary();
    written.add(
        params.getBenchmark().replaceAll(".*\\.", "")
            + " "
            + strategy
            + ": "
            + sum.getOrDefault("added-data-files", "0")
            + " data files ("
            + sum.getOrDefault("added-records", "0")
            + " rows), "
            + sum.getOrDefault("added-delete-files", "0")
            + " delete files, "
            + sum.getOrDefault("added-files-size", "0")
            + " bytes written");
    List<String> files = new ArrayList<>();
    org.apache.iceberg.SnapshotChanges changes =
        org.apache.iceberg.SnapshotChanges.builderFor(table).snapshot(s).build();
    changes.addedDataFiles().forEach(f -> files.add(f.location()));
    changes.addedDeleteFiles().forEach(f -> files.add(f.location()));
    table.manageSnapshots().rollbackTo(base).commit();
    files.forEach(table.io()::deleteFile);
  }

  /** Upserts 1 % of the keys. */
  @Benchmark
  public void upsert() {
    try (Run run = mesh.start(writer, BenchSetup.PRINCIPAL)) {
      run.output("rows", BenchRow.class, new WriteMode.Upsert(List.of("id"))).writeAll(upserts);
      run.commit();
    }
  }

  /** Appends as many rows as the upsert writes. */
  @Benchmark
  public void append() {
    try (Run run = mesh.start(writer, BenchSetup.PRINCIPAL)) {
      run.output("rows", BenchRow.class).writeAll(appends);
      run.commit();
    }
  }

  /** Reads every row of the upserted table through an input port. */
  @Benchmark
  public void readAfterUpsert(Blackhole bh) {
    read(bh);
  }

  /** Reads every row of the appended table through an input port. */
  @Benchmark
  public void readAfterAppend(Blackhole bh) {
    read(bh);
  }

  private void read(Blackhole bh) {
    try (Run run = mesh.start(reader, BenchSetup.PRINCIPAL);
        Stream<ReadPathBenchmark.AllColumns> rows =
            run.input("rows", ReadPathBenchmark.AllColumns.class).read()) {
      rows.forEach(bh::consume);
    }
  }

  /** Prints what each write added; closes the mesh and deletes the files. */
  @TearDown(Level.Trial)
  public void clean() {
    written.stream().distinct().forEach(w -> System.out.println("[written] " + w));
    mesh.close();
    BenchSetup.deleteRecursively(root);
  }
}
