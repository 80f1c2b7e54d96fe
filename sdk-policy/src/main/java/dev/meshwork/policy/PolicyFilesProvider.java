package dev.meshwork.policy;

import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyEngineProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Zero-configuration policy: the built-in engine over the folder named by {@code
 * -Dmeshwork.policies} or {@code MESHWORK_POLICIES}, else over {@code ./policies} when it exists.
 * Decisions are logged to {@code -Dmeshwork.decisionLog}, else {@code
 * <warehouse>/policy/decision-log.jsonl} (warehouse from {@code -Dmeshwork.warehouse}, {@code
 * MESHWORK_WAREHOUSE} or {@code ./warehouse}). A named folder that does not exist is an error,
 * never a silent allow-all.
 */
public final class PolicyFilesProvider implements PolicyEngineProvider {

  @Override
  public Optional<PolicyEngine> defaultEngine() {
    String named = setting("meshwork.policies", "MESHWORK_POLICIES");
    Path dir;
    if (named != null) {
      dir = Path.of(named);
    } else if (Files.isDirectory(Path.of("policies"))) {
      dir = Path.of("policies");
    } else {
      return Optional.empty();
    }
    String log = setting("meshwork.decisionLog", "MESHWORK_DECISION_LOG");
    Path decisionLog;
    if (log != null) {
      decisionLog = Path.of(log);
    } else {
      String warehouse = setting("meshwork.warehouse", "MESHWORK_WAREHOUSE");
      decisionLog =
          Path.of(warehouse == null ? "warehouse" : warehouse)
              .resolve("policy")
              .resolve("decision-log.jsonl");
    }
    return Optional.of(Policies.fromDirectory(dir, decisionLog, Clock.systemUTC()));
  }

  private static String setting(String property, String env) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? null : v;
  }
}
