package dev.meshwork.iceberg;

import static dev.meshwork.iceberg.StoreChecks.orderIds;
import static dev.meshwork.iceberg.StoreChecks.orphans;
import static dev.meshwork.iceberg.StoreChecks.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Mesh;
import dev.meshwork.iceberg.StoreChecks.Order;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Large data files go up in parts (meshwork.s3.multipart-size), through S3FileIO and S3A; when a
 * part fails the upload is aborted: the run fails, nothing is published and no multipart upload is
 * left on the server.
 */
class S3MultipartTest {
  private static final String BUCKET = "multipart";
  // ~10 MB of Parquet: random 48-character notes hardly compress.
  private static final int ROWS = 250_000;

  /** Counts multipart calls, and fails one part upload when asked. */
  static final class CountingBlobStore extends ForwardingBlobStore {
    final AtomicInteger initiated = new AtomicInteger();
    final AtomicInteger parts = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger aborted = new AtomicInteger();
    volatile int failPart;

    CountingBlobStore(BlobStore delegate) {
      super(delegate);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
      initiated.incrementAndGet();
      return super.initiateMultipartUpload(request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(
        MultipartUpload upload, UploadPartRequest request, InputStream in) {
      if (request.partNumber() == failPart) {
        try {
          // Read the part first, as a server does: an unread body breaks the client's pipe.
          in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        // S3Proxy answers 400, which clients do not retry.
        throw new IllegalStateException("injected part failure");
      }
      parts.incrementAndGet();
      return super.uploadMultipartPart(upload, request, in);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
        MultipartUpload upload, CompleteMultipartUploadRequest request) {
      completed.incrementAndGet();
      return super.completeMultipartUpload(upload, request);
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
      aborted.incrementAndGet();
      super.abortMultipartUpload(upload);
    }
  }

  @TempDir Path tmp;
  private InProcessS3 server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private IcebergStore store(CountingBlobStore blobs, StoreConfig.ObjectStoreIo io)
      throws Exception {
    server = InProcessS3.start(blobs, "k", "multipart-secret", BUCKET);
    return IcebergStore.open(
        StoreConfig.fromProperties(
            java.util.Map.of(
                "meshwork.warehouse",
                (io == StoreConfig.ObjectStoreIo.S3A ? "s3a://" : "s3://") + BUCKET + "/wh",
                "meshwork.s3.io",
                io.name().toLowerCase(java.util.Locale.ROOT),
                "meshwork.catalog.uri",
                "jdbc:sqlite:" + tmp.resolve("catalog.db"),
                "meshwork.s3.endpoint",
                server.endpoint(),
                "meshwork.s3.path-style",
                "true",
                "meshwork.s3.access-key-id",
                "k",
                "meshwork.s3.secret-access-key",
                "multipart-secret",
                "meshwork.s3.multipart-size",
                "5MiB")));
  }

  private static List<Order> bulky() {
    Random random = new Random(42);
    return IntStream.range(0, ROWS)
        .mapToObj(
            i -> {
              char[] note = new char[48];
              for (int c = 0; c < note.length; c++) {
                note[c] = (char) ('!' + random.nextInt(90));
              }
              // One region: one partition, so one large file.
              return new Order(i, "north", BigDecimal.valueOf(i, 2), new String(note));
            })
        .toList();
  }

  @ParameterizedTest
  @EnumSource(StoreConfig.ObjectStoreIo.class)
  void largeFilesGoUpInPartsAndAFailedPartAbortsTheUpload(StoreConfig.ObjectStoreIo io)
      throws Exception {
    CountingBlobStore blobs =
        new CountingBlobStore(BlobStores.create("transient", new Properties()));
    IcebergStore store = store(blobs, io);
    List<Order> rows = bulky();
    try (Mesh mesh = Mesh.builder().store(store).listener(e -> {}).build()) {
      publish(mesh, "large", rows);
      Table table = StoreChecks.orders(store);
      List<DataFile> files = new java.util.ArrayList<>();
      table.currentSnapshot().addedDataFiles(table.io()).forEach(files::add);
      assertThat(files).allSatisfy(f -> assertThat(f.fileSizeInBytes()).isGreaterThan(8L << 20));
      assertThat(blobs.initiated.get()).as("uploads in parts").isEqualTo(files.size());
      assertThat(blobs.parts.get()).isGreaterThanOrEqualTo(2 * files.size());
      assertThat(blobs.completed.get()).isEqualTo(blobs.initiated.get());
      assertThat(orderIds(table)).hasSize(ROWS);

      blobs.failPart = 2;
      assertThatThrownBy(() -> publish(mesh, "large-again", rows))
          .isInstanceOf(dev.meshwork.core.StoreException.class)
          .hasMessageContaining("sales.shop.orders")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("multipart-secret"));
      assertThat(blobs.aborted.get())
          .as("the failed upload was aborted")
          .isEqualTo(blobs.initiated.get() - blobs.completed.get())
          .isPositive();
      assertThat(server.client().listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
          .as("no multipart upload left on the server")
          .isEmpty();
      assertThat(orderIds(table)).as("nothing of the failed run is visible").hasSize(ROWS);
      assertThat(orphans(table)).isEmpty();
    }
  }
}
