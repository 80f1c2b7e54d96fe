package dev.meshwork.iceberg;

import dev.meshwork.core.MeshworkException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where an Iceberg store keeps its tables: a warehouse (a local folder, or {@code
 * s3://bucket/prefix} on any S3-compatible server through Iceberg's S3FileIO) and the catalog's
 * JDBC URI (default: an embedded SQLite file). Built in code, from properties ({@link
 * #fromProperties}) or from the environment ({@link #fromEnvironment}); the secret key never
 * appears in {@link #toString()}.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>property</th><th>environment</th><th>meaning</th></tr>
 *   <tr><td>meshwork.warehouse</td><td>MESHWORK_WAREHOUSE</td><td>folder or s3://bucket/prefix
 *   (default ./warehouse)</td></tr>
 *   <tr><td>meshwork.catalog.uri</td><td>MESHWORK_CATALOG_URI</td><td>JDBC URI of the catalog
 *   (default jdbc:sqlite: in the warehouse folder, or ./warehouse-catalog for S3)</td></tr>
 *   <tr><td>meshwork.s3.endpoint</td><td>MESHWORK_S3_ENDPOINT</td><td>S3 endpoint URL (MinIO, Ceph,
 *   …); unset for AWS</td></tr>
 *   <tr><td>meshwork.s3.io</td><td>MESHWORK_S3_IO</td><td>s3fileio (default) or s3a</td></tr>
 *   <tr><td>meshwork.s3.region</td><td>AWS_REGION</td><td>region (default us-east-1)</td></tr>
 *   <tr><td>meshwork.s3.path-style</td><td>MESHWORK_S3_PATH_STYLE</td><td>true for path-style
 *   addressing (MinIO, S3Proxy)</td></tr>
 *   <tr><td>meshwork.s3.access-key-id</td><td>AWS_ACCESS_KEY_ID</td><td>access key; unset to use the
 *   default AWS credentials chain</td></tr>
 *   <tr><td>meshwork.s3.secret-access-key</td><td>AWS_SECRET_ACCESS_KEY</td><td>secret key</td></tr>
 * </table>
 */
public final class StoreConfig {
  /** How object storage is reached. */
  public enum ObjectStoreIo {
    /** Iceberg's S3FileIO on the AWS SDK v2: the default, no Hadoop file system in the path. */
    S3FILEIO,
    /** Hadoop's S3A file system through Iceberg's HadoopFileIO, for shops standardised on S3A. */
    S3A
  }

  /** The property keys {@link #fromProperties} accepts. */
  public static final Set<String> KEYS =
      Set.of(
          "meshwork.warehouse",
          "meshwork.catalog.uri",
          "meshwork.s3.endpoint",
          "meshwork.s3.io",
          "meshwork.s3.region",
          "meshwork.s3.path-style",
          "meshwork.s3.access-key-id",
          "meshwork.s3.secret-access-key");

  private static final Map<String, String> ENV =
      Map.of(
          "meshwork.warehouse", "MESHWORK_WAREHOUSE",
          "meshwork.catalog.uri", "MESHWORK_CATALOG_URI",
          "meshwork.s3.endpoint", "MESHWORK_S3_ENDPOINT",
          "meshwork.s3.io", "MESHWORK_S3_IO",
          "meshwork.s3.region", "AWS_REGION",
          "meshwork.s3.path-style", "MESHWORK_S3_PATH_STYLE",
          "meshwork.s3.access-key-id", "AWS_ACCESS_KEY_ID",
          "meshwork.s3.secret-access-key", "AWS_SECRET_ACCESS_KEY");

  private final String warehouse;
  private final String catalogUri;
  private final String endpoint;
  private final ObjectStoreIo io;
  private final String region;
  private final boolean pathStyle;
  private final String accessKeyId;
  private final String secretAccessKey;

  private StoreConfig(Builder b) {
    this.warehouse = b.warehouse;
    this.catalogUri = b.catalogUri;
    this.endpoint = b.endpoint;
    this.io = b.io;
    this.region = b.region;
    this.pathStyle = b.pathStyle;
    this.accessKeyId = b.accessKeyId;
    this.secretAccessKey = b.secretAccessKey;
  }

  /** A builder; the warehouse defaults to {@code ./warehouse}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A configuration from properties ({@link #KEYS}); keys outside {@code meshwork.*} are ignored,
   * unknown {@code meshwork.warehouse/catalog/s3} keys are errors naming the key.
   */
  public static StoreConfig fromProperties(Map<String, String> properties) {
    Map<String, String> known = new LinkedHashMap<>();
    Set<String> unknown = new TreeSet<>();
    properties.forEach(
        (k, v) -> {
          if (KEYS.contains(k)) {
            known.put(k, v);
          } else if (k.startsWith("meshwork.s3.")
              || k.startsWith("meshwork.catalog.")
              || k.startsWith("meshwork.warehouse.")) {
            unknown.add(k);
          }
        });
    if (!unknown.isEmpty()) {
      throw new MeshworkException(
          "Unknown store setting(s) "
              + unknown
              + "; the store settings are "
              + new TreeSet<>(KEYS));
    }
    return build(known);
  }

  /**
   * A configuration from environment variables, each overridden by its JVM system property ({@code
   * -D} on the command line wins) when set.
   */
  public static StoreConfig fromEnvironment(
      Map<String, String> systemProperties, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    ENV.forEach(
        (key, var) -> {
          String v = env.get(var);
          if (v != null && !v.isBlank()) {
            values.put(key, v);
          }
        });
    Map<String, String> props = new LinkedHashMap<>();
    systemProperties.forEach(
        (k, v) -> {
          if (k.startsWith("meshwork.") && v != null && !v.isBlank()) {
            props.put(k, v);
          }
        });
    fromProperties(props);
    props.forEach(
        (k, v) -> {
          if (KEYS.contains(k)) {
            values.put(k, v);
          }
        });
    return build(values);
  }

  private static StoreConfig build(Map<String, String> v) {
    Builder b = builder();
    Optional.ofNullable(v.get("meshwork.warehouse")).ifPresent(b::warehouse);
    Optional.ofNullable(v.get("meshwork.catalog.uri")).ifPresent(b::catalogUri);
    Optional.ofNullable(v.get("meshwork.s3.endpoint")).ifPresent(b::s3Endpoint);
    Optional.ofNullable(v.get("meshwork.s3.region")).ifPresent(b::s3Region);
    String io = v.get("meshwork.s3.io");
    if (io != null) {
      try {
        b.objectStoreIo(ObjectStoreIo.valueOf(io.strip().toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new MeshworkException("meshwork.s3.io must be s3fileio or s3a, but is '" + io + "'");
      }
    }
    String pathStyle = v.get("meshwork.s3.path-style");
    if (pathStyle != null) {
      if (!pathStyle.equalsIgnoreCase("true") && !pathStyle.equalsIgnoreCase("false")) {
        throw new MeshworkException(
            "meshwork.s3.path-style must be true or false, but is '" + pathStyle + "'");
      }
      if (Boolean.parseBoolean(pathStyle)) {
        b.s3PathStyle();
      }
    }
    String id = v.get("meshwork.s3.access-key-id");
    String secret = v.get("meshwork.s3.secret-access-key");
    if ((id == null) != (secret == null)) {
      throw new MeshworkException(
          "Set both meshwork.s3.access-key-id and meshwork.s3.secret-access-key, or neither (to use"
              + " the default AWS credentials chain)");
    }
    if (id != null) {
      b.s3Credentials(id, secret);
    }
    return b.build();
  }

  /** The warehouse: a folder or an {@code s3://} / {@code s3a://} location. */
  public String warehouse() {
    return warehouse;
  }

  /** Whether the warehouse is on an S3-compatible object store. */
  public boolean isObjectStore() {
    return warehouse.startsWith("s3://") || warehouse.startsWith("s3a://");
  }

  /** The catalog's JDBC URI, when set. */
  public Optional<String> catalogUri() {
    return Optional.ofNullable(catalogUri);
  }

  /** The S3 endpoint, when set. */
  public Optional<String> s3Endpoint() {
    return Optional.ofNullable(endpoint);
  }

  /** How object storage is reached (default S3FileIO). */
  public ObjectStoreIo objectStoreIo() {
    return io;
  }

  /** The S3 region. */
  public String s3Region() {
    return region == null ? "us-east-1" : region;
  }

  /** Whether S3 requests use path-style addressing. */
  public boolean s3PathStyle() {
    return pathStyle;
  }

  /** The access key id, when explicit credentials are set. */
  public Optional<String> s3AccessKeyId() {
    return Optional.ofNullable(accessKeyId);
  }

  /** The secret access key, when explicit credentials are set; never logged. */
  Optional<String> s3SecretAccessKey() {
    return Optional.ofNullable(secretAccessKey);
  }

  @Override
  public String toString() {
    return "StoreConfig{warehouse="
        + warehouse
        + (catalogUri == null ? "" : ", catalog=" + catalogUri)
        + (endpoint == null ? "" : ", s3.endpoint=" + endpoint)
        + (isObjectStore()
            ? ", s3.io=" + io + ", s3.region=" + s3Region() + ", s3.path-style=" + pathStyle
            : "")
        + (accessKeyId == null ? "" : ", s3.access-key-id=" + accessKeyId + ", s3.secret=****")
        + "}";
  }

  /** Builds a {@link StoreConfig}. */
  public static final class Builder {
    private String warehouse = "warehouse";
    private String catalogUri;
    private String endpoint;
    private ObjectStoreIo io = ObjectStoreIo.S3FILEIO;
    private String region;
    private boolean pathStyle;
    private String accessKeyId;
    private String secretAccessKey;

    private Builder() {}

    /** A folder or {@code s3://bucket/prefix}. */
    public Builder warehouse(String location) {
      this.warehouse = Objects.requireNonNull(location, "warehouse");
      return this;
    }

    /** The catalog's JDBC URI, such as {@code jdbc:sqlite:/data/catalog.db}. */
    public Builder catalogUri(String uri) {
      this.catalogUri = uri;
      return this;
    }

    /** The S3 endpoint URL, for S3-compatible servers. */
    public Builder s3Endpoint(String url) {
      this.endpoint = url;
      return this;
    }

    /** How object storage is reached; default {@link ObjectStoreIo#S3FILEIO}. */
    public Builder objectStoreIo(ObjectStoreIo value) {
      this.io = Objects.requireNonNull(value, "io");
      return this;
    }

    /** The S3 region. */
    public Builder s3Region(String value) {
      this.region = value;
      return this;
    }

    /** Use path-style addressing ({@code http://host/bucket/key}), as MinIO and S3Proxy expect. */
    public Builder s3PathStyle() {
      this.pathStyle = true;
      return this;
    }

    /** Explicit credentials instead of the default AWS chain. */
    public Builder s3Credentials(String keyId, String secretKey) {
      this.accessKeyId = Objects.requireNonNull(keyId, "keyId");
      this.secretAccessKey = Objects.requireNonNull(secretKey, "secretKey");
      return this;
    }

    /** The configuration; checks that the warehouse scheme is supported. */
    public StoreConfig build() {
      String w = warehouse.strip();
      int colon = w.indexOf("://");
      if (colon > 0) {
        String scheme = w.substring(0, colon);
        if (!scheme.equals("s3") && !scheme.equals("s3a") && !scheme.equals("file")) {
          throw new MeshworkException(
              "meshwork.warehouse '"
                  + w
                  + "' uses scheme '"
                  + scheme
                  + "'; use a folder, file://, s3:// or s3a://");
        }
      }
      this.warehouse = w;
      return new StoreConfig(this);
    }
  }
}
