package dev.meshwork.policy;

import dev.meshwork.core.Settings;
import dev.meshwork.policy.internal.governance.GovernanceCheck;
import dev.meshwork.policy.internal.governance.GovernanceChecks;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Ready-made policy engines. */
public final class Policies {
  private Policies() {}

  /** The setting naming the policies folder of a zero-configuration mesh. */
  public static final String POLICIES = "meshwork.policies";

  /** The setting naming the decision log (formerly {@code meshwork.decisionLog}). */
  public static final String DECISION_LOG = "meshwork.decision-log";

  /**
   * The built-in engine over {@code dir/*.yaml}, caching decisions for a minute and logging every
   * decision to the default decision log of the process's settings (see {@link
   * #defaultDecisionLog(Settings)}).
   */
  public static PolicyEngine fromDirectory(Path dir) {
    return fromDirectory(dir, defaultDecisionLog(Settings.fromEnvironment()), Clock.systemUTC());
  }

  /**
   * The setting {@value #DECISION_LOG} ({@code -Dmeshwork.decision-log}, {@code
   * MESHWORK_DECISION_LOG}, …), else {@code policy/decision-log.jsonl} in the settings' {@link
   * Settings#localFolder() local folder}.
   */
  public static Path defaultDecisionLog(Settings settings) {
    return settings
        .path(DECISION_LOG)
        .orElseGet(() -> settings.localFolder().resolve("policy").resolve("decision-log.jsonl"));
  }

  /**
   * {@code access} (for example an {@link OpaRestPolicyEngine} over a {@link RegoExport}) with the
   * governance rules of {@code policies} checked in process first on every PUBLISH: they compare
   * what a run publishes with the table's history, which only the SDK sees. A finding denies with
   * the rule's message, and {@code access} is not asked.
   */
  public static PolicyEngine withGovernance(PolicyEngine access, PolicySet policies) {
    List<GovernanceCheck> checks = GovernanceChecks.of(policies);
    return new PolicyEngine() {
      @Override
      public Decision decide(PolicyRequest r) {
        if (r != null && r.action() == Action.PUBLISH) {
          List<String> violations = GovernanceChecks.violations(checks, r);
          if (!violations.isEmpty()) {
            return new Decision(false, violations, List.of());
          }
        }
        return access.decide(r);
      }

      @Override
      public String describe() {
        return access.describe() + " with governance (revision " + policies.revision() + ")";
      }
    };
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
