package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataProduct;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Object-store faults, injected into S3Proxy's blob store (the server's own hook): a server that
 * fails a fraction of uploads, and one that disappears mid-run. Whatever fails, no partial data
 * becomes visible, staged objects do not outlive a failed run, and a rerun with the same run id
 * finishes the job.
 */
class S3FaultsTest {
  private static final Path DIR = Path.of("src/test/resources/lifecycle");
  private static final Principal ME = Principal.service("faults-test");
  private static final String BUCKET = "faulty";
  private static final int ROWS = 1_000;

  record Order(long orderId, String region, BigDecimal amount, String note) {}

  /** Fails uploads at a seeded rate, or every request while "down". */
  static final class FaultyBlobStore extends ForwardingBlobStore {
    private final Random random = new Random(7);

    /** Uploads answered 503 Slow Down, which clients retry. */
    volatile double slowDownRate;

    /** Uploads answered 400, which clients do not retry. */
    volatile double putFailureRate;

    volatile boolean down;
    int injected;

    FaultyBlobStore(BlobStore delegate) {
      super(delegate);
    }

    private void maybeFail(boolean isPut) {
      synchronized (random) {
        if (isPut && random.nextDouble() < slowDownRate) {
          injected++;
          throw software.amazon.awssdk.services.s3.model.S3Exception.builder()
              .statusCode(503)
              .message("injected slow down")
              .awsErrorDetails(
                  software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                      .errorCode("SlowDown")
                      .errorMessage("injected slow down")
                      .build())
              .build();
        }
        if (down || isPut && random.nextDouble() < putFailureRate) {
          injected++;
          // S3Proxy answers 400 for this; clients give up at once.
          throw new IllegalStateException("injected fault");
        }
      }
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream in) {
      maybeFail(true);
      return super.putBlob(request, in);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
      maybeFail(false);
      return super.removeBlob(request);
    }

    @Override
    public software.amazon.awssdk.core.ResponseInputStream<
            software.amazon.awssdk.services.s3.model.GetObjectResponse>
        getBlob(software.amazon.awssdk.services.s3.model.GetObjectRequest request) {
      maybeFail(false);
      return super.getBlob(request);
    }
  }

  @TempDir Path tmp;
  private InProcessS3 server;
  private FaultyBlobStore store;
  private S3Client s3;
  private IcebergStore iceberg;

