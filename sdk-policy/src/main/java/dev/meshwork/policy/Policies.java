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
   * decision to {@code decision-log.jsonl} beside {@code dir}.
   */
  public static PolicyEngine fromDirectory(Path dir) {
    return fromDirectory(
        dir, dir.toAbsolutePath().getParent().resolve("decision-log.jsonl"), Clock.systemUTC());
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
