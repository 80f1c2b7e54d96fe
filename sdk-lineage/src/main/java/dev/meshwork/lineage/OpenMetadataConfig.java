package dev.meshwork.lineage;

import dev.meshwork.core.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to reach OpenMetadata: server URL, JWT bot token (never logged: {@link #toString()}
 * redacts it), the database service Meshwork's tables are filed under (default {@code meshwork}),
 * and the HTTP timeout.
 */
public final class OpenMetadataConfig {
  private final URI serverUrl;
  private final String jwtToken;
  private final String serviceName;
  private final Duration timeout;

  private OpenMetadataConfig(Builder b) {
    this.serverUrl = b.serverUrl;
    this.jwtToken = b.jwtToken;
    this.serviceName = b.serviceName;
    this.timeout = b.timeout;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * From {@code OPENMETADATA_URL}, {@code OPENMETADATA_JWT_TOKEN} and optional {@code
   * OPENMETADATA_SERVICE}.
   */
  public static OpenMetadataConfig fromEnvironment() {
    return from(Settings.fromEnvironment());
  }

  /** From the variables {@code OPENMETADATA_*} as {@code settings} captured them. */
  public static OpenMetadataConfig from(Settings settings) {
    Map<String, String> env = new java.util.HashMap<>();
    for (String name :
        java.util.List.of("OPENMETADATA_URL", "OPENMETADATA_JWT_TOKEN", "OPENMETADATA_SERVICE")) {
      settings.variable(name).ifPresent(v -> env.put(name, v));
    }
    return fromMap(env);
  }

  static OpenMetadataConfig fromMap(Map<String, String> env) {
    String url = env.get("OPENMETADATA_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "OPENMETADATA_URL is not set; set it to the server's base URL, e.g. http://openmetadata:8585");
    }
    Builder b = builder().serverUrl(URI.create(url));
    if (env.get("OPENMETADATA_JWT_TOKEN") != null) {
      b.jwtToken(env.get("OPENMETADATA_JWT_TOKEN"));
    }
    if (env.get("OPENMETADATA_SERVICE") != null) {
      b.serviceName(env.get("OPENMETADATA_SERVICE"));
    }
    return b.build();
  }

  /** The server's base URL (the API is under {@code /api/v1}). */
  public URI serverUrl() {
    return serverUrl;
  }

  /** The bot's JWT, or null for an unauthenticated server. */
  public String jwtToken() {
    return jwtToken;
  }

  /** The database service name. */
  public String serviceName() {
    return serviceName;
  }

  /** The timeout of each HTTP call. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "OpenMetadataConfig[serverUrl="
        + serverUrl
        + ", jwtToken="
        + (jwtToken == null ? "none" : "<redacted>")
        + ", serviceName="
        + serviceName
        + ", timeout="
        + timeout
        + "]";
  }

  /** Builds an {@link OpenMetadataConfig}. */
  public static final class Builder {
    private URI serverUrl;
    private String jwtToken;
    private String serviceName = "meshwork";
    private Duration timeout = Duration.ofSeconds(10);

    private Builder() {}

    /** The server's base URL, such as {@code http://openmetadata:8585}. */
    public Builder serverUrl(URI url) {
      this.serverUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /** The bot's JWT. */
    public Builder jwtToken(String token) {
      this.jwtToken = token;
      return this;
    }

    /** The database service name (default {@code meshwork}). */
    public Builder serviceName(String name) {
      if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException(
            "serviceName must be letters, digits, '_' or '-', but was '" + name + "'");
      }
      this.serviceName = name;
      return this;
    }

    /** The timeout of each HTTP call (default 10 s). */
    public Builder timeout(Duration callTimeout) {
      if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, but was " + callTimeout);
      }
      this.timeout = callTimeout;
      return this;
    }

    /** The configuration. */
    public OpenMetadataConfig build() {
      if (serverUrl == null) {
        throw new IllegalArgumentException("serverUrl is required, e.g. http://openmetadata:8585");
      }
      return new OpenMetadataConfig(this);
    }
  }
}
