package dev.meshwork.bench;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.policy.Policies;
import dev.meshwork.quality.ContractQualityGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rows per second of publishing the same 1,000,000 seeded rows, with the same codec and Parquet
 * settings, through: Iceberg's generic writer plus one append commit ({@code baselineIceberg}; the
 * generic records are built before measuring, so only writing is timed); a raw parquet-java writer
 * with no Iceberg ({@code baselineParquet}); Meshwork's output port plus commit ({@code
 * meshworkRecords}); the same with OpenLineage events to a file ({@code meshworkWithLineage}); and
 * with a 10-rule quality suite ({@code meshworkWithQuality}); and with the built-in policy engine
 * ({@code meshworkWithPolicy}).
 */
// The heap is touched when the JVM starts (AlwaysPreTouch): on this kind of VM the first write to a
// page costs several times a later one, which a writer that allocates little (Meshwork) would keep
// paying for many iterations as it slowly reaches fresh parts of the young generation, while one
// that allocates 500 B per row (Iceberg's) is through them during warm-up.
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 6)
@Fork(
    value = 2,
    jvmArgsAppend = {
      "-Xms6g",
      "-Xmx6g",
      "-XX:+AlwaysPreTouch",
      "-XX:+UseParallelGC",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
    })
public class WritePathBenchmark {
  /** Rows written by every invocation. */
  public static final int ROWS = 1_000_000;

  /** The Parquet codec: Iceberg's default zstd, and snappy. */
  @Param({"zstd", "snappy"})
  public String codec;

  private List<BenchRow> rows;
  private org.apache.arrow.memory.BufferAllocator allocator;
  private List<org.apache.arrow.vector.VectorSchemaRoot> batches;
  private List<Record> records;
  private Path root;
  private Path iterationDir;
  private DataProduct product;
  private Mesh mesh;
  private Mesh meshWithLineage;
  private Mesh meshWithQuality;
  private Mesh meshWithPolicy;
  private Table baseline;
  private int files;
  private final List<Path> dataFolders = new java.util.ArrayList<>();
  private Path rawFile;
  private List<byte[]> encodedPages;
  private byte[] compressed;
  private com.github.luben.zstd.ZstdCompressCtx zstd;

  /** Generates the rows once per trial. */
  @Setup(Level.Trial)
  public void data() throws IOException {
    rows = BenchData.rows(ROWS, 42);
    allocator = new org.apache.arrow.memory.RootAllocator();
    batches = BenchBatches.of(rows, allocator);
    root = Files.createTempDirectory("meshwork-bench");
    product = BenchSetup.product(root.resolve("product"));
    encodedPages = encodedPages();
    compressed = new byte[(int) com.github.luben.zstd.Zstd.compressBound(PAGE_BYTES) + 1024];
    zstd = new com.github.luben.zstd.ZstdCompressCtx().setLevel(3);
  }

  /** Parquet's default page size, the unit the codec compresses. */
  private static final int PAGE_BYTES = 1 << 20;

  /**
   * The rows as Meshwork encodes them, uncompressed: the file of an uncompressed table, cut into
   * page-sized pieces.
   */
  private List<byte[]> encodedPages() throws IOException {
    try (Mesh m = BenchSetup.mesh(root.resolve("uncompressed"), null)) {
      Table t = BenchSetup.prepareTable(m, root.resolve("uncompressed"), product, "uncompressed");
      publish(m);
      t.refresh();
      String location;
      try (org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.FileScanTask> tasks =
          t.newScan().planFiles()) {
        location = tasks.iterator().next().file().location();
      }
      byte[] file;
      try (java.io.InputStream in = t.io().newInputFile(location).newStream()) {
        file = in.readAllBytes();
      }
      List<byte[]> pages = new java.util.ArrayList<>();
      for (int at = 0; at < file.length; at += PAGE_BYTES) {
        pages.add(java.util.Arrays.copyOfRange(file, at, Math.min(file.length, at + PAGE_BYTES)));
      }
      return pages;
    }
  }

  /** Fresh warehouses per iteration, so metadata never grows across the measurement. */
  @Setup(Level.Iteration)
  public void warehouses() {
    iterationDir = root.resolve("it-" + UUID.randomUUID());
    mesh = BenchSetup.mesh(iterationDir.resolve("wh"), null);
    dataFolders.clear();
    Table table = BenchSetup.prepareTable(mesh, iterationDir.resolve("wh"), product, codec);
    baseline = BenchSetup.baselineTable(mesh, table);
    dataFolders.add(dataFolder(table));
    dataFolders.add(dataFolder(baseline));
    if (records == null) {
      records = BenchData.records(rows, baseline.schema());
    }
    meshWithLineage =
        BenchSetup.mesh(
            iterationDir.resolve("wh-lineage"), iterationDir.resolve("lineage/events.jsonl"));
    dataFolders.add(
        dataFolder(
            BenchSetup.prepareTable(
                meshWithLineage, iterationDir.resolve("wh-lineage"), product, codec)));
    meshWithQuality =
        BenchSetup.mesh(
            iterationDir.resolve("wh-quality"),
            null,
            ContractQualityGate.builder()
                .withoutContractRules()
                .suite("rows", BenchSetup.tenRules())
                .build());
    dataFolders.add(
        dataFolder(
            BenchSetup.prepareTable(
                meshWithQuality, iterationDir.resolve("wh-quality"), product, codec)));
    meshWithPolicy =
        BenchSetup.mesh(
            iterationDir.resolve("wh-policy"),
            null,
            dev.meshwork.spi.QualityGate.none(),
            Policies.fromDirectory(
                root.resolve("product/policies"),
                iterationDir.resolve("decision-log.jsonl"),
                java.time.Clock.systemUTC()));
    dataFolders.add(
        dataFolder(
            BenchSetup.prepareTable(
                meshWithPolicy, iterationDir.resolve("wh-policy"), product, codec)));
  }