  @BeforeEach
  void start() throws Exception {
    store = new FaultyBlobStore(BlobStores.create("transient", new Properties()));
    server = InProcessS3.start(store, "k", "s", BUCKET);
    String endpoint = server.endpoint();
    s3 = server.client();
    iceberg =
        IcebergStore.open(
            StoreConfig.builder()
                .warehouse("s3://" + BUCKET + "/wh")
                .catalogUri("jdbc:sqlite:" + tmp.resolve("catalog.db"))
                .s3Endpoint(endpoint)
                .s3PathStyle()
                .s3Credentials("k", "s")
                .build());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private static List<Order> batch(int n) {
    return IntStream.range(0, ROWS)
        .mapToObj(
            i -> new Order(n * 10_000L + i, i % 2 == 0 ? "north" : "south", BigDecimal.ONE, null))
        .toList();
  }

  /** Publishes batch {@code n} with run id {@code runId}; true when it committed. */
  private boolean publish(Mesh mesh, int n, String runId) {
    try (Run run =
        mesh.start(
            DataProduct.load(DIR.resolve("shop.yaml")),
            ME,
            RunOptions.builder().runId(runId).build())) {
      run.output("orders", Order.class).writeAll(batch(n));
      run.commit();
      return true;
    } catch (RuntimeException e) {
      assertThat(e.getMessage())
          .as("a failed run says what failed")
          .isNotBlank()
          .doesNotContain("\"s\"");
      return false;
    }
  }

  /** Rows visible, distinct keys, and data objects that no snapshot references. */
  private long[] state() throws Exception {
    Table t = iceberg.catalog().loadTable(TableIdentifier.parse("sales.shop.orders"));
    Set<String> referenced = new HashSet<>();
    for (Snapshot snap : t.snapshots()) {
      snap.addedDataFiles(t.io()).forEach(f -> referenced.add(f.location()));
    }
    long rows = 0;
    Set<Long> keys = new HashSet<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      for (Record r : it) {
        rows++;
        keys.add((Long) r.getField("order_id"));
      }
    }
    long orphans =
        s3
            .listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("wh/sales/shop/orders/data/"))
            .contents()
            .stream()
            .map(S3Object::key)
            .filter(k -> !referenced.contains("s3://" + BUCKET + "/" + k))
            .count();
    return new long[] {rows, keys.size(), orphans};
  }

  @Test
  void aServerFailingUploadsNeverShowsPartialDataAndRerunsFinish() throws Exception {
    try (Mesh mesh = Mesh.builder().store(iceberg).listener(e -> {}).build()) {
      // The table exists before the faults start.
      assertThat(publish(mesh, 0, UUID.randomUUID().toString())).isTrue();
      store.putFailureRate = 0.2;
      List<Integer> failed = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      int committed = 1;
      for (int n = 1; n <= 8; n++) {
        String id = UUID.randomUUID().toString();
        ids.add(id);
        if (publish(mesh, n, id)) {
          committed++;
        } else {
          failed.add(n);
        }
        long[] s = state();
        assertThat(s[0]).as("visible rows after batch %d", n).isEqualTo((long) committed * ROWS);
        assertThat(s[1]).as("distinct keys").isEqualTo(s[0]);
      }
      assertThat(store.injected).as("faults were injected").isPositive();
      assertThat(failed).as("some runs failed under a 20%% upload failure rate").isNotEmpty();
      System.out.printf(
          "S3 faults: %d injected, %d of 8 runs failed, %d orphan data objects%n",
          store.injected, failed.size(), state()[2]);
      assertThat(state()[2]).as("no orphan data objects").isZero();

      store.putFailureRate = 0;
      for (int n : failed) {
        assertThat(publish(mesh, n, ids.get(n - 1))).as("rerun of batch %d", n).isTrue();
      }
      long[] s = state();
      assertThat(s[0]).isEqualTo(9L * ROWS);
      assertThat(s[1]).isEqualTo(9L * ROWS);
      assertThat(s[2]).isZero();
    }
  }

  @Test
  void slowDownAnswersAreRetriedAndEveryRunPublishes() throws Exception {
    try (Mesh mesh = Mesh.builder().store(iceberg).listener(e -> {}).build()) {
      store.slowDownRate = 0.2;
      for (int n = 0; n < 3; n++) {
        assertThat(publish(mesh, n, UUID.randomUUID().toString())).as("batch %d", n).isTrue();
      }
      assertThat(store.injected).isPositive();
      long[] s = state();
      assertThat(s[0]).isEqualTo(3L * ROWS);
      assertThat(s[2]).isZero();
    }
  }

  @Test
  void aServerThatDisappearsMidRunLeavesTheTableAsItWas() throws Exception {
    try (Mesh mesh = Mesh.builder().store(iceberg).listener(e -> {}).build()) {
      assertThat(publish(mesh, 0, UUID.randomUUID().toString())).isTrue();
      String id = UUID.randomUUID().toString();
      assertThatThrownBy(
              () -> {
                try (Run run =
                    mesh.start(
                        DataProduct.load(DIR.resolve("shop.yaml")),
                        ME,
                        RunOptions.builder().runId(id).build())) {
                  run.output("orders", Order.class).writeAll(batch(1));
                  store.down = true;
                  run.commit();
                }
              })
          .isInstanceOf(dev.meshwork.core.StoreException.class)
          .hasMessageMatching(
              "(?s)Cannot finish data file s3://\\S+\\.parquet of sales\\.shop\\.orders.*")
          .hasMessageContaining("Check that the warehouse is writable and reachable");
      store.down = false;
      long[] s = state();
      assertThat(s[0]).as("the table shows only the earlier run").isEqualTo(ROWS);
      assertThat(s[2]).as("nothing of the failed run is left").isZero();
      assertThat(publish(mesh, 1, id)).as("the rerun with the same id").isTrue();
      assertThat(state()[0]).isEqualTo(2L * ROWS);
    }
  }
}
