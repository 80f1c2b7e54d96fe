package dev.meshwork.iceberg;

import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.Settings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where an Iceberg store keeps its tables: a warehouse (a local folder, or {@code
 * s3://bucket/prefix} on any S3-compatible server through Iceberg's S3FileIO or Hadoop S3A) and its
 * catalog (JDBC — an embedded SQLite file by default, or PostgreSQL —, an Iceberg REST catalog, or
 * a Hadoop catalog for local experiments). Built in code, from properties ({@link #fromProperties})
 * or from the environment ({@link #fromEnvironment}); secrets never appear in {@link #toString()}.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>property</th><th>environment</th><th>meaning</th></tr>
 *   <tr><td>meshwork.warehouse</td><td>MESHWORK_WAREHOUSE</td><td>folder or s3://bucket/prefix
 *   (default ./warehouse)</td></tr>
 *   <tr><td>meshwork.catalog.uri</td><td>MESHWORK_CATALOG_URI</td><td>JDBC URI of the catalog
 *   (default jdbc:sqlite: in the warehouse folder, or ./warehouse-catalog for S3), or the http(s)
 *   URL of an Iceberg REST catalog</td></tr>
 *   <tr><td>meshwork.catalog.type</td><td>MESHWORK_CATALOG_TYPE</td><td>jdbc, rest or hadoop
 *   (default: rest for an http(s) URI, else jdbc); hadoop is for local experiments only</td></tr>
 *   <tr><td>meshwork.catalog.credential</td><td>MESHWORK_CATALOG_CREDENTIAL</td><td>REST: OAuth2
 *   client credentials {@code client-id:client-secret}</td></tr>
 *   <tr><td>meshwork.catalog.token</td><td>MESHWORK_CATALOG_TOKEN</td><td>REST: a bearer
 *   token</td></tr>
 *   <tr><td>meshwork.catalog.warehouse</td><td>MESHWORK_CATALOG_WAREHOUSE</td><td>REST: the
 *   warehouse name the server expects (Polaris' catalog name, Lakekeeper's warehouse); default
 *   meshwork.warehouse</td></tr>
 *   <tr><td>meshwork.catalog.iceberg.<i>key</i></td><td>—</td><td>passed to the Iceberg catalog
 *   as property <i>key</i>, for settings without a key of their own (such as {@code
 *   meshwork.catalog.iceberg.scope}, {@code meshwork.catalog.iceberg.jdbc.password} or {@code
 *   meshwork.catalog.iceberg.rest.client.max-retries}); values are never logged</td></tr>
 *   <tr><td>meshwork.commit.retries</td><td>MESHWORK_COMMIT_RETRIES</td><td>retries of a
 *   conflicting commit, with backoff from 50 ms to 5 s (default 25)</td></tr>
 *   <tr><td>meshwork.s3.endpoint</td><td>MESHWORK_S3_ENDPOINT</td><td>S3 endpoint URL (MinIO, Ceph,
 *   …); unset for AWS</td></tr>
 *   <tr><td>meshwork.s3.io</td><td>MESHWORK_S3_IO</td><td>s3fileio (default) or s3a</td></tr>
 *   <tr><td>meshwork.s3.region</td><td>AWS_REGION</td><td>region (default us-east-1)</td></tr>
 *   <tr><td>meshwork.s3.path-style</td><td>MESHWORK_S3_PATH_STYLE</td><td>true for path-style
 *   addressing (MinIO, S3Proxy)</td></tr>
 *   <tr><td>meshwork.s3.access-key-id</td><td>AWS_ACCESS_KEY_ID</td><td>access key; unset to use the
 *   default AWS credentials chain</td></tr>
 *   <tr><td>meshwork.s3.secret-access-key</td><td>AWS_SECRET_ACCESS_KEY</td><td>secret key</td></tr>
 *   <tr><td>meshwork.s3.multipart-size</td><td>MESHWORK_S3_MULTIPART_SIZE</td><td>part size of
 *   multipart uploads, such as 8MiB (at least 5MiB; default 32MiB for S3FileIO, 64MiB for S3A);
 *   files over 1.5 parts are uploaded in parts</td></tr>
 *   <tr><td>meshwork.parquet.compression-threads</td><td>MESHWORK_PARQUET_COMPRESSION_THREADS</td>
 *   <td>threads compressing pages beside the writer (default: processors − 1, at most 4; 0 =
 *   on the writer's thread)</td></tr>
 * </table>
 *
 * <p>The keys are read through {@link Settings}: code, then {@code -D}, then the environment, then
 * the settings file.
 */
public final class StoreConfig {
  /** How object storage is reached. */
  public enum ObjectStoreIo {
    /** Iceberg's S3FileIO on the AWS SDK v2: the default, no Hadoop file system in the path. */
    S3FILEIO,
    /** Hadoop's S3A file system through Iceberg's HadoopFileIO, for shops standardised on S3A. */
    S3A
  }

  /** Which kind of Iceberg catalog tracks the tables. */
  public enum CatalogType {
    /**
     * An Iceberg JDBC catalog: embedded SQLite (default) or a shared database such as PostgreSQL.
     */
    JDBC,
    /** An Iceberg REST catalog (Polaris, Nessie, Lakekeeper, Gravitino, …). */
    REST,
    /**
     * Iceberg's Hadoop catalog: metadata files only, for local experiments. Unsafe on object
     * stores, whose renames are not atomic.
     */
    HADOOP
  }

  /** The prefix of settings passed to the Iceberg catalog as they are. */
  public static final String CATALOG_PROPERTY_PREFIX = "meshwork.catalog.iceberg.";

  /** The most page-compression threads a store starts. */
  public static final int MAX_COMPRESSION_THREADS = 64;

  /** The smallest part S3 accepts in a multipart upload. */
  public static final long MIN_MULTIPART_SIZE = 5L * 1024 * 1024;

  /**
   * Threads that compress Parquet pages while the writer encodes the next ones (default: one fewer
   * than the processors, at most 4; 0 compresses on the writer's thread). The store owns them and
   * stops them when it closes.
   */
  public static final String COMPRESSION_THREADS = "meshwork.parquet.compression-threads";

  /** The property keys {@link #fromProperties} accepts. */
  public static final Set<String> KEYS =
      Set.of(
          "meshwork.warehouse",
          "meshwork.catalog.uri",
          "meshwork.catalog.type",
          "meshwork.catalog.credential",
          "meshwork.catalog.token",
          "meshwork.catalog.warehouse",
          "meshwork.commit.retries",
          "meshwork.s3.multipart-size",
          "meshwork.s3.endpoint",
          "meshwork.s3.io",
          "meshwork.s3.region",
          "meshwork.s3.path-style",
          "meshwork.s3.access-key-id",
          "meshwork.s3.secret-access-key",
          COMPRESSION_THREADS);

  private final String warehouse;
  private final String catalogUri;
  private final String endpoint;
  private final ObjectStoreIo io;
  private final String region;
  private final boolean pathStyle;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final CatalogType catalogType;
  private final String catalogCredential;
  private final String catalogToken;
  private final String catalogWarehouse;
  private final Integer commitRetries;
  private final Long multipartSize;
  private final int compressionThreads;
  private final Map<String, String> catalogProperties;

  private StoreConfig(Builder b) {
    this.warehouse = b.warehouse;
    this.catalogUri = b.catalogUri;
    this.endpoint = b.endpoint;
    this.io = b.io;
    this.region = b.region;
    this.pathStyle = b.pathStyle;
    this.accessKeyId = b.accessKeyId;
    this.secretAccessKey = b.secretAccessKey;
    this.catalogType = b.catalogType;
    this.catalogCredential = b.catalogCredential;
    this.catalogToken = b.catalogToken;
    this.catalogWarehouse = b.catalogWarehouse;
    this.commitRetries = b.commitRetries;
    this.multipartSize = b.multipartSize;
    this.compressionThreads =
        b.compressionThreads != null
            ? b.compressionThreads
            : Math.max(0, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));
    this.catalogProperties = Map.copyOf(b.catalogProperties);
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
          if (KEYS.contains(k)
              || k.startsWith(CATALOG_PROPERTY_PREFIX)
                  && k.length() > CATALOG_PROPERTY_PREFIX.length()) {
            known.put(k, v);
          } else if (k.startsWith("meshwork.s3.")
              || k.startsWith("meshwork.parquet.")
              || k.startsWith("meshwork.catalog.")
              || k.startsWith("meshwork.commit.")
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
   * A configuration from a settings file: YAML ({@code meshwork: s3: endpoint: …} or dotted keys)
   * or {@code .properties}. Errors name the file, line and column of the setting at fault.
   */
  public static StoreConfig load(java.nio.file.Path file) {
    return from(Settings.builder().file(file).build());
  }

  /**
   * A configuration from environment variables, each overridden by its JVM system property ({@code
   * -D} on the command line wins) when set; both override the settings file named by {@code
   * -Dmeshwork.config} or {@code MESHWORK_CONFIG}, when set.
   */
  public static StoreConfig fromEnvironment(
      Map<String, String> systemProperties, Map<String, String> env) {
    return from(Settings.builder().systemProperties(systemProperties).environment(env).build());
  }

  /**
   * The store settings ({@link #KEYS} and {@code meshwork.catalog.iceberg.*}) of {@code settings},
   * by their precedence rule. A bad or unknown store key fails naming the key, the value and where
   * it was set (its line and column in a settings file).
   */
  public static StoreConfig from(Settings settings) {
    Map<String, String> values = new LinkedHashMap<>(settings.startingWith("meshwork."));
    for (String key : KEYS) {
      settings.get(key).ifPresent(v -> values.put(key, v));
    }
    try {
      return fromProperties(values);
    } catch (MeshworkException e) {
      String message = String.valueOf(e.getMessage());
      String key = null;
      int at = Integer.MAX_VALUE;
      for (String k : values.keySet()) {
        int i = message.indexOf(k);
        if (i >= 0 && (i < at || i == at && k.length() > key.length())) {
          key = k;
          at = i;
        }
      }
      throw key == null ? e : settings.error(key, message);
    }
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
    String type = v.get("meshwork.catalog.type");
    if (type != null) {
      try {
        b.catalogType(CatalogType.valueOf(type.strip().toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new MeshworkException(
            "meshwork.catalog.type must be jdbc, rest or hadoop, but is '" + type + "'");
      }
    }
    Optional.ofNullable(v.get("meshwork.catalog.credential")).ifPresent(b::catalogCredential);
    Optional.ofNullable(v.get("meshwork.catalog.token")).ifPresent(b::catalogToken);
    Optional.ofNullable(v.get("meshwork.catalog.warehouse")).ifPresent(b::catalogWarehouse);
    String retries = v.get("meshwork.commit.retries");
    if (retries != null) {
      try {
        b.commitRetries(Integer.parseInt(retries.strip()));
      } catch (NumberFormatException e) {
        throw new MeshworkException(
            "meshwork.commit.retries must be a whole number such as 25, but is '" + retries + "'");
      }
    }
    v.forEach(
        (k, value) -> {
          if (k.startsWith(CATALOG_PROPERTY_PREFIX)) {
            b.catalogProperty(k.substring(CATALOG_PROPERTY_PREFIX.length()), value);
          }
        });
    String threads = v.get(COMPRESSION_THREADS);
    if (threads != null) {
      try {
        b.compressionThreads(Integer.parseInt(threads.strip()));
      } catch (NumberFormatException e) {
        throw new MeshworkException(
            COMPRESSION_THREADS
                + " must be a whole number from 0 (compress on the writer's thread) to "
                + MAX_COMPRESSION_THREADS
                + ", but is '"
                + threads
                + "'");
      }
    }
    String multipart = v.get("meshwork.s3.multipart-size");
    if (multipart != null) {
      b.s3MultipartSize(parseSize("meshwork.s3.multipart-size", multipart));
    }
    return b.build();
  }

  /** Bytes from {@code 8388608}, {@code 8MiB}, {@code 8MB} or {@code 8m} (binary units). */
  static long parseSize(String key, String value) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?i)\\s*(\\d+)\\s*([kmg]?)(i?b)?\\s*").matcher(value);
    if (!m.matches()) {
      throw new MeshworkException(
          key + " must be a size such as 8MiB or 8388608 (bytes), but is '" + value + "'");
    }
    int shift =
        switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          default -> 0;
        };
    return Long.parseLong(m.group(1)) << shift;
  }

  /** Threads compressing Parquet pages beside the writer; 0 compresses on the writer's thread. */
  public int compressionThreads() {
    return compressionThreads;
  }

  /** The warehouse: a folder or an {@code s3://} / {@code s3a://} location. */
  public String warehouse() {
    return warehouse;
  }

  /** Whether the warehouse is on an S3-compatible object store. */
  public boolean isObjectStore() {
    return warehouse.startsWith("s3://") || warehouse.startsWith("s3a://");
  }

  /** The catalog's JDBC URI or REST URL, when set. */
  public Optional<String> catalogUri() {
    return Optional.ofNullable(catalogUri);
  }

  /** The kind of catalog: as set, else REST for an http(s) URI and JDBC otherwise. */
  public CatalogType catalogType() {
    if (catalogType != null) {
      return catalogType;
    }
    return isHttp(catalogUri) ? CatalogType.REST : CatalogType.JDBC;
  }

  /** REST: the OAuth2 client credentials ({@code id:secret}), when set; never logged. */
  Optional<String> catalogCredential() {
    return Optional.ofNullable(catalogCredential);
  }

  /** REST: the bearer token, when set; never logged. */
  Optional<String> catalogToken() {
    return Optional.ofNullable(catalogToken);
  }

  /** REST: the warehouse name sent to the server, when set apart from {@link #warehouse()}. */
  public Optional<String> catalogWarehouse() {
    return Optional.ofNullable(catalogWarehouse);
  }

  /** Retries of a conflicting commit, when set (the store's default is 25). */
  public java.util.OptionalInt commitRetries() {
    return commitRetries == null
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(commitRetries);
  }

  /** The multipart upload part size in bytes, when set. */
  public java.util.OptionalLong s3MultipartSize() {
    return multipartSize == null
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(multipartSize);
  }

  /** Properties passed to the Iceberg catalog as they are; values may be secrets, never logged. */
  public Map<String, String> catalogProperties() {
    return catalogProperties;
  }

  private static boolean isHttp(String uri) {
    return uri != null && (uri.startsWith("http://") || uri.startsWith("https://"));
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

  /** Enough of an access key id to tell keys apart in a message (AKIA…01), not the whole id. */
  private static String abbreviatedKeyId(String id) {
    return id.length() <= 8 ? "****" : id.substring(0, 4) + "…" + id.substring(id.length() - 2);
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
        + (accessKeyId == null
            ? ""
            : ", s3.access-key-id=" + abbreviatedKeyId(accessKeyId) + ", s3.secret=****")
        + ", catalog.type="
        + catalogType().name().toLowerCase(java.util.Locale.ROOT)
        + (catalogCredential == null ? "" : ", catalog.credential=****")
        + (catalogToken == null ? "" : ", catalog.token=****")
        + (catalogWarehouse == null ? "" : ", catalog.warehouse=" + catalogWarehouse)
        + (commitRetries == null ? "" : ", commit.retries=" + commitRetries)
        + (multipartSize == null ? "" : ", s3.multipart-size=" + multipartSize)
        + (catalogProperties.isEmpty()
            ? ""
            : ", catalog properties " + new TreeSet<>(catalogProperties.keySet()))
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
    private CatalogType catalogType;
    private String catalogCredential;
    private String catalogToken;
    private String catalogWarehouse;
    private Integer commitRetries;
    private Long multipartSize;
    private Integer compressionThreads;
    private final Map<String, String> catalogProperties = new LinkedHashMap<>();

    private Builder() {}

    /** A property passed to the Iceberg catalog as it is, such as {@code scope} for REST. */
    public Builder catalogProperty(String key, String value) {
      catalogProperties.put(
          Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The kind of catalog; by default inferred from the catalog URI. */
    public Builder catalogType(CatalogType value) {
      this.catalogType = Objects.requireNonNull(value, "catalogType");
      return this;
    }

    /** REST: OAuth2 client credentials as {@code client-id:client-secret}. */
    public Builder catalogCredential(String clientIdAndSecret) {
      this.catalogCredential = Objects.requireNonNull(clientIdAndSecret, "credential");
      return this;
    }

    /** REST: a bearer token. */
    public Builder catalogToken(String token) {
      this.catalogToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /** REST: the warehouse name the server expects, when it differs from the warehouse. */
    public Builder catalogWarehouse(String name) {
      this.catalogWarehouse = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Retries of a conflicting commit (default 25), with backoff from 50 ms to 5 s. */
    public Builder commitRetries(int retries) {
      this.commitRetries = retries;
      return this;
    }

    /**
     * Threads compressing Parquet pages beside the writer (0 compresses on the writer's thread);
     * default one fewer than the processors, at most 4.
     */
    public Builder compressionThreads(int threads) {
      this.compressionThreads = threads;
      return this;
    }

    /** The part size of multipart uploads in bytes (at least {@link #MIN_MULTIPART_SIZE}). */
    public Builder s3MultipartSize(long bytes) {
      this.multipartSize = bytes;
      return this;
    }

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
      checkCatalog();
      if (commitRetries != null && commitRetries < 0) {
        throw new MeshworkException(
            "meshwork.commit.retries must be 0 or more, but is " + commitRetries);
      }
      if (compressionThreads != null
          && (compressionThreads < 0 || compressionThreads > MAX_COMPRESSION_THREADS)) {
        throw new MeshworkException(
            COMPRESSION_THREADS
                + " must be a whole number from 0 (compress on the writer's thread) to "
                + MAX_COMPRESSION_THREADS
                + ", but is "
                + compressionThreads);
      }
      if (multipartSize != null && multipartSize < MIN_MULTIPART_SIZE) {
        throw new MeshworkException(
            "meshwork.s3.multipart-size must be at least 5MiB (S3's smallest part), but is "
                + multipartSize
                + " bytes");
      }
      return new StoreConfig(this);
    }

    /** Rejects settings that contradict each other, naming both keys. */
    private void checkCatalog() {
      CatalogType type =
          catalogType != null ? catalogType : isHttp(catalogUri) ? CatalogType.REST : null;
      String typeKey =
          "meshwork.catalog.type=" + (type == null ? "jdbc" : type.name().toLowerCase(Locale.ROOT));
      if (type == CatalogType.HADOOP && catalogUri != null) {
        throw new MeshworkException(
            typeKey
                + " conflicts with meshwork.catalog.uri="
                + catalogUri
                + ": a Hadoop catalog keeps its metadata in the warehouse. Remove one of them.");
      }
      if (type == CatalogType.JDBC && isHttp(catalogUri)) {
        throw new MeshworkException(
            typeKey
                + " conflicts with meshwork.catalog.uri="
                + catalogUri
                + ": a JDBC catalog needs a jdbc: URI. Use meshwork.catalog.type=rest for a REST catalog.");
      }
      if (type == CatalogType.REST && !isHttp(catalogUri)) {
        throw new MeshworkException(
            typeKey
                + " needs meshwork.catalog.uri set to the server's http(s) URL, such as"
                + " http://localhost:8181/api/catalog");
      }
      if (type != CatalogType.REST) {
        for (Map.Entry<String, String> restOnly :
            Map.of(
                    "meshwork.catalog.credential", String.valueOf(catalogCredential != null),
                    "meshwork.catalog.token", String.valueOf(catalogToken != null),
                    "meshwork.catalog.warehouse", String.valueOf(catalogWarehouse != null))
                .entrySet()) {
          if (Boolean.parseBoolean(restOnly.getValue())) {
            throw new MeshworkException(
                restOnly.getKey()
                    + " applies to REST catalogs only, but "
                    + typeKey
                    + ". Remove it, or point meshwork.catalog.uri at a REST catalog.");
          }
        }
      }
      if (catalogCredential != null && catalogToken != null) {
        throw new MeshworkException(
            "meshwork.catalog.credential conflicts with meshwork.catalog.token: set one way to"
                + " authenticate to the REST catalog");
      }
    }
  }
}
