package dev.meshwork.core.internal.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.meshwork.core.DescriptorException;
import dev.meshwork.core.model.SchemaFinding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Validates a descriptor against the shipped JSON schema of its kind and {@code apiVersion}, and
 * places each finding at the line and column of the value it concerns. The validator is an optional
 * dependency: nothing here loads it until a check runs.
 */
public final class SchemaCheck {
  private static final String VALIDATOR = "com.networknt.schema.JsonSchemaFactory";
  private static final Map<String, Object> SCHEMAS = new ConcurrentHashMap<>();

  private SchemaCheck() {}

  /** Whether the validator is on the class path. */
  public static boolean available() {
    try {
      Class.forName(VALIDATOR, false, SchemaCheck.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** The findings of a file, in file order. */
  public static List<SchemaFinding> check(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DescriptorException(file, 0, 0, "Cannot read descriptor: " + e.getMessage(), e);
    }
    return check(file, text);
  }

  /** The findings of a file's text, in file order. */
  public static List<SchemaFinding> check(Path file, String text) {
    if (!available()) {
      throw new IllegalStateException(
          "Cannot check "
              + file
              + " against its JSON schema: the validator is not on the class path. Add"
              + " com.networknt:json-schema-validator (1.5.x) to the project.");
    }
    Node root = YamlLimits.compose(file, text, "descriptor");
    if (!(root instanceof MappingNode)) {
      return List.of();
    }
    Object plain = YamlDocument.plain(root);
    Map<?, ?> top = (Map<?, ?>) plain;
    String schema = schemaName(top.get("kind"), top.get("apiVersion"));
    if (schema == null
        || SchemaCheck.class.getResource("/dev/meshwork/core/schemas/" + schema) == null) {
      return List.of();
    }
    return Validator.findings(file, root, plain, schema);
  }

  private static String schemaName(Object kind, Object apiVersion) {
    if (apiVersion == null) {
      return null;
    }
    if ("DataContract".equals(kind)) {
      return "odcs-" + apiVersion + ".json";
    }
    if ("DataProduct".equals(kind)) {
      return "odps-" + apiVersion + ".json";
    }
    return null;
  }

  /** The parts that use the validator's classes, loaded only when a check runs. */
  private static final class Validator {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<SchemaFinding> findings(Path file, Node root, Object plain, String name) {
      JsonSchema schema = (JsonSchema) SCHEMAS.computeIfAbsent(name, Validator::load);
      JsonNode instance = MAPPER.valueToTree(plain);
      Set<SchemaFinding> out = new LinkedHashSet<>();
      for (ValidationMessage m : schema.validate(instance)) {
        JsonNodePath at = m.getInstanceLocation();
        Node node = locate(root, at);
        String path = path(at);
        out.add(
            new SchemaFinding(
                file,
                node.getStartMark().getLine() + 1,
                node.getStartMark().getColumn() + 1,
                path.isEmpty() ? "(top level)" : path,
                message(m)));
      }
      List<SchemaFinding> sorted = new ArrayList<>(out);
      // A subschema that fails drops what it evaluated, so every property of the object it judged
      // turns "unevaluated" too: keep the failure, not its echoes.
      sorted.removeIf(
          f ->
              f.message().contains("not evaluated")
                  && out.stream()
                      .anyMatch(
                          o ->
                              !o.message().contains("not evaluated")
                                  && (o.path().equals(f.path())
                                      || o.path().startsWith(f.path() + ".")
                                      || o.path().startsWith(f.path() + "["))));
      sorted = alternatives(sorted);
      sorted.sort(
          Comparator.comparingInt(SchemaFinding::line)
              .thenComparingInt(SchemaFinding::column)
              .thenComparing(SchemaFinding::message));
      return sorted;
    }

    /**
     * A {@code oneOf}/{@code anyOf} that no branch meets reports each branch's missing property;
     * they become one finding that names the alternatives.
     */
    private static List<SchemaFinding> alternatives(List<SchemaFinding> findings) {
      java.util.regex.Pattern required =
          java.util.regex.Pattern.compile("required property '([^']+)' not found");
      List<SchemaFinding> out = new ArrayList<>();
      Map<String, List<String>> missing = new java.util.LinkedHashMap<>();
      Map<String, SchemaFinding> choice = new java.util.LinkedHashMap<>();
      for (SchemaFinding f : findings) {
        if (f.message().contains("must be valid to one and only one schema")
            || f.message().contains("must be valid to at least one schema")) {
          choice.put(f.path(), f);
        }
      }
      for (SchemaFinding f : findings) {
        java.util.regex.Matcher m = required.matcher(f.message());
        if (choice.containsKey(f.path()) && m.matches()) {
          missing.computeIfAbsent(f.path(), k -> new ArrayList<>()).add(m.group(1));
        } else {
          out.add(f);
        }
      }
      missing.forEach(
          (path, names) -> {
            SchemaFinding c = choice.get(path);
            out.remove(c);
            out.add(
                new SchemaFinding(
                    c.file(),
                    c.line(),
                    c.column(),
                    path,
                    names.size() == 1
                        ? "required property '" + names.get(0) + "' not found"
                        : "needs one of " + String.join(", ", names)));
          });
      return out;
    }

    private static Object load(String name) {
      try (InputStream in =
          SchemaCheck.class.getResourceAsStream("/dev/meshwork/core/schemas/" + name)) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(text);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the shipped schema " + name, e);
      }
    }

    /** The node a path names, or the deepest one of its prefix that exists. */
    private static Node locate(Node root, JsonNodePath path) {
      Node at = root;
      for (int i = 0; i < path.getNameCount(); i++) {
        Object element = path.getElement(i);
        Node next = null;
        if (at instanceof MappingNode m && element instanceof String key) {
          for (NodeTuple t : m.getValue()) {
            if (key.equals(YamlDocument.scalarText(t.getKeyNode()))) {
              next = t.getValueNode();
              break;
            }
          }
        } else if (at instanceof SequenceNode s
            && element instanceof Integer index
            && index < s.getValue().size()) {
          next = s.getValue().get(index);
        }
        if (next == null) {
          break;
        }
        at = next;
      }
      return at;
    }

    /** {@code schema[0].properties[2].name}, as the loader's messages name places. */
    private static String path(JsonNodePath path) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < path.getNameCount(); i++) {
        Object element = path.getElement(i);
        if (element instanceof Integer index) {
          b.append('[').append(index).append(']');
        } else {
          if (b.length() > 0) {
            b.append('.');
          }
          b.append(element);
        }
      }
      return b.toString();
    }

    /** The validator's message without the location it starts with. */
    private static String message(ValidationMessage m) {
      String text = m.getMessage();
      int colon = text.indexOf(": ");
      return text.startsWith("$") && colon > 0 ? text.substring(colon + 2) : text;
    }
  }
}
