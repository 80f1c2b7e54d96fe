package dev.meshwork.policy;

import dev.meshwork.core.MaskKey;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.policy.internal.CelToSql;
import dev.meshwork.policy.internal.MaskTargets;
import dev.meshwork.policy.internal.RegoFiles;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.TableAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
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
 * {@code directory.groups}; masks become SQL column masks ({@code hash} as {@code hmac_sha256}
 * under the grant's derived key when rendered with the mask key, {@code truncate} as {@code
 * substr}, {@code redact} as {@code '****'}, a column type a mask cannot keep and {@code null} as a
 * typed NULL; a masked nested field nulls its top-level column); row filters in the shared subset
 * of CEL become SQL. Grants Trino cannot check faithfully — purposes, CEL conditions, row filters
 * outside that subset — are listed under {@code skipped} with the reason; one with a condition or
 * such a row filter still decides where it applies, by keeping its readers out (a later, looser
 * grant would otherwise decide for them), so an export never grants more than the SDK does. A usage
 * contract that binds a consumer to purposes, or whose window is over, keeps that consumer out in
 * Trino.
 */
public final class TrinoOpaExport {
  private final String rego;
  private final Map<String, Object> data;

  private TrinoOpaExport(String rego, Map<String, Object> data) {
    this.rego = rego;
    this.data = data;
  }

  /**
   * Renders the policies for the products' output tables in the Trino catalog {@code catalog},
   * without the mask key: Trino readers of hash-masked columns see NULL.
   */
  public static TrinoOpaExport render(
      PolicySet policies, List<DataProduct> products, String catalog) {
    return render(policies, products, catalog, null);
  }

  /**
   * Renders the policies as {@link #render(PolicySet, List, String)} does, with hash masks keyed as
   * the SDK keys them ({@code hmac_sha256} under the key derived for each grant), so hashes from
   * Trino and from Meshwork readers join. The data document then holds derived keys: keep it as
   * secret as the mask key.
   */
  public static TrinoOpaExport render(
      PolicySet policies, List<DataProduct> products, String catalog, MaskKey maskKey) {
    Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
    Map<String, List<SchemaProperty>> columns = new LinkedHashMap<>();
    for (DataProduct p : products) {
      for (OutputPortSpec port : p.outputPorts()) {
        List<String> name =
            new TableAddress(p.domain(), p.displayName(), p.outputKey(port)).conventionalName();
        String key = name.get(0) + "." + name.get(1) + "." + name.get(2);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("product", p.id());
        t.put("port", p.outputKey(port));
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
        if (!g.purposes().isEmpty()) {
          // Trino queries carry no purpose, so the SDK would pass this grant over too.
          continue;
        }
      }
      // A grant Trino cannot check still stops the search where the SDK might stop: it keeps its
      // readers out rather than let a later, looser grant decide for them.
      boolean barrier = why.isPresent();
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
              Map<String, Object> tableMasks =
                  barrier ? Map.of() : masks(g, columns.get(key), maskKey);
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
      if (barrier) {
        out.put("barrier", why.get());
      } else if (g.rowFilter() != null) {
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
    return new TrinoOpaExport(
        RegoFiles.policy("meshwork_trino.rego"), Map.of("meshwork", meshwork));
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

  /**
   * A table's masks for one grant, by top-level column: {@code kind} and, per Trino column type the
   * mask can keep, {@code sql}; Rego falls back to a typed NULL for any other type. A mask of a
   * nested field nulls its whole top-level column (Trino masks columns, not fields), listed under
   * {@code covers}: stricter than the SDK, never looser.
   */
  private static Map<String, Object> masks(Grant g, List<SchemaProperty> props, MaskKey key) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (MaskTargets.Target t : MaskTargets.targets(g.masks(), props)) {
      if (t.node() == null) {
        continue; // a column rule naming a path this table does not have
      }
      String column = t.node().column();
      String kind = t.rule().with().toLowerCase(Locale.ROOT);
      if (!t.node().topLevel()) {
        Map<String, Object> mask = new LinkedHashMap<>();
        mask.put("kind", "null");
        mask.put("sql", Map.of());
        Object earlier = out.get(column);
        List<String> covers = new ArrayList<>();
        if (earlier instanceof Map<?, ?> e && e.get("covers") instanceof List<?> l) {
          l.forEach(x -> covers.add(String.valueOf(x)));
        }
        covers.add(t.path());
        mask.put("covers", covers);
        out.put(column, mask);
        continue;
      }
      if (out.containsKey(column)) {
        continue;
      }
      Map<String, Object> mask = new LinkedHashMap<>();
      mask.put("kind", kind);
      mask.put("sql", maskSql(kind, quoted(column), t.rule().length(), g, key));
      if ("hash".equals(kind) && key == null) {
        mask.put(
            "note",
            "hash masks need the mesh's mask key to match the SDK; rendered without one, Trino"
                + " readers see NULL");
      }
      out.put(column, mask);
    }
    return out;
  }

  private static String quoted(String column) {
    return "\"" + column.replace("\"", "\"\"") + "\"";
  }

  /** The SQL of a mask for each Trino column type it keeps. */
  private static Map<String, String> maskSql(
      String kind, String column, int length, Grant g, MaskKey key) {
    Map<String, String> sql = new LinkedHashMap<>();
    switch (kind) {
      case "redact" -> sql.put("varchar", "'****'");
      case "truncate" -> sql.put("varchar", "substr(" + column + ", 1, " + length + ")");
      case "hash" -> {
        if (key != null) {
          String hex = HexFormat.of().formatHex(key.derive(MaskTargets.keyScope(g)));
          String digest = "hmac_sha256(to_utf8(%s), from_hex('" + hex + "'))";
          sql.put("varchar", "lower(to_hex(" + digest.formatted(column) + "))");
          String text = "CAST(" + column + " AS varchar)";
          sql.put("bigint", "from_big_endian_64(substr(" + digest.formatted(text) + ", 1, 8))");
          sql.put("integer", "from_big_endian_32(substr(" + digest.formatted(text) + ", 1, 4))");
        }
      }
      default -> {}
    }
    return sql;
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
    return RegoFiles.json(data);
  }

  /**
   * Writes {@code meshwork_trino.rego} and {@code data.json} into a folder (an OPA bundle root:
   * load it with {@code opa run --server DIR}).
   */
  public void writeTo(Path dir) {
    RegoFiles.write(dir, "meshwork_trino.rego", rego, data);
  }
}
