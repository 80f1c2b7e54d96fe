package dev.meshwork.iceberg;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for tests: S3Proxy on 127.0.0.1 (random port), with a client and a bucket.
 */
public final class InProcessS3 implements AutoCloseable {
  private final S3Proxy proxy;
  private final S3Client client;
  private final String endpoint;

  private InProcessS3(S3Proxy proxy, S3Client client, String endpoint) {
    this.proxy = proxy;
    this.client = client;
    this.endpoint = endpoint;
  }

  /**
   * Starts a server over {@code blobs} that accepts {@code key}/{@code secret}, with {@code
   * bucket}.
   */
  public static InProcessS3 start(BlobStore blobs, String key, String secret, String bucket)
      throws Exception {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobs)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, key, secret)
            .build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.sleep(10);
    }
    String endpoint = "http://127.0.0.1:" + proxy.getPort();
    S3Client client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
            .build();
    client.createBucket(b -> b.bucket(bucket));
    return new InProcessS3(proxy, client, endpoint);
  }

  /** The endpoint URL. */
  public String endpoint() {
    return endpoint;
  }

  /** A client of the server. */
  S3Client client() {
    return client;
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
  }
}
