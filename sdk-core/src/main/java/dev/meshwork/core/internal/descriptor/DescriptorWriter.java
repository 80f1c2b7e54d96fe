package dev.meshwork.core.internal.descriptor;

import dev.meshwork.core.model.AuthoritativeDefinition;
import dev.meshwork.core.model.CustomProperty;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.Description;
import dev.meshwork.core.model.InputPortSpec;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.core.model.QualityRule;
import dev.meshwork.core.model.Role;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.core.model.Server;
import dev.meshwork.core.model.SlaProperty;
import dev.meshwork.core.model.Team;
import dev.meshwork.core.model.TeamMember;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Writes the model back to YAML: modelled fields first, then the kept unknown fields. */
public final class DescriptorWriter {
  private DescriptorWriter() {}

  /** The product as ODPS YAML, in the layout of the file it was loaded from when known. */
  public static String productToYaml(DataProduct p) {
    Map<String, Object> canonical = productMap(p);
    return YamlLayout.text(p.source())
        .flatMap(text -> YamlLayout.write(canonical, text))
        .filter(
            text ->
                readsBack(
                    canonical,
                    () -> productMap(DescriptorReader.productFromText(p.source(), text, p))))
        .orElseGet(() -> dump(canonical));
  }

  private static Map<String, Object> productMap(DataProduct p) {
    return new Out()
        .put("apiVersion", p.apiVersion())
        .put("kind", p.kind())
        .put("id", p.id())
        .put("name", p.name())
        .put("version", p.version())
        .put("status", p.status())
        .put("domain", p.domain())
        .put("tenant", p.tenant())
        .put("description", description(p.description()))
        .put("tags", p.tags())
        .put(
            "authoritativeDefinitions",
            list(p.authoritativeDefinitions(), DescriptorWriter::authDef))
        .put("customProperties", list(p.customProperties(), DescriptorWriter::customProperty))
        .put("inputPorts", list(p.inputPorts(), DescriptorWriter::inputPort))
        .put("outputPorts", list(p.outputPorts(), DescriptorWriter::outputPort))
        .put("managementPorts", p.managementPorts())
        .put("support", p.support())
        .put("team", team(p.team()))
        .put("productCreatedTs", YamlLayout.Timestamp.of(p.productCreatedTs()))
        .rest(p.extensions());
  }

  /** The contract as ODCS YAML, in the layout of the file it was loaded from when known. */
  public static String contractToYaml(DataContract c) {
    Map<String, Object> canonical = contractMap(c);
    return YamlLayout.text(c.source())
        .flatMap(text -> YamlLayout.write(canonical, text))
        .filter(
            text ->
                readsBack(
                    canonical,
                    () -> contractMap(DescriptorReader.contractFromText(c.source(), text))))
        .orElseGet(() -> dump(canonical));
  }

  /** The contract as ODCS YAML in the canonical layout: one text for one set of values. */
  public static String contractToCanonicalYaml(DataContract c) {
    return dump(contractMap(c));
  }

