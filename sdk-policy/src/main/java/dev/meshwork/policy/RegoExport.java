package dev.meshwork.policy;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.InputPortSpec;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.policy.internal.MaskTargets;
import dev.meshwork.policy.internal.OpaDocuments;
import dev.meshwork.policy.internal.RegoFiles;
import dev.meshwork.spi.Action;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a policy set as a Rego policy and its data document for OPA, whose rule {@code
 * meshwork/decision} answers the SDK's OPA engines ({@link OpaRestPolicyEngine}, {@link
 * OpaWasmPolicyEngine}) as the built-in {@link GrantsPolicyEngine} answers the run: usage contracts
 * first, then the first applicable grant with its masks, row filter and terms.
 *
 * <p>Masks are resolved here against the contracts of the products given (by classification, tag
 * and path, nested fields included), so OPA needs no schema. Where OPA cannot follow the built-in
 * engine the policy denies rather than allow more: a grant with a CEL condition denies where it
 * would decide, and a masking grant denies for a contract none of the products carries. Governance
 * rules are not exported: they compare what is published with the published history, which only the
 * SDK sees (they are listed under {@code notExported}; {@link Policies#withGovernance} keeps them
 * in process).
 */
public final class RegoExport {
  /** The rule the SDK's OPA engines ask. */
  public static final String DECISION = "meshwork/decision";

  private final String rego;
  private final Map<String, Object> data;

  private RegoExport(String rego, Map<String, Object> data) {
    this.rego = rego;
    this.data = data;
  }

  /** Renders the policies, resolving masks against the contracts of {@code products}. */
  public static RegoExport render(PolicySet policies, List<DataProduct> products) {
    Map<String, List<SchemaProperty>> contracts = new TreeMap<>();
    for (DataProduct p : products) {
      List<String> ids = new ArrayList<>();
      p.outputPorts().stream().map(OutputPortSpec::contractId).forEach(ids::add);
      p.inputPorts().stream().map(InputPortSpec::contractId).forEach(ids::add);
      for (String id : ids) {
        p.contract(id).ifPresent(c -> contracts.putIfAbsent(id, columns(c)));
      }
    }
    List<Map<String, Object>> grants = new ArrayList<>();
    for (Grant g : policies.grants()) {
      grants.add(grant(g, contracts));
    }
    List<Map<String, Object>> usage = new ArrayList<>();
    for (UsageContract uc : policies.usageContracts()) {
      Map<String, Object> u = new LinkedHashMap<>();
      u.put("id", uc.id());
      u.put("consumers", sorted(uc.consumers()));
      u.put("contracts", sorted(uc.contracts()));
      u.put("purposes", sorted(uc.purposes()));
      // The window in nanoseconds too: the policy compares numbers, so it needs no time parsing.
      if (uc.validFrom() != null) {
        u.put("validFrom", uc.validFrom().toString());
        u.put("validFromNs", OpaDocuments.epochNanos(uc.validFrom()));
      }
      if (uc.validUntil() != null) {
        u.put("validUntil", uc.validUntil().toString());
        u.put("validUntilNs", OpaDocuments.epochNanos(uc.validUntil()));
      }
      u.put("terms", uc.terms());
      usage.add(u);
    }
    List<Map<String, Object>> notExported = new ArrayList<>();
    for (GovernanceRule rule : policies.governance()) {
      notExported.add(
          Map.of(
              "governanceRule",
              rule.id(),
              "reason",
              "governance rules check what a run publishes against its history, which only the"
                  + " SDK sees; PUBLISH decisions from OPA do not include them"));
    }
    Map<String, Object> groups = new TreeMap<>();
    policies.groups().forEach((k, v) -> groups.put(k, sorted(v)));
    Map<String, Object> access = new LinkedHashMap<>();
    access.put("revision", policies.revision());
    access.put("groups", groups);
    access.put("grants", grants);
    access.put("usageContracts", usage);
    access.put("contracts", List.copyOf(contracts.keySet()));
    access.put("notExported", notExported);
    return new RegoExport(
        RegoFiles.policy("meshwork_decision.rego"), Map.of("meshwork", Map.of("access", access)));
  }

  private static Map<String, Object> grant(Grant g, Map<String, List<SchemaProperty>> contracts) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", g.id());
    out.put("principals", sorted(g.principals()));
    out.put("actions", sorted(g.actions().stream().map(Action::name).toList()));
    out.put("products", sorted(g.products()));
    out.put("ports", sorted(g.ports()));
    out.put("contracts", sorted(g.contracts()));
    out.put("purposes", sorted(g.purposes()));
    out.put("condition", g.condition());
    out.put("masked", !g.masks().isEmpty());
    Map<String, Object> masks = new TreeMap<>();
    if (!g.masks().isEmpty()) {
      contracts.forEach(
          (id, columns) -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (MaskTargets.Target t : MaskTargets.targets(g.masks(), columns)) {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("column", t.path());
              m.put("with", t.rule().with().toLowerCase(Locale.ROOT));
              m.put("length", t.rule().length());
              m.put("scope", MaskTargets.keyScope(g));
              list.add(m);
            }
            masks.put(id, list);
          });
    }
    out.put("masks", masks);
    out.put("rowFilter", g.rowFilter());
    out.put("terms", g.terms());
    return out;
  }

  private static List<SchemaProperty> columns(DataContract c) {
    List<SchemaProperty> out = new ArrayList<>();
    c.schema().forEach(o -> out.addAll(o.properties()));
    return out;
  }

  private static List<String> sorted(Collection<String> values) {
    return values.stream().sorted().toList();
  }

  /** The Rego policy (package {@code meshwork}, rule {@code decision}). */
  public String rego() {
    return rego;
  }

  /** The data document, with everything under {@code meshwork.access}. */
  public Map<String, Object> data() {
    return data;
  }

  /** The data document as JSON. */
  public String dataJson() {
    return RegoFiles.json(data);
  }

  /**
   * Writes {@code meshwork_decision.rego} and {@code data.json} into a folder, which {@code opa run
   * --server DIR} loads (or {@code opa build} bundles).
   */
  public void writeTo(Path dir) {
    RegoFiles.write(dir, "meshwork_decision.rego", rego, data);
  }
}
