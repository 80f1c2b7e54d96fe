package dev.meshwork.policy.internal.governance;

import dev.meshwork.core.SummaryKeys;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.policy.ContractChanges;
import dev.meshwork.spi.PolicyRequest;
import java.util.Arrays;
import java.util.List;

/**
 * {@code breaking-change-needs-major-version}: dropping a column the last published version had
 * breaks consumers, so it needs a new major contract version.
 */
final class BreakingChangeNeedsMajorVersion implements GovernanceCheck {
  @Override
  public List<String> violations(
      PolicyRequest request, DataContract contract, SchemaObject object) {
    String before = request.output().published().get(SummaryKeys.CONTRACT_VERSION);
    String columnsBefore = request.output().published().get(SummaryKeys.CONTRACT_COLUMNS);
    if (before == null || columnsBefore == null || columnsBefore.isBlank()) {
      return List.of();
    }
    List<String> dropped =
        ContractChanges.removedColumns(Arrays.asList(columnsBefore.split(",")), object);
    if (dropped.isEmpty()
        || ContractChanges.major(contract.version()) > ContractChanges.major(before)) {
      return List.of();
    }
    return List.of(
        "contract "
            + contract.id()
            + " drops columns "
            + dropped
            + " that version "
            + before
            + " published, but its version "
            + contract.version()
            + " keeps the same major version; release it as "
            + (ContractChanges.major(before) + 1)
            + ".0.0");
  }
}