  /** Whether the text written in the author's layout reads back as the values to write. */
  private static boolean readsBack(
      Map<String, Object> canonical, java.util.function.Supplier<Map<String, Object>> reread) {
    try {
      return YamlLayout.same(canonical, reread.get());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Map<String, Object> contractMap(DataContract c) {
    return new Out()
        .put("apiVersion", c.apiVersion())
        .put("kind", c.kind())
        .put("id", c.id())
        .put("name", c.name())
        .put("version", c.version())
        .put("status", c.status())
        .put("tenant", c.tenant())
        .put("domain", c.domain())
        .put("dataProduct", c.dataProduct())
        .put("description", description(c.description()))
        .put("tags", c.tags())
        .put("schema", list(c.schema(), DescriptorWriter::schemaObject))
        .put("servers", list(c.servers(), DescriptorWriter::server))
        .put("team", team(c.team()))
        .put("roles", list(c.roles(), DescriptorWriter::role))
        .put("slaDefaultElement", c.slaDefaultElement())
        .put("slaProperties", list(c.slaProperties(), DescriptorWriter::sla))
        .put("support", c.support())
        .put("price", c.price())
        .put(
            "authoritativeDefinitions",
            list(c.authoritativeDefinitions(), DescriptorWriter::authDef))
        .put("customProperties", list(c.customProperties(), DescriptorWriter::customProperty))
        .put("contractCreatedTs", YamlLayout.Timestamp.of(c.contractCreatedTs()))
        .rest(c.extensions());
  }

  private static String dump(Map<String, Object> m) {
    return YamlLayout.yaml().dump(m);
  }

  /** An ordered map that skips absent and empty values. */
  private static final class Out {
    private final Map<String, Object> map = new LinkedHashMap<>();

    Out put(String key, Object value) {
      if (value == null
          || (value instanceof Collection<?> c && c.isEmpty())
          || (value instanceof Map<?, ?> m && m.isEmpty())) {
        return this;
      }
      map.put(key, value);
      return this;
    }

    Out flag(String key, boolean value) {
      return value ? put(key, Boolean.TRUE) : this;
    }

    Out position(String key, int value) {
      return value == -1 ? this : put(key, value);
    }

    Map<String, Object> rest(Map<String, Object> extensions) {
      extensions.forEach(map::putIfAbsent);
      return map;
    }
  }

  private static <T> List<Object> list(List<T> items, Function<T, Object> f) {
    return items.stream().map(f).toList();
  }

  private static Object description(Description d) {
    if (d == null) {
      return null;
    }
    return new Out()
        .put("purpose", d.purpose())
        .put("limitations", d.limitations())
        .put("usage", d.usage())
        .put(
            "authoritativeDefinitions",
            list(d.authoritativeDefinitions(), DescriptorWriter::authDef))
        .put("customProperties", list(d.customProperties(), DescriptorWriter::customProperty))
        .rest(d.extensions());
  }

  private static Object authDef(AuthoritativeDefinition a) {
    return new Out()
        .put("type", a.type())
        .put("url", a.url())
        .put("description", a.description())
        .rest(a.extensions());
  }

  private static Object customProperty(CustomProperty c) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (c.id() != null) {
      m.put("id", c.id());
    }
    if (c.property() != null) {
      m.put("property", c.property());
    }
    if (c.value() != null) {
      m.put("value", c.value());
    }
    if (c.description() != null) {
      m.put("description", c.description());
    }
    return m;
  }

  private static Object inputPort(InputPortSpec p) {
    return new Out()
        .put("name", p.name())
        .put("version", p.version())
        .put("contractId", p.contractId())
        .put("tags", p.tags())
        .put("customProperties", list(p.customProperties(), DescriptorWriter::customProperty))
        .put(
            "authoritativeDefinitions",
            list(p.authoritativeDefinitions(), DescriptorWriter::authDef))
        .rest(p.extensions());
  }

  private static Object outputPort(OutputPortSpec p) {
    return new Out()
        .put("name", p.name())
        .put("description", p.description())
        .put("type", p.type())
        .put("version", p.version())
        .put("contractId", p.contractId())
        .put("sbom", p.sbom())
        .put("inputContracts", p.inputContracts())
        .put("tags", p.tags())
        .put("customProperties", list(p.customProperties(), DescriptorWriter::customProperty))
        .put(
            "authoritativeDefinitions",
            list(p.authoritativeDefinitions(), DescriptorWriter::authDef))
        .rest(p.extensions());
  }

  private static Object team(Team t) {
    if (t == null) {
      return null;
    }
    if (t.memberListOnly()) {
      return list(t.members(), DescriptorWriter::member);
    }
    return new Out()
        .put("id", t.id())
        .put("name", t.name())
        .put("description", t.description())
        .put("members", list(t.members(), DescriptorWriter::member))
        .put("tags", t.tags())
        .put("customProperties", list(t.customProperties(), DescriptorWriter::customProperty))
        .put(
            "authoritativeDefinitions",
            list(t.authoritativeDefinitions(), DescriptorWriter::authDef))
        .rest(t.extensions());
  }

  private static Object member(TeamMember m) {
    return new Out()
        .put("id", m.id())
        .put("username", m.username())
        .put("name", m.name())
        .put("description", m.description())
        .put("role", m.role())
        .put("dateIn", YamlLayout.Timestamp.of(m.dateIn()))
        .put("dateOut", YamlLayout.Timestamp.of(m.dateOut()))
        .put("replacedByUsername", m.replacedByUsername())
        .put("tags", m.tags())
        .put("customProperties", list(m.customProperties(), DescriptorWriter::customProperty))
        .put(
            "authoritativeDefinitions",
            list(m.authoritativeDefinitions(), DescriptorWriter::authDef))
        .rest(m.extensions());
  }

  private static Object schemaObject(SchemaObject o) {
    return new Out()
        .put("id", o.id())
        .put("name", o.name())
        .put("physicalName", o.physicalName())
        .put("physicalType", o.physicalType())
        .put("description", o.description())
        .put("businessName", o.businessName())
        .put("logicalType", o.logicalType())
        .put("dataGranularityDescription", o.dataGranularityDescription())
        .put("properties", list(o.properties(), DescriptorWriter::property))
        .put("quality", list(o.quality(), DescriptorWriter::quality))
        .put("relationships", o.relationships())
        .put("tags", o.tags())
        .put(
            "authoritativeDefinitions",
            list(o.authoritativeDefinitions(), DescriptorWriter::authDef))
        .put("customProperties", list(o.customProperties(), DescriptorWriter::customProperty))
        .rest(o.extensions());
  }

  private static Object property(SchemaProperty p) {
    return new Out()
        .put("id", p.id())
        .put("name", p.name())
        .put("physicalName", p.physicalName())
        .put("physicalType", p.physicalType())
        .put("description", p.description())
        .put("businessName", p.businessName())
        .put("logicalType", p.logicalType() == null ? null : p.logicalType().descriptorName())
        .put("logicalTypeOptions", p.logicalTypeOptions())
        .flag("required", p.required())
        .flag("unique", p.unique())
        .flag("primaryKey", p.primaryKey())
        .position("primaryKeyPosition", p.primaryKeyPosition())
        .flag("partitioned", p.partitioned())
        .position("partitionKeyPosition", p.partitionKeyPosition())
        .put("classification", p.classification())
        .put("encryptedName", p.encryptedName())
        .flag("criticalDataElement", p.criticalDataElement())
        .put("transformSourceObjects", p.transformSourceObjects())
        .put("transformLogic", p.transformLogic())
        .put("transformDescription", p.transformDescription())
        .put("examples", p.examples())
        .put("properties", list(p.properties(), DescriptorWriter::property))
        .put("items", p.items() == null ? null : property(p.items()))
        .put("quality", list(p.quality(), DescriptorWriter::quality))
        .put("relationships", p.relationships())
        .put("tags", p.tags())
        .put(
            "authoritativeDefinitions",
            list(p.authoritativeDefinitions(), DescriptorWriter::authDef))
        .put("customProperties", list(p.customProperties(), DescriptorWriter::customProperty))
        .rest(p.extensions());
  }

  private static Object quality(QualityRule q) {
    return new Out()
        .put("id", q.id())
        .put("name", q.name())
        .put("description", q.description())
        .put("type", q.type())
        .put("metric", q.metric())
        .put("arguments", q.arguments())
        .put(
            q.comparison() == null ? "mustBe" : q.comparison().operator().key(),
            q.comparison() == null ? null : q.comparison().operand())
        .put("unit", q.unit())
        .put("severity", q.severity())
        .put("dimension", q.dimension())
        .put("businessImpact", q.businessImpact())
        .put("method", q.method())
        .put("schedule", q.schedule())
        .put("scheduler", q.scheduler())
        .put("query", q.query())
        .put("engine", q.engine())
        .put("implementation", q.implementation())
        .put("tags", q.tags())
        .put(
            "authoritativeDefinitions",
            list(q.authoritativeDefinitions(), DescriptorWriter::authDef))
        .put("customProperties", list(q.customProperties(), DescriptorWriter::customProperty))
        .rest(q.extensions());
  }

  private static Object server(Server s) {
    return new Out()
        .put("id", s.id())
        .put("server", s.server())
        .put("type", s.type())
        .put("description", s.description())
        .put("environment", s.environment())
        .put("roles", list(s.roles(), DescriptorWriter::role))
        .put("customProperties", list(s.customProperties(), DescriptorWriter::customProperty))
        .rest(s.properties());
  }

  private static Object role(Role r) {
    return new Out()
        .put("id", r.id())
        .put("role", r.role())
        .put("description", r.description())
        .put("access", r.access())
        .put("firstLevelApprovers", r.firstLevelApprovers())
        .put("secondLevelApprovers", r.secondLevelApprovers())
        .put("customProperties", list(r.customProperties(), DescriptorWriter::customProperty))
        .rest(r.extensions());
  }

  private static Object sla(SlaProperty s) {
    return new Out()
        .put("id", s.id())
        .put("property", s.property())
        .put("value", s.value())
        .put("valueExt", s.valueExt())
        .put("unit", s.unit())
        .put("element", s.element())
        .put("driver", s.driver())
        .put("description", s.description())
        .put("scheduler", s.scheduler())
        .put("schedule", s.schedule())
        .rest(s.extensions());
  }
}
