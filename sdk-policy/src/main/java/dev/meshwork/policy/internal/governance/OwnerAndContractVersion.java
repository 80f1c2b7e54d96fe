package dev.meshwork.policy.internal.governance;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.TeamMember;
import dev.meshwork.spi.PolicyRequest;
import java.util.ArrayList;
import java.util.List;

/** {@code owner-and-contract-version}: someone answers for the product, and versions are named. */
final class OwnerAndContractVersion implements GovernanceCheck {
  @Override
  public List<String> violations(
      PolicyRequest request, DataContract contract, SchemaObject object) {
    List<String> out = new ArrayList<>();
    boolean owner =
        request.product().team() != null
            && request.product().team().members().stream()
                .map(TeamMember::role)
                .anyMatch("owner"::equalsIgnoreCase);
    if (!owner) {
      out.add(
          "product '" + request.product().displayName() + "' names no team member with role owner");
    }
    if (contract.version() == null || contract.version().isBlank()) {
      out.add("contract " + contract.id() + " has no version");
    }
    return out;
  }
}
