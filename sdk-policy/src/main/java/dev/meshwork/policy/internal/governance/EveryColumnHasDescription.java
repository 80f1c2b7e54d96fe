package dev.meshwork.policy.internal.governance;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.spi.PolicyRequest;
import java.util.List;

/** {@code every-column-has-description}: consumers need to know what each column means. */
final class EveryColumnHasDescription implements GovernanceCheck {
  @Override
  public List<String> violations(
      PolicyRequest request, DataContract contract, SchemaObject object) {
    List<String> missing =
        object.properties().stream()
            .filter(p -> p.description() == null || p.description().isBlank())
            .map(SchemaProperty::name)
            .toList();
    if (missing.isEmpty()) {
      return List.of();
    }
    return List.of(
        "columns without description: "
            + missing
            + " in contract "
            + contract.id()
            + " ("
            + contract.source()
            + ")");
  }
}
