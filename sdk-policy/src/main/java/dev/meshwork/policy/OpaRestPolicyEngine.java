package dev.meshwork.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.policy.internal.OpaDocuments;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asks an OPA server (a sidecar, usually) through its Data API: {@code POST /v1/data/{path}} with
 * {@code {"input": ...}} (see {@link OpaDocuments} for the input and result shapes). Every failure
 * — no answer within the timeout, an HTTP error, a body that is not JSON, an undefined or malformed
 * result — is a deny naming the cause. Wrap it in {@link CachingPolicyEngine} to cache decisions.
 */
public final class OpaRestPolicyEngine implements PolicyEngine {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final String path;
  private final Duration timeout;
  private final Map<String, String> headers;
  private final HttpClient http;
  private final Clock clock;

  private OpaRestPolicyEngine(Builder b) {
    String base = b.baseUrl.toString().replaceAll("/+$", "");
    this.path = b.path.replaceAll("^/+|/+$", "");
    this.endpoint = URI.create(base + "/v1/data/" + path);
    this.timeout = b.timeout;
    this.headers = Map.copyOf(b.headers);
    this.clock = b.clock;
    this.http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
  }

  /** An engine asking the OPA at {@code baseUrl} (for example {@code http://127.0.0.1:8181}). */
  public static Builder builder(URI baseUrl) {
    return new Builder(baseUrl);
  }

  @Override
  public Decision decide(PolicyRequest r) {
    String source = "OPA rule data." + path.replace('/', '.') + " at " + endpoint;
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(Map.of("input", OpaDocuments.input(r, clock.instant())));
    } catch (IOException e) {
      return Decision.failedClosed("cannot encode the OPA input (fail closed): " + e.getMessage());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return Decision.failedClosed(
          source + " did not answer within " + timeout.toMillis() + " ms (fail closed)");
    } catch (IOException e) {
      return Decision.failedClosed(
          source
              + " is unreachable (fail closed): "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Decision.failedClosed(source + ": interrupted while waiting (fail closed)");
    }
    String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    if (response.statusCode() != 200) {
      return Decision.failedClosed(
          source
              + " answered HTTP "
              + response.statusCode()
              + " (fail closed): "
              + OpaDocuments.abbreviate(text));
    }
    JsonNode doc;
    try {
      doc = JSON.readTree(text);
    } catch (IOException e) {
      return Decision.failedClosed(
          source + " answered with a body that is not JSON (fail closed): " + e.getMessage());
    }
    if (doc == null || !doc.isObject()) {
      return Decision.failedClosed(
          source + " answered " + OpaDocuments.abbreviate(text) + " (fail closed)");
    }
    try {
      return OpaDocuments.decision(doc.get("result"), source, "product:" + r.product().id());
    } catch (RuntimeException e) {
      return Decision.failedClosed(
          source + " returned an unusable result (fail closed): " + e.getMessage());
    }
  }

  @Override
  public String describe() {
    return "OPA REST " + endpoint;
  }

  /** Builds an {@link OpaRestPolicyEngine}. */
  public static final class Builder {
    private final URI baseUrl;
    private String path = "meshwork/decision";
    private Duration timeout = Duration.ofSeconds(2);
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();

    private Builder(URI baseUrl) {
      this.baseUrl = baseUrl;
    }

    /** The rule's path under {@code data}, slash-separated; default {@code meshwork/decision}. */
    public Builder path(String rulePath) {
      this.path = rulePath;
      return this;
    }

    /** Connect and answer timeout; default 2 seconds. */
    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    /** A header sent with every query, such as {@code Authorization: Bearer ...} (never logged). */
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** The clock for requests without a time. */
    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /** The engine. */
    public OpaRestPolicyEngine build() {
      if (baseUrl == null || baseUrl.getScheme() == null || baseUrl.getHost() == null) {
        throw new PolicyException(
            "OPA base URL '" + baseUrl + "' is not absolute; use e.g. http://127.0.0.1:8181");
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new PolicyException("OPA timeout must be positive, but was " + timeout);
      }
      return new OpaRestPolicyEngine(this);
    }
  }
}
