package dev.meshwork.policy;

import dev.meshwork.spi.PolicyEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Ready-made policy engines. */
public final class Policies {
  private Policies() {}

  /**
   * The built-in engine over {@code dir/*.yaml}, caching decisions for a minute and logging every
   * decision to the default decision log (see {@link #defaultDecisionLog()}).
   */
  public static PolicyEngine fromDirectory(Path dir) {
    return fromDirectory(dir, defaultDecisionLog(), Clock.systemUTC());
  }

  /**
   * {@code -Dmeshwork.decisionLog} or {@code MESHWORK_DECISION_LOG}, else {@code
   * policy/decision-log.jsonl} in the {@link dev.meshwork.spi.LocalFolder}.
   */
  public static Path defaultDecisionLog() {
    String log = setting("meshwork.decisionLog", "MESHWORK_DECISION_LOG");
    if (log != null) {
      return Path.of(log);
    }
    return dev.meshwork.spi.LocalFolder.get().resolve("policy").resolve("decision-log.jsonl");
  }

  static String setting(String property, String env) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? null : v;
  }

  /** The built-in engine over {@code dir/*.yaml}, with a decision log and a clock. */
  public static PolicyEngine fromDirectory(Path dir, Path decisionLog, Clock clock) {
    PolicySet set = PolicySet.load(dir);
    GrantsPolicyEngine grants = new GrantsPolicyEngine(set, clock);
    return new DecisionLog(
        new CachingPolicyEngine(grants, Duration.ofMinutes(1), clock),
        decisionLog,
        clock,
        set.revision());
  }
}
