package dev.meshwork.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.styra.opa.wasm.OpaPolicy;
import dev.meshwork.policy.internal.OpaDocuments;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Evaluates a Rego policy compiled to Wasm ({@code opa build -t wasm -e meshwork/decision}) in
 * process, with the same input and result shapes as {@link OpaRestPolicyEngine}. An evaluation
 * error, an undefined or malformed result is a deny.
 */
public final class OpaWasmPolicyEngine implements PolicyEngine {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpaPolicy policy;
  private final String entrypoint;
  private final String source;
  private final Clock clock;

  private OpaWasmPolicyEngine(OpaPolicy policy, String entrypoint, String source, Clock clock) {
    this.policy = policy;
    this.entrypoint = entrypoint;
    this.source = source;
    this.clock = clock;
  }

  /**
   * Loads a compiled policy ({@code policy.wasm} from an OPA bundle) with its entrypoint (such as
   * {@code meshwork/decision}) and base data as JSON ({@code data.json}, or null).
   */
  public static OpaWasmPolicyEngine load(
      Path wasm, String entrypoint, String dataJson, Clock clock) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(wasm);
    } catch (IOException e) {
      throw new PolicyException(
          "Cannot read the Wasm policy " + wasm + ": " + e.getMessage() + ". Check the path.", e);
    }
    return load(bytes, wasm.toString(), entrypoint, dataJson, clock);
  }

  /** Loads a compiled policy from bytes; {@code name} names it in messages. */
  public static OpaWasmPolicyEngine load(
      byte[] wasm, String name, String entrypoint, String dataJson, Clock clock) {
    OpaPolicy policy;
    try {
      policy = OpaPolicy.builder().withPolicy(wasm).build();
    } catch (RuntimeException e) {
      throw new PolicyException(
          "Cannot load the Wasm policy "
              + name
              + ": "
              + e.getMessage()
              + ". Build it with 'opa build -t wasm -e <entrypoint> policy.rego'.",
          e);
    }
    if (!policy.entrypoints().containsKey(entrypoint)) {
      throw new PolicyException(
          "The Wasm policy "
              + name
              + " has no entrypoint '"
              + entrypoint
              + "'; it has "
              + policy.entrypoints().keySet());
    }
    policy.entrypoint(entrypoint);
    if (dataJson != null) {
      try {
        policy.data(JSON.readTree(dataJson));
      } catch (IOException e) {
        throw new PolicyException(
            "The data for Wasm policy " + name + " is not JSON: " + e.getMessage(), e);
      }
    }
    return new OpaWasmPolicyEngine(
        policy, entrypoint, "OPA Wasm rule " + entrypoint + " (" + name + ")", clock);
  }

  @Override
  public Decision decide(PolicyRequest r) {
    String out;
    try {
      String input = JSON.writeValueAsString(OpaDocuments.input(r, clock.instant()));
      // An OPA Wasm instance holds one evaluation context; evaluations take turns.
      synchronized (policy) {
        out = policy.input(input).evaluate();
      }
    } catch (IOException | RuntimeException e) {
      return Decision.failedClosed(source + " failed to evaluate (fail closed): " + e.getMessage());
    }
    try {
      JsonNode results = JSON.readTree(out);
      JsonNode result =
          results.isArray() && !results.isEmpty() ? results.get(0).get("result") : null;
      return OpaDocuments.decision(result, source, "product:" + r.product().id());
    } catch (IOException | RuntimeException e) {
      return Decision.failedClosed(
          source + " returned an unusable result (fail closed): " + e.getMessage());
    }
  }

  @Override
  public String describe() {
    return "OPA Wasm " + entrypoint;
  }
}
