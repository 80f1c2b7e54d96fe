package dev.meshwork.bench;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.iceberg.StoreConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
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
 * Rows/s of publishing 200,000 rows to an S3 warehouse through Iceberg's S3FileIO and through
 * Hadoop S3A, against S3Proxy (file-system backend) on 127.0.0.1 in the same JVM: the two paths
 * compared on the same data and server, not the network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 6)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xmx4g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class ObjectStoreBenchmark {
  /** Rows per invocation. */
  public static final int ROWS = 200_000;

  /** The object-store path. */
  @Param({"s3fileio", "s3a"})
  public String io;

  private Path root;
  private S3Proxy proxy;
  private List<BenchRow> rows;
  private DataProduct product;
  private Mesh mesh;

  /** Starts the S3 server and opens the store. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    root = Files.createTempDirectory("meshwork-s3-bench");
    Files.createDirectories(root.resolve("blobs/bench"));
    Properties p = new Properties();
    p.setProperty("jclouds.filesystem.basedir", root.resolve("blobs").toString());
    proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("filesystem", p))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "bench", "bench-secret")
            .build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.sleep(10);
    }
    rows = BenchData.rows(ROWS, 42);
    product = BenchSetup.product(root.resolve("product"));
    StoreConfig.ObjectStoreIo kind = StoreConfig.ObjectStoreIo.valueOf(io.toUpperCase(Locale.ROOT));
    mesh =
        Mesh.builder()
            .store(
                IcebergStore.open(
                    StoreConfig.builder()
                        .warehouse(
                            (kind == StoreConfig.ObjectStoreIo.S3A ? "s3a" : "s3")
                                + "://bench/"
                                + UUID.randomUUID())
                        .objectStoreIo(kind)
                        .catalogUri("jdbc:sqlite:" + root.resolve("catalog.db"))
                        .s3Endpoint("http://127.0.0.1:" + proxy.getPort())
                        .s3PathStyle()
                        .s3Credentials("bench", "bench-secret")
                        .build()))
            .listener(e -> {})
            .build();
  }

  /** Stops the server and deletes the files. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    mesh.close();
    proxy.stop();
    BenchSetup.deleteRecursively(root);
  }

  /** One run: write the rows, publish one snapshot. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long publish() throws IOException {
    try (Run run = mesh.start(product, BenchSetup.PRINCIPAL)) {
      run.output("rows", BenchRow.class).writeAll(rows);
      return run.commit().output("rows").bytes();
    }
  }
}
