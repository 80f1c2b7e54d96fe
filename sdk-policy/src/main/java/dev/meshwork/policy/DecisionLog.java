package dev.meshwork.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Writes every decision of an engine as a JSON line: decision id, time, principal, action,
 * resource, purpose, result, policy revision, reasons and obligation kinds. Never row values, never
 * secrets.
 */
public final class DecisionLog implements PolicyEngine {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PolicyEngine engine;
  private final Path file;
  private final Clock clock;
  private final String revision;

  /** Logs the decisions of {@code engine} to {@code file} (created with its folder). */
  public DecisionLog(PolicyEngine engine, Path file, Clock clock, String revision) {
    this.engine = engine;
    this.file = file;
    this.clock = clock;
    this.revision = revision;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the decision log folder of " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Decision decide(PolicyRequest request) {
    Decision d;
    try {
      d = engine.decide(request);
    } catch (RuntimeException e) {
      d =
          Decision.failedClosed(
              "policy engine " + engine.describe() + " failed (fail closed): " + e.getMessage());
    }
    if (d == null) {
      d =
          Decision.failedClosed(
              "policy engine " + engine.describe() + " returned no decision (fail closed)");
    }
    try {
      write(request, d);
    } catch (RuntimeException e) {
      // An unaudited allow is not an allow.
      return Decision.failedClosed(
          "the decision could not be logged (fail closed): " + e.getMessage());
    }
    return d;
  }

  private synchronized void write(PolicyRequest r, Decision d) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("decisionId", UUID.randomUUID().toString());
    line.put("time", (r.time() != null ? r.time() : clock.instant()).toString());
    line.put("principal", r.principal().toString());
    line.put("action", r.action().name());
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("product", r.product().displayName());
    resource.put("productId", r.product().id());
    resource.put("port", r.port());
    line.put("resource", resource);
    line.put("purpose", r.purpose());
    line.put("result", d.allowed() ? "allow" : "deny");
    line.put("revision", revision);
    line.put("engine", engine.describe());
    line.put("reasons", d.reasons());
    line.put("obligations", d.obligations().stream().map(Decision.Obligation::kind).toList());
    try {
      Files.writeString(
          file,
          JSON.writeValueAsString(line) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot append to decision log " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return engine.describe();
  }
}
