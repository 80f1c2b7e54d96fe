package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.PolicyDeniedException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import dev.meshwork.spi.RunEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The run's enforcement point: asks the policy engine, fails closed when it fails or says nothing,
 * keeps every decision for the run's events, and throws on a deny.
 */
final class PolicyEnforcer {
  private final PolicyEngine engine;
  private final DataProduct product;
  private final Principal principal;
  private final RunOptions options;
  private final Clock clock;
  private final List<RunEvent.PolicyOutcome> outcomes = new ArrayList<>();

  PolicyEnforcer(
      PolicyEngine engine,
      DataProduct product,
      Principal principal,
      RunOptions options,
      Clock clock) {
    this.engine = engine;
    this.product = product;
    this.principal = principal;
    this.options = options;
    this.clock = clock;
  }

  /** The decision on {@code action} (port null: the product); throws when it denies. */
  Decision enforce(Action action, String port) {
    return enforce(action, port, null);
  }

  /** As {@link #enforce(Action, String)}, with the output a PUBLISH would publish. */
  Decision enforce(Action action, String port, PolicyRequest.PublishedOutput output) {
    Decision d;
    try {
      d =
          engine.decide(
              new PolicyRequest(
                  action,
                  principal,
                  product,
                  port,
                  options.purpose().orElse(null),
                  clock.instant(),
                  output));
    } catch (RuntimeException e) {
      d = Decision.deny("policy engine " + engine.describe() + " failed: " + e.getMessage());
    }
    if (d == null) {
      d = Decision.deny("policy engine " + engine.describe() + " returned no decision");
    }
    outcomes.add(
        new RunEvent.PolicyOutcome(action, port, d.allowed(), d.reasons(), engine.describe()));
    if (!d.allowed()) {
      String target =
          port == null
              ? "product '" + product.displayName() + "'"
              : "port '" + port + "' of product '" + product.displayName() + "'";
      throw new PolicyDeniedException(
          "Policy denied "
              + action
              + " on "
              + target
              + " for "
              + principal
              + ": "
              + String.join("; ", d.reasons())
              + ". Ask the product owner for access, or check the policy.");
    }
    return d;
  }

  /** Every decision taken so far, in order. */
  List<RunEvent.PolicyOutcome> outcomes() {
    return Collections.unmodifiableList(outcomes);
  }
}
