package dev.meshwork.iceberg;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The store contract on MinIO in a container (Testcontainers), through S3FileIO and through S3A,
 * with the SQLite catalog. Runs where a Docker engine is available; elsewhere, such as our CI, its
 * tests are reported skipped with the reason, and S3Proxy covers the S3 API instead.
 */
@ParameterizedClass(name = "MinIO through {0}")
@EnumSource(StoreConfig.ObjectStoreIo.class)
class MinioStoreContractTest extends StoreContract {
  private static final String USER = "meshwork-minio";
  private static final String PASSWORD = "meshwork-minio-secret";

  private static MinIOContainer minio;

  /** Starts MinIO on first use; skips the calling test, with the reason, without Docker. */
  private static synchronized MinIOContainer minio() {
    Assumptions.assumeTrue(
        DockerClientFactory.instance().isDockerAvailable(),
        "No Docker engine here: skipping the MinIO variant of the store contract (S3Proxy on"
            + " 127.0.0.1 runs the same suite in StoreContractTest)");
    if (minio == null) {
      minio =
          new MinIOContainer("minio/minio:RELEASE.2023-09-04T19-57-37Z")
              .withUserName(USER)
              .withPassword(PASSWORD);
      minio.start();
    }
    return minio;
  }

  @AfterAll
  static void stopMinio() {
    if (minio != null) {
      minio.stop();
    }
  }

  @Parameter StoreConfig.ObjectStoreIo io;

  @Override
  protected IcebergStore newStore(Path tmp) {
    MinIOContainer server = minio();
    String bucket = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(URI.create(server.getS3URL()))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(USER, PASSWORD)))
            .build()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    return IcebergStore.open(
        StoreConfig.builder()
            .warehouse((io == StoreConfig.ObjectStoreIo.S3A ? "s3a://" : "s3://") + bucket + "/wh")
            .objectStoreIo(io)
            .catalogUri("jdbc:sqlite:" + tmp.resolve("catalog.db"))
            .s3Endpoint(server.getS3URL())
            .s3PathStyle()
            .s3Credentials(USER, PASSWORD)
            .build());
  }

  @Override
  protected List<String> secrets() {
    return List.of(PASSWORD);
  }
}
