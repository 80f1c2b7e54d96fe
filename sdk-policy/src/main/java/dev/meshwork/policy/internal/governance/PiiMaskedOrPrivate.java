package dev.meshwork.policy.internal.governance;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.policy.Grant;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.PolicyRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code pii-masked-or-private}: a personal column of a port that is not private is masked by every
 * grant that lets anyone read its contract.
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
            .filter(o -> o.name().equals(request.port()))
            .anyMatch(
                o ->
                    o.customProperty("visibility")
                        .map(v -> !"public".equals(String.valueOf(v)))
                        .orElse(false));
    if (isPrivate) {
      return List.of();
    }
    List<String> unmasked =
        object.properties().stream()
            .filter(PiiMaskedOrPrivate::personal)
            .map(SchemaProperty::name)
            .filter(c -> !maskedForReaders(contract.id(), c, object))
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

  /** Whether every grant that lets anyone READ the contract masks the column. */
  private boolean maskedForReaders(String contractId, String column, SchemaObject object) {
    SchemaProperty prop = object.property(column).orElse(null);
    for (Grant g : grants) {
      if (!g.actions().contains(Action.READ)
          || !g.contracts().isEmpty() && !g.contracts().contains(contractId)) {
        continue;
      }
      boolean masked =
          g.masks().stream()
              .anyMatch(
                  m ->
                      column.equals(m.column())
                          || prop != null
                              && m.classification() != null
                              && m.classification()
                                  .equalsIgnoreCase(String.valueOf(prop.classification()))
                          || prop != null && m.tag() != null && prop.tags().contains(m.tag()));
      if (!masked) {
        return false;
      }
    }
    return true;
  }
}
