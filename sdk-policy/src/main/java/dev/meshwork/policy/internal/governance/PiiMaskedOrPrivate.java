package dev.meshwork.policy.internal.governance;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.policy.Grant;
import dev.meshwork.policy.internal.MaskTargets;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.PolicyRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code pii-masked-or-private}: a personal column of a port that is not private, or a personal
 * field at any depth inside one, is masked by every grant that lets anyone read its contract.
 */
final class PiiMaskedOrPrivate implements GovernanceCheck {
  private static final Set<String> PII = Set.of("restricted", "confidential", "pii", "sensitive");

  private final List<Grant> grants;

  PiiMaskedOrPrivate(List<Grant> grants) {
    this.grants = grants;
  }

  @Override
  public List<String> violations(
      PolicyRequest request, DataContract contract, SchemaObject object) {
    boolean isPrivate =
        request.product().outputPorts().stream()
            .filter(o -> request.product().outputKey(o).equals(request.port()))
            .anyMatch(
                o ->
                    o.customProperty("visibility")
                        .map(v -> !"public".equals(String.valueOf(v)))
                        .orElse(false));
    if (isPrivate) {
      return List.of();
    }
    List<String> unmasked =
        MaskTargets.walk(object.properties()).stream()
            .filter(n -> personal(n.property()))
            .filter(n -> !maskedForReaders(contract.id(), n, object))
            .map(MaskTargets.Node::path)
            .toList();
    if (unmasked.isEmpty()) {
      return List.of();
    }
    return List.of(
        "PII columns "
            + unmasked
            + " are readable unmasked; add a mask to the grants that read contract "
            + contract.id()
            + ", or set the port's custom property visibility: private");
  }

  private static boolean personal(SchemaProperty p) {
    return p.classification() != null && PII.contains(p.classification().toLowerCase(Locale.ROOT))
        || p.tags().contains("pii");
  }

  /**
   * Whether every grant that lets anyone READ the contract masks the property, itself or through a
   * property it is nested in.
   */
  private boolean maskedForReaders(String contractId, MaskTargets.Node node, SchemaObject object) {
    for (Grant g : grants) {
      if (!g.actions().contains(Action.READ)
          || !g.contracts().isEmpty() && !g.contracts().contains(contractId)) {
        continue;
      }
      if (!MaskTargets.covers(MaskTargets.targets(g.masks(), object.properties()), node)) {
        return false;
      }
    }
    return true;
  }
}
