package dev.meshwork.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.DescriptorSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Every field the official JSON schemas allow is accepted where they allow it: documents are
 * generated from each shipped schema with every property at every level (each branch of a {@code
 * oneOf}/{@code anyOf}, each {@code if/then} case and each allowed type in turn, one variant per
 * document); those the schema itself accepts must load, and write back with every key in place.
 */
class SchemaFieldsTest {
  private static final int VARIANTS = 60;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "odcs-v3.0.0, v3.0.0",
    "odcs-v3.0.1, v3.0.1",
    "odcs-v3.0.2, v3.0.2",
    "odcs-v3.1.0, v3.1.0",
    "odps-v0.9.0, v0.9.0",
    "odps-v1.0.0, v1.0.0"
  })
  void everyFieldTheSchemaAllowsLoadsAndIsWrittenBack(String schemaName, String apiVersion)
      throws IOException {
    JsonNode schema;
    try (InputStream in =
        getClass().getResourceAsStream("/dev/meshwork/core/schemas/" + schemaName + ".json")) {
      schema = new ObjectMapper().readTree(in);
    }
    boolean product = schemaName.startsWith("odps");
    Set<String> allowed = new LinkedHashSet<>();
    Set<String> covered = new LinkedHashSet<>();
    int valid = 0;
    for (int variant = 0; variant < VARIANTS; variant++) {
      Generator g = new Generator(schema, variant, allowed);
      @SuppressWarnings("unchecked")
      Map<String, Object> doc = (Map<String, Object>) g.value(schema, "", 0);
      doc.put("apiVersion", apiVersion);
      Path file = dir.resolve(schemaName + "-" + variant + ".yaml");
      String text = dump(doc);
      Files.writeString(file, text);
      var findings = DescriptorSchemas.check(file);
      if (!findings.isEmpty()) {
        if (System.getProperty("schema.debug") != null) {
          findings.stream().limit(4).forEach(f -> System.out.println("  " + f));
        }
        continue; // the generator made something the schema refuses: nothing to hold us to
      }
      valid++;
      String written;
      if (product) {
        DataProduct p = DataProduct.load(file);
        written = p.toYaml();
      } else {
        DataContract c = DataContract.load(file);
        written = c.toYaml();
      }
      assertThat(DescriptorRoundTripTest.keys(written))
          .as("keys of %s written back", file.getFileName())
          .isEqualTo(DescriptorRoundTripTest.keys(text));
      covered.addAll(g.used);
    }
    Set<String> missed = new LinkedHashSet<>(allowed);
    missed.removeAll(covered);
    System.out.printf(
        "%s: %d of %d generated documents valid; %d of %d schema properties covered%s%n",
        schemaName,
        valid,
        VARIANTS,
        allowed.size() - missed.size(),
        allowed.size(),
        missed.isEmpty() ? "" : "; not covered: " + missed);
    assertThat(valid).isGreaterThanOrEqualTo(VARIANTS / 4);
    assertThat(missed).as("schema properties no valid document had").isEmpty();
  }

  private static String dump(Map<String, Object> doc) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setSplitLines(false);
    return new Yaml(options).dump(doc);
  }

  /** Builds one document from a JSON schema, choosing branches by the variant number. */
  private static final class Generator {
    private static final int MAX_DEPTH = 11;
    private final JsonNode root;
    private final int variant;
    private final Set<String> allowed;
    private final Set<String> used = new LinkedHashSet<>();
    private int choices;
    private int numbers;

    Generator(JsonNode root, int variant, Set<String> allowed) {
      this.root = root;
      this.variant = variant;
      this.allowed = allowed;
    }

    /** A choice among {@code n}, different per site and per variant. */
    private int choose(int n) {
      choices++;
      return Math.floorMod(variant * 7 + choices * 3 + variant * choices, n);
    }

    private JsonNode resolve(JsonNode s) {
      while (s.has("$ref")) {
        String ref = s.get("$ref").asText();
        JsonNode target = root;
        for (String part : ref.substring(2).split("/")) {
          target = target.get(part.replace("~1", "/").replace("~0", "~"));
        }
        s = target;
      }
      return s;
    }

    Object value(JsonNode schema, String path, int depth) {
      JsonNode s = resolve(schema);
      if (s.has("const")) {
        return plain(s.get("const"));
      }
      if (s.has("enum")) {
        JsonNode e = s.get("enum");
        return plain(e.get(choose(e.size())));
      }
      for (String alternatives : List.of("oneOf", "anyOf")) {
        if (s.has(alternatives)) {
          JsonNode branch = s.get(alternatives).get(choose(s.get(alternatives).size()));
          JsonNode merged = merge(s, branch, alternatives);
          return value(merged, path, depth);
        }
      }
      String type = type(s);
      switch (type) {
        case "object":
          return object(s, path, depth);
        case "array":
          {
            List<Object> list = new ArrayList<>();
            int n = Math.max(1, s.path("minItems").asInt(1));
            for (int i = 0; i < n && (depth < MAX_DEPTH || i < s.path("minItems").asInt(0)); i++) {
              Object item =
                  value(s.has("items") ? s.get("items") : empty(), path + "[]", depth + 1);
              if (item != SKIP) {
                list.add(item);
              }
            }
            return list;
          }
        case "integer":
          return Math.max(1, s.path("minimum").asLong(1)) + numbers++;
        case "number":
          return Math.max(1.5, s.path("minimum").asDouble(1.5)) + numbers++;
        case "boolean":
          return choose(2) == 0;
        case "null":
          return null;
        default:
          return string(s, path);
      }
    }

    private static JsonNode empty() {
      return new ObjectMapper().createObjectNode();
    }

    /** The schema with a branch's keywords laid over it (without the alternatives keyword). */
    private JsonNode merge(JsonNode base, JsonNode branch, String without) {
      var out = ((com.fasterxml.jackson.databind.node.ObjectNode) base.deepCopy());
      out.remove(without);
      JsonNode b = resolve(branch);
      b.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("properties") && out.has("properties")) {
                  var props =
                      (com.fasterxml.jackson.databind.node.ObjectNode) out.get("properties");
                  e.getValue()
                      .fields()
                      .forEachRemaining(
                          p ->
                              props.set(p.getKey(), narrowed(props.get(p.getKey()), p.getValue())));
                } else if (e.getKey().equals("required") && out.has("required")) {
                  ((com.fasterxml.jackson.databind.node.ArrayNode) out.get("required"))
                      .addAll((com.fasterxml.jackson.databind.node.ArrayNode) e.getValue());
                } else {
                  out.set(e.getKey(), e.getValue());
                }
              });
      return out;
    }

    /**
     * A property's schema where a branch narrows it to a type ({@code from: {type: string}} over
     * {@code from: {oneOf: [references, array]}}): the alternatives of that type; otherwise the
     * branch's schema.
     */
    private JsonNode narrowed(JsonNode old, JsonNode narrowing) {
      if (old == null || !narrowing.has("type") || narrowing.has("$ref")) {
        return narrowing;
      }
      JsonNode o = resolve(old);
      for (String alternatives : List.of("oneOf", "anyOf")) {
        if (o.has(alternatives)) {
          var kept = new ObjectMapper().createArrayNode();
          for (JsonNode b : o.get(alternatives)) {
            if (typeOf(resolve(b)).equals(narrowing.get("type").asText())) {
              kept.add(b);
            }
          }
          if (!kept.isEmpty()) {
            var out = (com.fasterxml.jackson.databind.node.ObjectNode) o.deepCopy();
            out.set(alternatives, kept);
            return out;
          }
        }
      }
      return narrowing;
    }

    /** The type a schema's values have, looking through alternatives to the first one's. */
    private String typeOf(JsonNode s) {
      if (s.has("type") && s.get("type").isTextual()) {
        return s.get("type").asText();
      }
      for (String alternatives : List.of("oneOf", "anyOf")) {
        if (s.has(alternatives)) {
          return typeOf(resolve(s.get(alternatives).get(0)));
        }
      }
      return s.has("pattern") ? "string" : "";
    }

    private String type(JsonNode s) {
      JsonNode t = s.get("type");
      if (t == null) {
        return s.has("properties") ? "object" : s.has("items") ? "array" : "string";
      }
      if (t.isArray()) {
        List<String> types = new ArrayList<>();
        t.forEach(x -> types.add(x.asText()));
        types.remove("null");
        return types.get(choose(types.size()));
      }
      return t.asText();
    }

    private Object object(JsonNode schema, String path, int depth) {
      JsonNode s = schema;
      Map<String, Object> forced = new LinkedHashMap<>();
      // if/then parts grouped by the property their condition tests: one case of each is taken.
      Map<String, List<JsonNode>> cases = new LinkedHashMap<>();
      Set<String> forbidden = new LinkedHashSet<>();
      boolean changed = true;
      while (changed) {
        changed = false;
        // allOf: every part applies (parts may bring more allOf, oneOf or if/then: go round).
        if (s.has("allOf") || s.has("if")) {
          List<JsonNode> parts = new ArrayList<>();
          s.path("allOf").forEach(parts::add);
          if (s.has("if")) {
            var ifThen = new ObjectMapper().createObjectNode();
            ifThen.set("if", s.get("if"));
            if (s.has("then")) {
              ifThen.set("then", s.get("then"));
            }
            parts.add(ifThen);
          }
          var rest = (com.fasterxml.jackson.databind.node.ObjectNode) s.deepCopy();
          rest.remove(List.of("allOf", "if", "then", "else"));
          s = rest;
          for (JsonNode part : parts) {
            JsonNode p = resolve(part);
            if (p.has("if")) {
              JsonNode condition = condition(p.get("if"));
              if (condition.size() == 1) {
                cases.computeIfAbsent(condition.fieldNames().next(), k -> new ArrayList<>()).add(p);
              }
            } else if (p.has("not")) {
              p.get("not").path("required").forEach(r -> forbidden.add(r.asText()));
            } else {
              s = merge(s, p, "allOf");
            }
          }
          changed = true;
        }
        // oneOf/anyOf: one branch; with oneOf, what only the other branches require is left out,
        // so that exactly one branch holds.
        for (String alternatives : List.of("oneOf", "anyOf")) {
          if (s.has(alternatives)) {
            JsonNode branches = s.get(alternatives);
            JsonNode branch = resolve(branches.get(choose(branches.size())));
            if (alternatives.equals("oneOf")) {
              Set<String> mine = new LinkedHashSet<>();
              branch.path("required").forEach(r -> mine.add(r.asText()));
              for (int i = 0; i < branches.size(); i++) {
                resolve(branches.get(i))
                    .path("required")
                    .forEach(
                        r -> {
                          if (!mine.contains(r.asText())) {
                            forbidden.add(r.asText());
                          }
                        });
              }
            }
            s = merge(s, branch, alternatives);
            changed = true;
          }
        }
        // The if/then cases found so far: one of each; a case's then may bring more to lay over.
        for (Map.Entry<String, List<JsonNode>> e : cases.entrySet()) {
          JsonNode p = e.getValue().get(choose(e.getValue().size()));
          JsonNode c = condition(p.get("if")).get(e.getKey());
          Object v =
              c.has("const")
                  ? plain(c.get("const"))
                  : c.has("enum") ? plain(c.get("enum").get(choose(c.get("enum").size()))) : null;
          if (v != null) {
            forced.put(e.getKey(), v);
            if (p.has("then")) {
              s = merge(s, p.get("then"), "if");
            }
          }
        }
        if (!cases.isEmpty()) {
          cases.clear();
          changed = true;
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      JsonNode properties = s.path("properties");
      Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
      Set<String> required = new LinkedHashSet<>();
      s.path("required").forEach(r -> required.add(r.asText()));
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        String at = path + "." + key;
        if (forbidden.contains(key)) {
          continue;
        }
        allowed.add(field(path, key));
        JsonNode field = resolve(e.getValue());
        boolean nested =
            field.has("properties")
                || field.has("items")
                || List.of("object", "array").contains(typeOf(field));
        if (depth >= MAX_DEPTH && !required.contains(key) && nested) {
          continue;
        }
        Object v = forced.containsKey(key) ? forced.get(key) : value(e.getValue(), at, depth + 1);
        if (v == SKIP) {
          continue;
        }
        out.put(key, v);
        used.add(field(path, key));
      }
      forced.forEach(out::putIfAbsent);
      return out;
    }

    private static final Object SKIP = new Object();

    /** A field as "parent.key" (quality.engine, servers.location): one per kind of object. */
    private static String field(String path, String key) {
      String parent = path.replaceAll("\\[\\]", "");
      parent = parent.substring(parent.lastIndexOf('.') + 1);
      return (parent.isEmpty() ? "(top)" : parent) + "." + key;
    }

    /** The properties an if tests: its own, or those of the first case of an if's anyOf. */
    private static JsonNode condition(JsonNode test) {
      JsonNode properties = test.path("properties");
      if (properties.size() == 0 && test.has("anyOf")) {
        properties = test.get("anyOf").get(0).path("properties");
      }
      return properties;
    }

    private Object string(JsonNode s, String path) {
      String format = s.path("format").asText("");
      String value =
          switch (format) {
            case "date-time" -> "2024-03-01T10:00:00Z";
            case "date" -> "2024-03-01";
            case "uri", "uri-reference", "iri" -> "https://example.com/" + path.replace('.', '/');
            case "email" -> "ada@example.com";
            default -> "text" + Math.abs(path.hashCode() % 1000);
          };
      if (s.has("pattern")) {
        Pattern p = Pattern.compile(s.get("pattern").asText());
        for (String candidate :
            List.of(
                s.path("examples").path(0).asText(value),
                value,
                "sftp://host/data/*.csv",
                "1.0.0",
                "v1.0.0",
                "abc",
                "a1",
                "x-a",
                "ab_cd",
                "1",
                "P1D",
                "1d",
                "orders.id",
                "schema/orders/properties/id")) {
          if (p.matcher(candidate).find()) {
            return candidate;
          }
        }
        return SKIP;
      }
      return value;
    }

    private static Object plain(JsonNode n) {
      if (n.isTextual()) {
        return n.asText();
      }
      if (n.isBoolean()) {
        return n.asBoolean();
      }
      if (n.isIntegralNumber()) {
        return n.asLong();
      }
      if (n.isNumber()) {
        return n.asDouble();
      }
      return n.isNull() ? null : n.toString();
    }
  }
}