  private static Path dataFolder(Table table) {
    return Path.of(java.net.URI.create(table.location() + "/data"));
  }

  /**
   * Deletes the data files the invocation wrote, outside the measurement. On this kind of virtual
   * machine the first write to memory the guest has not used lately is several times slower than
   * later ones (fresh pages are faulted in by the host: about 0.5 GB/s against 3.5 GB/s), so files
   * kept for the whole iteration made every writer pay for the page cache of all earlier
   * invocations; dropped at once, their pages are reused and the writers are measured instead.
   * Table metadata is kept, so commits still see the iteration's earlier snapshots.
   */
  @TearDown(Level.Invocation)
  public void dropDataFiles() throws IOException {
    dataFolders.forEach(BenchSetup::deleteRecursively);
    if (rawFile != null) {
      Files.deleteIfExists(rawFile);
      rawFile = null;
    }
  }

  /** Deletes the iteration's files. */
  @TearDown(Level.Iteration)
  public void clean() {
    mesh.close();
    meshWithLineage.close();
    meshWithQuality.close();
    meshWithPolicy.close();
    BenchSetup.deleteRecursively(iterationDir);
  }

  /** Deletes the trial's files. */
  @TearDown(Level.Trial)
  public void cleanAll() {
    zstd.close();
    batches.forEach(org.apache.arrow.vector.VectorSchemaRoot::close);
    allocator.close();
    BenchSetup.deleteRecursively(root);
  }

  /** Iceberg's generic Parquet writer and one append commit. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long baselineIceberg() throws IOException {
    String location = baseline.locationProvider().newDataLocation("base-" + files++ + ".parquet");
    DataWriter<Record> w =
        Parquet.writeData(baseline.io().newOutputFile(location))
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
    return w.length();
  }

  /** parquet-java alone, no Iceberg. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long baselineParquet() throws IOException {
    Path file = iterationDir.resolve("raw-" + files++ + ".parquet");
    rawFile = file;
    RawParquet.write(rows, file, CompressionCodecName.valueOf(codec.toUpperCase(Locale.ROOT)));
    return Files.size(file);
  }

  /** Java records through Meshwork's output port and commit, on the embedded store. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long meshworkRecords() {
    return publish(mesh);
  }

  /**
   * meshworkRecords with every page compressed on the writer's thread: what one core does, for
   * comparison with the default, which compresses on another core while encoding.
   */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  @Fork(
      value = 2,
      jvmArgsAppend = {
        "-Xms6g",
        "-Xmx6g",
        "-XX:+AlwaysPreTouch",
        "-XX:+UseParallelGC",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dmeshwork.parquet.compression-threads=0"
      })
  public long meshworkRecordsOneThread() {
    return publish(mesh);
  }

  /** The same rows as Arrow batches of 65,536 rows through the output port, and commit. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long meshworkArrow() {
    try (Run run = mesh.start(product, BenchSetup.PRINCIPAL)) {
      dev.meshwork.core.OutputPort<org.apache.arrow.vector.VectorSchemaRoot> out =
          run.output("rows", org.apache.arrow.vector.VectorSchemaRoot.class);
      for (org.apache.arrow.vector.VectorSchemaRoot batch : batches) {
        out.write(batch);
      }
      return run.commit().output("rows").bytes();
    }
  }

  /**
   * The codec alone (zstd at Iceberg's default level 3, or snappy), on one thread, over the pages
   * Meshwork encodes for the rows: the floor under any writer that compresses with it.
   */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long codecAlone() throws IOException {
    long out = 0;
    for (byte[] page : encodedPages) {
      out +=
          codec.equals("zstd")
              ? zstd.compressByteArray(compressed, 0, compressed.length, page, 0, page.length)
              : org.xerial.snappy.Snappy.compress(page, 0, page.length, compressed, 0);
    }
    return out;
  }

  /** As {@link #meshworkRecords()}, with OpenLineage events written to a JSON-lines file. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long meshworkWithLineage() {
    return publish(meshWithLineage);
  }

  /** As {@link #meshworkRecords()}, with a 10-rule quality suite checked while writing. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long meshworkWithQuality() {
    return publish(meshWithQuality);
  }

  /**
   * As {@link #meshworkRecords()}, with the built-in policy engine deciding RUN, WRITE and PUBLISH
   * (governance rules included) and logging each decision.
   */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long meshworkWithPolicy() {
    return publish(meshWithPolicy);
  }

  private long publish(Mesh m) {
    try (Run run = m.start(product, BenchSetup.PRINCIPAL)) {
      run.output("rows", BenchRow.class).writeAll(rows);
      return run.commit().output("rows").bytes();
    }
  }
}
