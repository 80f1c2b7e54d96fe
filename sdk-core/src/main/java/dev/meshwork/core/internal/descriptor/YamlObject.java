package dev.meshwork.core.internal.descriptor;

import dev.meshwork.core.DescriptorException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping being bound to a model record. It tracks which keys were read, so that the rest is
 * kept verbatim, and turns every problem into a {@link DescriptorException} with the path, line and
 * column of the offending value.
 */
final class YamlObject {
  private final Path file;
  private final String path;
  private final MappingNode node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> read = new HashSet<>();

  YamlObject(Path file, String path, MappingNode node) {
    this.file = file;
    this.path = path;
    this.node = node;
    for (NodeTuple t : node.getValue()) {
      String key = YamlDocument.scalarText(t.getKeyNode());
      if (entries.putIfAbsent(key, t) != null) {
        throw errorAt(t.getKeyNode(), "Duplicate key '" + key + "'" + where() + ". Keep only one.");
      }
    }
  }

  Path file() {
    return file;
  }

  String path() {
    return path;
  }

  String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private String where() {
    return path.isEmpty() ? "" : " in " + path;
  }

  boolean has(String key) {
    return entries.containsKey(key) && !isNull(entries.get(key).getValueNode());
  }

  Node valueNode(String key) {
    read.add(key);
    NodeTuple t = entries.get(key);
    return t == null || isNull(t.getValueNode()) ? null : t.getValueNode();
  }

  String str(String key) {
    Node n = valueNode(key);
    if (n == null) {
      return null;
    }
    if (!(n instanceof ScalarNode s)) {
      throw errorAt(
          n, childPath(key) + " must be a text value, but is a " + YamlDocument.kindOf(n) + ".");
    }
    return s.getValue();
  }

  String requiredStr(String key, String hint) {
    String v = str(key);
    if (v == null || v.isBlank()) {
      throw errorAt(
          entries.containsKey(key) ? entries.get(key).getValueNode() : node,
          "Missing required field " + childPath(key) + ". " + hint);
    }
    return v;
  }

  boolean bool(String key) {
    Node n = valueNode(key);
    if (n == null) {
      return false;
    }
    if (n instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
      return (Boolean) YamlDocument.plain(s);
    }
    throw errorAt(
        n, childPath(key) + " must be true or false, but is '" + YamlDocument.scalarText(n) + "'.");
  }

  int integer(String key, int defaultValue) {
    Node n = valueNode(key);
    if (n == null) {
      return defaultValue;
    }
    if (n instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
      Object v = YamlDocument.plain(s);
      if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
        return l.intValue();
      }
    }
    throw errorAt(
        n,
        childPath(key) + " must be a whole number, but is '" + YamlDocument.scalarText(n) + "'.");
  }

  Object any(String key) {
    Node n = valueNode(key);
    return n == null ? null : YamlDocument.plain(n);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> map(String key) {
    Node n = valueNode(key);
    if (n == null) {
      return null;
    }
    if (!(n instanceof MappingNode)) {
      throw errorAt(
          n, childPath(key) + " must be a mapping, but is a " + YamlDocument.kindOf(n) + ".");
    }
    return (Map<String, Object>) YamlDocument.plain(n);
  }

  List<String> strings(String key) {
    Node n = valueNode(key);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof SequenceNode seq)) {
      throw errorAt(
          n,
          childPath(key)
              + " must be a list of text values, but is a "
              + YamlDocument.kindOf(n)
              + ".");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      if (!(item instanceof ScalarNode s)) {
        throw errorAt(item, childPath(key) + "[" + i + "] must be a text value.");
      }
      out.add(s.getValue());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  List<Object> anyList(String key) {
    Node n = valueNode(key);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof SequenceNode)) {
      throw errorAt(
          n, childPath(key) + " must be a list, but is a " + YamlDocument.kindOf(n) + ".");
    }
    return (List<Object>) YamlDocument.plain(n);
  }

  @SuppressWarnings("unchecked")
  List<Map<String, Object>> mapList(String key) {
    return list(key, o -> (Map<String, Object>) YamlDocument.plain(o.node));
  }

  <T> T object(String key, Function<YamlObject, T> binder) {
    Node n = valueNode(key);
    if (n == null) {
      return null;
    }
    if (!(n instanceof MappingNode m)) {
      throw errorAt(
          n, childPath(key) + " must be a mapping, but is a " + YamlDocument.kindOf(n) + ".");
    }
    return binder.apply(new YamlObject(file, childPath(key), m));
  }

  <T> List<T> list(String key, Function<YamlObject, T> binder) {
    Node n = valueNode(key);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof SequenceNode seq)) {
      throw errorAt(
          n,
          childPath(key) + " must be a list of mappings, but is a " + YamlDocument.kindOf(n) + ".");
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      String itemPath = childPath(key) + "[" + i + "]";
      if (!(item instanceof MappingNode m)) {
        throw errorAt(
            item, itemPath + " must be a mapping, but is a " + YamlDocument.kindOf(item) + ".");
      }
      out.add(binder.apply(new YamlObject(file, itemPath, m)));
    }
    return out;
  }

  /** A view of this mapping's node, for values whose form varies (a mapping or a list). */
  boolean isSequence(String key) {
    NodeTuple t = entries.get(key);
    return t != null && t.getValueNode() instanceof SequenceNode;
  }

  /** The keys not read so far, with their values kept verbatim. */
  Map<String, Object> rest() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      if (!read.contains(e.getKey())) {
        out.put(e.getKey(), YamlDocument.plain(e.getValue().getValueNode()));
      }
    }
    return out;
  }

  /** The keys present, in file order. */
  Set<String> keys() {
    return entries.keySet();
  }

  DescriptorException error(String key, String message) {
    NodeTuple t = entries.get(key);
    return errorAt(t == null ? node : t.getValueNode(), message);
  }

  DescriptorException errorAt(Node at, String message) {
    return new DescriptorException(
        file, at.getStartMark().getLine() + 1, at.getStartMark().getColumn() + 1, message);
  }

  static boolean isNull(Node n) {
    return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
  }

  static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
