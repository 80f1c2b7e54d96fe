package dev.meshwork.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.policy.internal.CelToSql;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.TableAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the built-in READ grants as a Rego policy and {@code data.json} for Trino's OPA access
 * control, so a query engine reading the products' Iceberg tables enforces the same rules as the
 * SDK.
 *
 * <p>Mapping: a product's output port is Trino table {@code CATALOG."domain.product".port}; {@code
 * user:X} and {@code service:X} are Trino user X, {@code group:G} a Trino group or a member of
 * {@code directory.groups}; masks become SQL column masks ({@code hash} salted with the grant id,
 * {@code truncate} as {@code substr}, {@code redact} as {@code '****'}, {@code null} as a typed
 * NULL); row filters in the shared subset of CEL become SQL. Grants Trino cannot check faithfully —
 * purposes, CEL conditions, row filters outside that subset — are left out and listed under {@code
 * skipped} with the reason, so an export never grants more than the SDK does. A usage contract that
 * binds a consumer to purposes, or whose window is over, keeps that consumer out in Trino.
 */
public final class TrinoOpaExport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String rego;
  private final Map<String, Object> data;

  private TrinoOpaExport(String rego, Map<String, Object> data) {
    this.rego = rego;
    this.data = data;
  }

  /** Renders the policies for the products' output tables in the Trino catalog {@code catalog}. */
  public static TrinoOpaExport render(
      PolicySet policies, List<DataProduct> products, String catalog) {
    Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
    Map<String, List<SchemaProperty>> columns = new LinkedHashMap<>();
    for (DataProduct p : products) {
      for (OutputPortSpec port : p.outputPorts()) {
        List<String> name =
            new TableAddress(p.domain(), p.displayName(), port.name()).conventionalName();
        String key = name.get(0) + "." + name.get(1) + "." + name.get(2);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("product", p.id());
        t.put("port", port.name());
        t.put("contract", port.contractId());
        tables.put(key, t);
        List<SchemaProperty> props = new ArrayList<>();
        p.contract(port.contractId())
            .map(DataContract::schema)
            .ifPresent(objects -> objects.forEach(o -> props.addAll(o.properties())));
        columns.put(key, props);
      }
    }
    List<Map<String, Object>> grants = new ArrayList<>();
    List<Map<String, Object>> skipped = new ArrayList<>();
    for (Grant g : policies.grants()) {
      if (!g.actions().contains(Action.READ)) {
        continue;
      }
      Optional<String> why = untranslatable(g);
      if (why.isPresent()) {
        skipped.add(Map.of("grant", g.id(), "reason", why.get()));
        continue;
      }
      List<String> granted = new ArrayList<>();
      Map<String, Map<String, Object>> masks = new LinkedHashMap<>();
      tables.forEach(
          (key, t) -> {
            boolean product =
                g.products().isEmpty()
                    || g.products().contains(String.valueOf(t.get("product")))
                    || products.stream()
                        .anyMatch(
                            p ->
                                p.id().equals(t.get("product"))
                                    && g.products().contains(p.displayName()));
            if (product
                && (g.ports().isEmpty() || g.ports().contains(String.valueOf(t.get("port"))))
                && (g.contracts().isEmpty()
                    || g.contracts().contains(String.valueOf(t.get("contract"))))) {
              granted.add(key);
              Map<String, Object> tableMasks = masks(g, columns.get(key));
              if (!tableMasks.isEmpty()) {
                masks.put(key, tableMasks);
              }
            }
          });
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", g.id());
      out.put("principals", List.copyOf(g.principals()));
      out.put("tables", granted);
      out.put("masks", masks);
      if (g.rowFilter() != null) {
        out.put("rowFilter", CelToSql.translate(g.rowFilter()).orElseThrow());
      }
      grants.add(out);
    }
    List<Map<String, Object>> usage = new ArrayList<>();
    for (UsageContract uc : policies.usageContracts()) {
      Map<String, Object> u = new LinkedHashMap<>();
      u.put("id", uc.id());
      u.put("consumers", List.copyOf(uc.consumers()));
      u.put("contracts", List.copyOf(uc.contracts()));
      u.put("purposes", List.copyOf(uc.purposes()));
      if (uc.validFrom() != null) {
        u.put("validFrom", uc.validFrom().toString());
      }
      if (uc.validUntil() != null) {
        u.put("validUntil", uc.validUntil().toString());
      }
      usage.add(u);
    }
    Map<String, Object> meshwork = new LinkedHashMap<>();
    meshwork.put("revision", policies.revision());
    meshwork.put("catalog", catalog);
    meshwork.put("tables", tables);
    Map<String, Object> groups = new LinkedHashMap<>();
    policies.groups().forEach((k, v) -> groups.put(k, List.copyOf(v)));
    meshwork.put("groups", groups);
    meshwork.put("grants", grants);
    meshwork.put("usageContracts", usage);
    meshwork.put("skipped", skipped);
    return new TrinoOpaExport(regoText(), Map.of("meshwork", meshwork));
  }

  private static Optional<String> untranslatable(Grant g) {
    if (!g.purposes().isEmpty()) {
      return Optional.of(
          "requires purposes " + g.purposes() + ", which Trino queries do not carry");
    }
    if (g.condition() != null) {
      return Optional.of("has a CEL condition (" + g.condition() + ") Trino cannot evaluate");
    }
    if (g.rowFilter() != null && CelToSql.translate(g.rowFilter()).isEmpty()) {
      return Optional.of(
          "row filter '"
              + g.rowFilter()
              + "' uses more than comparisons of row fields with literals");
    }
    return Optional.empty();
  }

  private static Map<String, Object> masks(Grant g, List<SchemaProperty> props) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Grant.MaskRule m : g.masks()) {
      for (SchemaProperty p : props) {
        boolean selected =
            p.name().equals(m.column())
                || m.classification() != null
                    && m.classification().equalsIgnoreCase(String.valueOf(p.classification()))
                || m.tag() != null && p.tags().contains(m.tag());
        if (selected && !out.containsKey(p.name())) {
          String column = "\"" + p.name().replace("\"", "\"\"") + "\"";
          String kind = m.with().toLowerCase(Locale.ROOT);
          String sql =
              switch (kind) {
                case "redact" -> "'****'";
                case "truncate" -> "substr(" + column + ", 1, " + m.length() + ")";
                case "hash" ->
                    "to_hex(sha256(to_utf8(concat('"
                        + g.id().replace("'", "''")
                        + "', chr(0), CAST("
                        + column
                        + " AS varchar)))))";
                default -> null;
              };
          Map<String, Object> mask = new LinkedHashMap<>();
          mask.put("kind", kind);
          if (sql != null) {
            mask.put("sql", sql);
          }
          out.put(p.name(), mask);
        }
      }
    }
    return out;
  }

  private static String regoText() {
    try (InputStream in = TrinoOpaExport.class.getResourceAsStream("meshwork_trino.rego")) {
      if (in == null) {
        throw new IllegalStateException("meshwork_trino.rego is missing from the sdk-policy jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Rego policy (package {@code meshwork.trino}). */
  public String rego() {
    return rego;
  }

  /** The data document, with everything under {@code meshwork}. */
  public Map<String, Object> data() {
    return data;
  }

  /** The data document as JSON. */
  public String dataJson() {
    try {
      return JSON.writeValueAsString(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code meshwork_trino.rego} and {@code data.json} into a folder (an OPA bundle root:
   * load it with {@code opa run --server DIR}).
   */
  public void writeTo(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("meshwork_trino.rego"), rego);
      Files.writeString(dir.resolve("data.json"), dataJson());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write the Trino OPA bundle to " + dir + ": " + e.getMessage(), e);
    }
  }
}
