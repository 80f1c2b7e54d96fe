package dev.meshwork.policy.internal.governance;

import dev.cel.runtime.CelRuntime;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.policy.internal.Cel;
import dev.meshwork.spi.PolicyRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule's CEL {@code condition} over {@code product}, {@code port}, {@code contract} and {@code
 * columns} holds.
 */
final class ConditionHolds implements GovernanceCheck {
  private final CelRuntime.Program program;

  ConditionHolds(String condition) {
    this.program = Cel.compile(condition);
  }

  @Override
  public List<String> violations(
      PolicyRequest request, DataContract contract, SchemaObject object) {
    Map<String, Object> vars = new HashMap<>();
    vars.put(
        "product",
        Map.of(
            "id",
            request.product().id(),
            "name",
            request.product().displayName(),
            "domain",
            request.product().domain() == null ? "" : request.product().domain()));
    vars.put("port", request.port());
    vars.put(
        "contract",
        Map.of(
            "id",
            contract.id(),
            "version",
            contract.version() == null ? "" : contract.version(),
            "status",
            contract.status() == null ? "" : contract.status()));
    List<Map<String, Object>> columns = new ArrayList<>();
    for (SchemaProperty p : object.properties()) {
      Map<String, Object> col = new LinkedHashMap<>();
      col.put("name", p.name());
      col.put("description", p.description() == null ? "" : p.description());
      col.put("classification", p.classification() == null ? "" : p.classification());
      col.put("tags", p.tags());
      col.put("required", p.required());
      columns.add(col);
    }
    vars.put("columns", columns);
    return Cel.test(program, vars)
        ? List.of()
        : List.of("does not hold for port '" + request.port() + "'");
  }
}
