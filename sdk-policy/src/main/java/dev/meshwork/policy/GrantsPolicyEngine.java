package dev.meshwork.policy;

import dev.cel.runtime.CelRuntime;
import dev.meshwork.core.Principal;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.policy.internal.Cel;
import dev.meshwork.policy.internal.ExpiringCache;
import dev.meshwork.policy.internal.MaskTargets;
import dev.meshwork.policy.internal.governance.GovernanceCheck;
import dev.meshwork.policy.internal.governance.GovernanceChecks;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in engine over a {@link PolicySet}: deny unless a grant or a usage contract allows.
 *
 * <ul>
 *   <li>A grant applies when its principals (user, service, group from the directory, or '*'),
 *       actions, products (name or id of the running product), ports and contracts (of the port)
 *       match; the first applicable grant in file order decides. Its purposes must include the
 *       run's declared purpose, and its CEL condition must hold.
 *   <li>A usage contract covering the consumer and the input's contract must be valid at the
 *       request's time and list the declared purpose; an applicable expired or wrong-purpose
 *       contract denies with the reason, even when a grant would allow.
 *   <li>PUBLISH first runs the governance rules over what is about to be published.
 * </ul>
 */
public final class GrantsPolicyEngine implements PolicyEngine {
  /** How long a principal's groups are kept unless told otherwise, in seconds. */
  public static final long DEFAULT_GROUP_TTL_SECONDS = 300;

  /** How many principals' groups are kept at most. */
  public static final int MAX_CACHED_PRINCIPALS = 10_000;

  private final PolicySet policies;
  private final Clock clock;
  private final Directory directory;
  private final List<GovernanceCheck> governance;
  private final Map<String, CelRuntime.Program> programs = new HashMap<>();
  private final Duration groupTtl;
  private final ExpiringCache<Principal, Set<String>> identities;

  /**
   * An engine over policies, with group membership from the files' {@code directory.groups} and a
   * clock for conditions and validity windows.
   */
  public GrantsPolicyEngine(PolicySet policies, Clock clock) {
    this(policies, Directory.of(policies.groups()), clock);
  }

  /**
   * An engine over policies with group membership from a directory, asked again for a principal
   * {@value #DEFAULT_GROUP_TTL_SECONDS} s after it last answered.
   */
  public GrantsPolicyEngine(PolicySet policies, Directory directory, Clock clock) {
    this(policies, directory, clock, Duration.ofSeconds(DEFAULT_GROUP_TTL_SECONDS));
  }

  /**
   * An engine over policies with group membership from a directory, kept for {@code groupTtl} per
   * principal (a revoked member loses access within it), for at most {@value
   * #MAX_CACHED_PRINCIPALS} principals.
   */
  public GrantsPolicyEngine(
      PolicySet policies, Directory directory, Clock clock, Duration groupTtl) {
    if (groupTtl.isNegative()) {
      throw new IllegalArgumentException("groupTtl must be zero or positive, but was " + groupTtl);
    }
    this.policies = policies;
    this.directory = directory;
    this.clock = clock;
    this.groupTtl = groupTtl;
    this.identities = new ExpiringCache<>(MAX_CACHED_PRINCIPALS, clock);
    // Compiling every expression up front turns a typo into an error at start-up, not mid-run.
    policies.grants().stream()
        .flatMap(g -> java.util.stream.Stream.of(g.condition(), g.rowFilter()))
        .filter(java.util.Objects::nonNull)
        .forEach(this::program);
    this.governance = GovernanceChecks.of(policies);
  }

  /** The policies. */
  public PolicySet policies() {
    return policies;
  }

  @Override
  public String describe() {
    return "grants (revision " + policies.revision() + ")";
  }

