package dev.meshwork.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.iceberg.InProcessS3;
import dev.meshwork.iceberg.Maintenance;
import dev.meshwork.iceberg.StoreConfig;
import dev.meshwork.lineage.OpenLineageListener;
import dev.meshwork.quality.ContractQualityGate;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.RunEvent;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run whose JVM is killed with SIGKILL at each stage of its life, on the embedded store and on S3
 * (S3Proxy in this JVM): the child process blocks at the stage and the test kills it. After each
 * kill every table reads (Iceberg's reader, and every live data file through parquet-hadoop's own
 * reader), no version is half-published, the rerun with the same run id publishes exactly once, and
 * a maintenance pass removes every file the kill left behind (counted, for the report in {@code
 * target/kill-matrix.md}).
 */
class KillMatrixTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
  private static final int ROWS = 4_000;
  private static final String TABLE = "logistics.deliveries.deliveries";
  private static final String S3_KEY = "kill-key";
  private static final String S3_SECRET = "kill-secret-0123456789";
  private static final String BUCKET = "kill-bucket";

  /** Where the child stops, to be killed. */
  enum Stage {
    /** Half the rows written, their files open. */
    WRITING,
    /** Every file closed and the verdict taken, when PUBLISH is asked. */
    STAGED,
    /** The new metadata file written, the catalog not yet moved. */
    IN_COMMIT,
    /** The output published; the first file of the quality history written. */
    AFTER_COMMIT,
    /** The quality history's metadata file written, its catalog commit not yet made. */
    HISTORY,
    /** Everything committed; the lineage listener has the completion event to send or spool. */
    LINEAGE
  }

  @TempDir static Path shared;
  private static InProcessS3 s3;

  @BeforeAll
  static void startS3() throws Exception {
    Properties fs = new Properties();
    fs.setProperty(
        "jclouds.filesystem.basedir", Files.createDirectories(shared.resolve("s3")).toString());
    s3 =
        InProcessS3.start(
            org.gaul.s3proxy.BlobStores.create("filesystem", fs), S3_KEY, S3_SECRET, BUCKET);
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  static Stream<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    for (String storage : List.of("local", "s3")) {
      for (Stage stage : Stage.values()) {
        out.add(Arguments.of(storage, stage));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, killed {1}")
  @MethodSource("matrix")
  void aRunKilledAtAnyStageLeavesReadableTablesAndItsRerunPublishesOnce(
      String storage, Stage stage, @TempDir Path tmp) throws Exception {
    String runId = UUID.randomUUID().toString();
    String warehouse =
        storage.equals("s3")
            ? "s3://" + BUCKET + "/" + UUID.randomUUID()
            : tmp.resolve("wh").toString();
    Path catalogDb = tmp.resolve("catalog.db");
    Path spool = tmp.resolve("spool");

    Process child =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    KillMatrixTest.class.getName(),
                    warehouse,
                    catalogDb.toString(),
                    s3.endpoint(),
                    spool.toString(),
                    runId,
                    stage.name()))
            .redirectErrorStream(true)
            .start();
    waitForKillPoint(child);
    // SIGKILL: no finally block, no shutdown hook, no close runs in the child.
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    StoreConfig config = store(warehouse, catalogDb, s3.endpoint(), null);
    try (Mesh mesh = mesh(config, spool, null);
        org.apache.iceberg.io.FileIO io = fileIo(warehouse)) {
      Catalog catalog = ((IcebergStore) mesh.store()).catalog();
      Outcome afterKill = check(catalog, io, warehouse, runId);
      assertThat(afterKill.rows()).as("all or nothing").isIn(0L, (long) ROWS);
      if (stage.compareTo(Stage.AFTER_COMMIT) >= 0) {
        assertThat(afterKill.rows()).as("the output was committed before the kill").isEqualTo(ROWS);
      } else {
        assertThat(afterKill.rows()).as("the kill came before the catalog moved").isZero();
      }
      publish(mesh, runId, null);
      Outcome rerun = check(catalog, io, warehouse, runId);
      assertThat(rerun.rows()).as("the run's rows, once").isEqualTo(ROWS);
      assertThat(rerun.versionsOfRun()).isEqualTo(1);
      // The maintenance pass (no safety window here) removes whatever the kill left.
      Maintenance.OrphanReport removed =
          Maintenance.of((IcebergStore) mesh.store())
              .removeOrphanFiles(deliveries(), Duration.ZERO);
      Outcome maintained = check(catalog, io, warehouse, runId);
      assertThat(removed.deletedFiles()).isEqualTo(rerun.leftover());
      assertThat(maintained.leftover()).isZero();
      assertThat(maintained.rows()).isEqualTo(ROWS);
      RESULTS.add(
          String.format(
              "| %s | %s | %s | %d | %d | %d |",
              storage,
              stage,
              afterKill.rows() == 0 ? "nothing published" : "published (" + ROWS + " rows)",
              afterKill.leftover(),
              rerun.leftover(),
              maintained.leftover()));
    }
    assertThat(unreadableSpoolFiles(spool))
        .as("spooled lineage events that do not parse")
        .isEmpty();
  }

  private static final List<String> RESULTS = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterAll
  static void report() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(
        "| storage | killed | after the kill | unreferenced files after the kill | after the rerun"
            + " | after maintenance |");
    lines.add("|---|---|---|---:|---:|---:|");
    lines.addAll(RESULTS.stream().sorted().toList());
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target/kill-matrix.md"), lines, StandardCharsets.UTF_8);
  }

  /** The child: publishes the day's deliveries and blocks at {@code args[5]}'s stage. */
  public static void main(String[] args) {
    Stage stage = Stage.valueOf(args[5]);
    String at =
        switch (stage) {
          case IN_COMMIT -> "deliveries/deliveries/metadata/[^/]*\\.metadata\\.json$";
          case AFTER_COMMIT -> "quality_metrics/data/";
          case HISTORY -> "quality_metrics/metadata/[^/]*\\.metadata\\.json$";
          default -> null;
        };
    try (Mesh mesh = mesh(store(args[0], Path.of(args[1]), args[2], at), Path.of(args[3]), stage)) {
      publish(mesh, args[4], stage);
    }
    System.out.println("the run finished without reaching its kill point");
  }

  private static Mesh mesh(StoreConfig store, Path spool, Stage stage) {
    HttpConfig http = new HttpConfig();
    // Nothing listens there: events are spooled.
    http.setUrl(URI.create("http://127.0.0.1:9/api/v1/lineage"));
    http.setTimeoutInMillis(500);
    Mesh.Builder b =
        Mesh.builder()
            .store(IcebergStore.open(store))
            .qualityGate(ContractQualityGate.ofDefaults())
            .policy(
                request -> {
                  if (stage == Stage.STAGED && request.action() == Action.PUBLISH) {
                    StoppingFileIO.stopHere("when PUBLISH is asked");
                  }
                  return Decision.allow("kill-test");
                })
            .listener(
                OpenLineageListener.builder()
                    .transport(new HttpTransport(http))
                    .spoolDirectory(spool)
                    .sendAttempts(1, Duration.ofMillis(10))
                    .closeTimeout(Duration.ofSeconds(2))
                    .build());
    if (stage == Stage.LINEAGE) {
      b.listener(
          event -> {
            if (event.type() == RunEvent.Type.COMPLETE) {
              StoppingFileIO.stopHere("after the completion event reached the lineage listener");
            }
          });
    }
    return b.build();
  }

  private static DataProduct deliveries() {
    return DataProduct.load(Demo.Config.defaults(DAY).meshDir().resolve("deliveries.yaml"));
  }

  private static void publish(Mesh mesh, String runId, Stage stage) {
    try (Run run =
            mesh.start(deliveries(), Demo.DISPATCH, RunOptions.builder().runId(runId).build());
        Stream<Delivery> rows = SyntheticData.deliveries(DAY, ROWS, 7)) {
      var out = run.output("deliveries", Delivery.class);
      Iterator<Delivery> it = rows.iterator();
      for (int i = 0; it.hasNext(); i++) {
        if (stage == Stage.WRITING && i == ROWS / 2) {
          StoppingFileIO.stopHere("after " + i + " rows");
        }
        out.write(it.next());
      }
      run.commit();
    }
  }

  private static StoreConfig store(
      String warehouse, Path catalogDb, String s3Endpoint, String stopAt) {
    StoreConfig.Builder b =
        StoreConfig.builder().warehouse(warehouse).catalogUri("jdbc:sqlite:" + catalogDb);
    String delegate;
    if (warehouse.startsWith("s3://")) {
      b.objectStoreIo(StoreConfig.ObjectStoreIo.S3FILEIO)
          .s3Endpoint(s3Endpoint)
          .s3PathStyle()
          .s3Credentials(S3_KEY, S3_SECRET);
      delegate = "org.apache.iceberg.aws.s3.S3FileIO";
    } else {
      delegate = dev.meshwork.iceberg.internal.LocalFileIO.class.getName();
    }
    b.catalogProperty("io-impl", StoppingFileIO.class.getName())
        .catalogProperty(StoppingFileIO.DELEGATE, delegate);
    if (stopAt != null) {
      b.catalogProperty(StoppingFileIO.AT, stopAt);
    }
    return b.build();
  }

  /** A FileIO of the warehouse, to list what is stored there. */
  private static org.apache.iceberg.io.FileIO fileIo(String warehouse) {
    if (!warehouse.startsWith("s3://")) {
      return new dev.meshwork.iceberg.internal.LocalFileIO();
    }
    return org.apache.iceberg.CatalogUtil.loadFileIO(
        "org.apache.iceberg.aws.s3.S3FileIO",
        Map.of(
            "s3.endpoint",
            s3.endpoint(),
            "s3.path-style-access",
            "true",
            "s3.access-key-id",
            S3_KEY,
            "s3.secret-access-key",
            S3_SECRET,
            "client.region",
            "us-east-1"),
        null);
  }

  /** What the tables show: the run's rows and versions, and the files no version refers to. */
  record Outcome(long rows, int versionsOfRun, int leftover) {}

  private static Outcome check(
      Catalog catalog, org.apache.iceberg.io.FileIO io, String warehouse, String runId)
      throws IOException {
    Set<String> referenced = new HashSet<>();
    long rows = 0;
    int versions = 0;
    Namespace ns = Namespace.of("logistics", "deliveries");
    List<TableIdentifier> tables =
        ((SupportsNamespaces) catalog).namespaceExists(ns) ? catalog.listTables(ns) : List.of();
    for (TableIdentifier id : tables) {
      Table t = catalog.loadTable(id);
      long read = 0;
      try (CloseableIterable<Record> all = IcebergGenerics.read(t).build()) {
        for (Record ignored : all) {
          read++;
        }
      }
      long live = 0;
      try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = t.newScan().planFiles()) {
        for (org.apache.iceberg.FileScanTask task : tasks) {
          live += readWithParquet(t, task.file());
        }
      }
      assertThat(live).as("%s read by parquet-hadoop and by Iceberg", id).isEqualTo(read);
      referenced.addAll(reachable(t));
      if (id.name().equals("deliveries")) {
        for (Snapshot s : t.snapshots()) {
          if (runId.equals(s.summary().get("meshwork.run-id"))) {
            versions++;
            rows += Long.parseLong(s.summary().get("added-records"));
          }
        }
      }
    }
    int leftover = 0;
    String root = warehouse.startsWith("s3://") ? warehouse : Path.of(warehouse).toUri().toString();
    for (FileInfo f : ((SupportsPrefixOperations) io).listPrefix(root)) {
      if (!referenced.contains(normal(f.location()))) {
        leftover++;
      }
    }
    return new Outcome(rows, versions, leftover);
  }

  /** Every file a version of {@code t} refers to, metadata files included. */
  private static Set<String> reachable(Table t) throws IOException {
    Set<String> out = new HashSet<>();
    TableMetadata meta = ((BaseTable) t).operations().current();
    out.add(normal(meta.metadataFileLocation()));
    meta.previousFiles().forEach(f -> out.add(normal(f.file())));
    for (Snapshot s : t.snapshots()) {
      out.add(normal(s.manifestListLocation()));
      for (ManifestFile m : s.allManifests(t.io())) {
        out.add(normal(m.path()));
        try (CloseableIterable<String> paths = ManifestFiles.readPaths(m, t.io())) {
          paths.forEach(p -> out.add(normal(p)));
        }
      }
    }
    return out;
  }

  private static String normal(String location) {
    if (location.startsWith("s3://")) {
      return location;
    }
    String path = location.startsWith("file:") ? URI.create(location).getPath() : location;
    return Path.of(path).toAbsolutePath().normalize().toString();
  }

  /** The records of one data file, read by parquet-hadoop's example reader from a local copy. */
  private static long readWithParquet(Table t, ContentFile<?> file) throws IOException {
    Path copy = Files.createTempFile("kill-matrix", ".parquet");
    try {
      try (InputStream in = t.io().newInputFile(file.location()).newStream()) {
        Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      long n = 0;
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(copy.toUri()))
              .build()) {
        while (reader.read() != null) {
          n++;
        }
      }
      assertThat(n).as("records of %s", file.location()).isEqualTo(file.recordCount());
      return n;
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  private static List<Path> unreadableSpoolFiles(Path spool) throws IOException {
    if (!Files.isDirectory(spool)) {
      return List.of();
    }
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<Path> bad = new ArrayList<>();
    try (Stream<Path> files = Files.list(spool)) {
      for (Path f : files.filter(f -> !f.toString().endsWith(".tmp")).toList()) {
        try {
          json.readTree(f.toFile());
        } catch (IOException e) {
          bad.add(f);
        }
      }
    }
    return bad;
  }

  /** Reads the child's output until it says it stopped; fails with the output if it never does. */
  private static void waitForKillPoint(Process child) throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                  if (line.startsWith(StoppingFileIO.STOPPED)) {
                    stopped.countDown();
                  }
                }
              } catch (IOException ended) {
                // The child is gone.
              }
            });
    reader.setDaemon(true);
    reader.start();
    if (!stopped.await(120, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new AssertionError(
          "the child never reached its kill point:\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
    }
  }
}
