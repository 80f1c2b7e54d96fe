package dev.meshwork.policy.internal.governance;

import dev.meshwork.policy.GovernanceRule;
import dev.meshwork.policy.PolicySet;
import dev.meshwork.spi.PolicyRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The built-in governance rules by name, and the check each rule of a policy set runs. */
public final class GovernanceChecks {
  private static final Map<String, Function<PolicySet, GovernanceCheck>> BUILTINS =
      new LinkedHashMap<>();

  static {
    BUILTINS.put("every-column-has-description", p -> new EveryColumnHasDescription());
    BUILTINS.put("pii-masked-or-private", p -> new PiiMaskedOrPrivate(p.grants()));
    BUILTINS.put("owner-and-contract-version", p -> new OwnerAndContractVersion());
    BUILTINS.put("breaking-change-needs-major-version", p -> new BreakingChangeNeedsMajorVersion());
  }

  private GovernanceChecks() {}

  /** The names a rule's {@code builtin} may take. */
  public static Set<String> builtinNames() {
    return BUILTINS.keySet();
  }

  /**
   * The checks of every governance rule of {@code policies}, in file order, each naming its rule in
   * its messages; conditions are compiled here, so a typo fails at start-up.
   */
  public static List<GovernanceCheck> of(PolicySet policies) {
    return policies.governance().stream().map(rule -> named(rule, check(rule, policies))).toList();
  }

  /** What every check finds in a PUBLISH request's output, in rule order (nothing without one). */
  public static List<String> violations(List<GovernanceCheck> checks, PolicyRequest r) {
    List<String> out = new java.util.ArrayList<>();
    if (r.output() == null) {
      return out;
    }
    for (GovernanceCheck check : checks) {
      out.addAll(check.violations(r, r.output().contract(), r.output().schemaObject()));
    }
    return out;
  }

  private static GovernanceCheck check(GovernanceRule rule, PolicySet policies) {
    if (rule.builtin() == null) {
      return new ConditionHolds(rule.condition());
    }
    Function<PolicySet, GovernanceCheck> builtin = BUILTINS.get(rule.builtin());
    if (builtin == null) {
      // PolicySet rejects unknown names when it loads; this guards sets built in code.
      return (request, contract, object) -> List.of("unknown built-in");
    }
    return builtin.apply(policies);
  }

  private static GovernanceCheck named(GovernanceRule rule, GovernanceCheck check) {
    String prefix =
        "governance rule "
            + rule.id()
            + " ("
            + (rule.description() == null
                ? (rule.builtin() == null ? rule.condition() : rule.builtin())
                : rule.description())
            + "): ";
    return (request, contract, object) ->
        check.violations(request, contract, object).stream().map(v -> prefix + v).toList();
  }
}