  @Override
  public Decision decide(PolicyRequest r) {
    if (r == null || r.action() == null || r.principal() == null || r.product() == null) {
      return Decision.deny(
          "malformed policy request (fail closed): action, principal and product are required");
    }
    Instant now = r.time() != null ? r.time() : clock.instant();
    Set<String> identities = identities(r.principal());
    String contractId = contractOf(r);
    if (r.action() != Action.RUN && (r.port() == null || contractId == null)) {
      return Decision.deny(
          "malformed policy request (fail closed): product '"
              + r.product().displayName()
              + "' declares no "
              + (r.action() == Action.READ ? "input" : "output")
              + " port '"
              + r.port()
              + "' with a contract");
    }
    List<String> reasons = new ArrayList<>();
    if (r.action() == Action.PUBLISH && r.output() != null) {
      List<String> violations = GovernanceChecks.violations(governance, r);
      if (!violations.isEmpty()) {
        return new Decision(false, violations, List.of());
      }
    }
    List<Decision.Obligation> terms = new ArrayList<>();
    boolean usageContractAllows = false;
    if (r.action() == Action.READ && contractId != null) {
      for (UsageContract uc : policies.usageContracts()) {
        if (!matches(uc.consumers(), identities) || !uc.contracts().contains(contractId)) {
          continue;
        }
        if (uc.validFrom() != null && now.isBefore(uc.validFrom())) {
          return Decision.deny(
              "usage contract " + uc.id() + " is valid only from " + uc.validFrom());
        }
        if (uc.validUntil() != null && !now.isBefore(uc.validUntil())) {
          return Decision.deny("usage contract " + uc.id() + " expired at " + uc.validUntil());
        }
        if (!uc.purposes().isEmpty()
            && (r.purpose() == null || !uc.purposes().contains(r.purpose()))) {
          return Decision.deny(
              "usage contract "
                  + uc.id()
                  + " allows purposes "
                  + uc.purposes()
                  + ", but the run declared "
                  + (r.purpose() == null ? "no purpose" : "'" + r.purpose() + "'")
                  + " (declare one with RunOptions.builder().purpose(...))");
        }
        usageContractAllows = true;
        uc.terms().forEach(t -> terms.add(new Decision.Term("usage-term", uc.id() + ": " + t)));
        if (uc.validUntil() != null) {
          terms.add(new Decision.Term("expires-at", uc.id() + ": " + uc.validUntil()));
        }
        reasons.add(
            "usage contract "
                + uc.id()
                + " allows "
                + r.principal()
                + " to read "
                + contractId
                + " for '"
                + r.purpose()
                + "'");
      }
    }
    for (Grant g : policies.grants()) {
      if (!g.actions().contains(r.action())
          || !matches(g.principals(), identities)
          || !matchesAny(g.products(), r.product().id(), r.product().displayName())
          // Port and contract selectors only apply to port actions; RUN has no port.
          || r.port() != null
              && (!matchesAny(g.ports(), r.port()) || !matchesAny(g.contracts(), contractId))) {
        continue;
      }
      if (!g.purposes().isEmpty() && (r.purpose() == null || !g.purposes().contains(r.purpose()))) {
        reasons.add(
            "grant "
                + g.id()
                + " requires purpose "
                + g.purposes()
                + ", the run declared "
                + (r.purpose() == null ? "none" : "'" + r.purpose() + "'"));
        continue;
      }
      if (g.condition() != null && !Cel.test(program(g.condition()), vars(r, now))) {
        reasons.add("grant " + g.id() + ": condition " + g.condition() + " does not hold");
        continue;
      }
      List<Decision.Obligation> obligations = new ArrayList<>(terms);
      if (contractId != null) {
        // Masks apply to the columns of a port's contract; RUN names no port.
        obligations.addAll(masks(g, r));
      }
      if (g.rowFilter() != null) {
        obligations.add(
            new Decision.RowFilter(
                g.rowFilter(),
                new dev.meshwork.policy.internal.CelRowFilter(g.rowFilter()),
                dev.meshwork.policy.internal.Cel.rowFilter(g.rowFilter()).orElse(null)));
      }
      g.terms().forEach(t -> obligations.add(new Decision.Term("term", g.id() + ": " + t)));
      List<String> why = new ArrayList<>(reasons);
      why.add("grant " + g.id() + " allows " + r.principal() + " to " + r.action());
      return new Decision(true, why, obligations);
    }
    // A usage contract allows on its own, with or without terms.
    if (usageContractAllows) {
      return new Decision(true, reasons, terms);
    }
    reasons.add(
        "no grant allows "
            + r.principal()
            + " to "
            + r.action()
            + (r.port() == null ? "" : " port '" + r.port() + "'")
            + " of product '"
            + r.product().displayName()
            + "'"
            + (contractId == null ? "" : " (contract " + contractId + ")"));
    return new Decision(false, reasons, List.of());
  }

  private CelRuntime.Program program(String expr) {
    synchronized (programs) {
      return programs.computeIfAbsent(expr, Cel::compile);
    }
  }

  private Set<String> identities(Principal p) {
    return identities.computeIfAbsent(
        p,
        k -> {
          Set<String> ids = new LinkedHashSet<>();
          ids.add(k.toString());
          k.groups().forEach(g -> ids.add("group:" + g));
          directory.groupsOf(k).forEach(g -> ids.add("group:" + g));
          return Set.copyOf(ids);
        },
        ids -> clock.instant().plus(groupTtl));
  }

  private static boolean matches(Set<String> patterns, Set<String> identities) {
    return patterns.contains("*") || patterns.stream().anyMatch(identities::contains);
  }

  private static boolean matchesAny(Set<String> patterns, String... values) {
    if (patterns.isEmpty() || patterns.contains("*")) {
      return true;
    }
    for (String v : values) {
      if (v != null && patterns.contains(v)) {
        return true;
      }
    }
    return false;
  }

  private static String contractOf(PolicyRequest r) {
    return dev.meshwork.policy.internal.OpaDocuments.contractOf(r);
  }

  private Map<String, Object> vars(PolicyRequest r, Instant now) {
    Map<String, Object> v = new HashMap<>();
    v.put(
        "principal",
        Map.of(
            "name",
            r.principal().name(),
            "kind",
            r.principal().kind().name().toLowerCase(Locale.ROOT),
            "groups",
            List.copyOf(identities(r.principal()))));
    v.put("action", r.action().name());
    Map<String, Object> product = new HashMap<>();
    product.put("id", r.product().id());
    product.put("name", r.product().displayName());
    product.put("domain", r.product().domain() == null ? "" : r.product().domain());
    v.put("product", product);
    v.put("port", r.port() == null ? "" : r.port());
    v.put("purpose", r.purpose() == null ? "" : r.purpose());
    v.put("hour", (long) now.atZone(ZoneOffset.UTC).getHour());
    v.put("now", now.toString());
    return v;
  }

  /**
   * Masks of a grant, with classification and tag selectors resolved to the port's columns and the
   * fields nested in them. Hashes are keyed for the grant: its readers' hashes join with each
   * other's and with the Trino export's, and not with other grants'.
   */
  private static List<Decision.Obligation> masks(Grant g, PolicyRequest r) {
    List<Decision.Obligation> out = new ArrayList<>();
    if (g.masks().isEmpty()) {
      return out;
    }
    for (MaskTargets.Target t : MaskTargets.targets(g.masks(), properties(r))) {
      Decision.MaskKind kind = Decision.MaskKind.valueOf(t.rule().with().toUpperCase(Locale.ROOT));
      out.add(new Decision.ColumnMask(t.path(), kind, t.rule().length(), MaskTargets.keyScope(g)));
    }
    return out;
  }

  private static List<SchemaProperty> properties(PolicyRequest r) {
    String id = contractOf(r);
    Optional<DataContract> c = id == null ? Optional.empty() : r.product().contract(id);
    List<SchemaProperty> out = new ArrayList<>();
    c.ifPresent(contract -> contract.schema().forEach(o -> out.addAll(o.properties())));
    return out;
  }
}
