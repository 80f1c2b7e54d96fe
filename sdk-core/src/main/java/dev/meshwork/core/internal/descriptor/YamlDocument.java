package dev.meshwork.core.internal.descriptor;

import dev.meshwork.core.DescriptorException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Parses YAML into SnakeYAML's node tree, which keeps the line and column of every value. */
final class YamlDocument {
  private YamlDocument() {}

  /** The root mapping of a descriptor file, with positions. */
  static YamlObject parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new DescriptorException(file, 0, 0, "Cannot read descriptor: the file does not exist.");
    } catch (MalformedInputException e) {
      throw new DescriptorException(
          file, 0, 0, "Cannot read descriptor: the file is not UTF-8 text.");
    } catch (IOException e) {
      throw new DescriptorException(file, 0, 0, "Cannot read descriptor: " + e.getMessage(), e);
    }
    return parse(file, text);
  }

  /** The root mapping of a descriptor's text; the text is remembered as the file's layout. */
  static YamlObject parse(Path file, String text) {
    YamlObject root = reparse(file, text);
    YamlLayout.remember(file, text);
    return root;
  }

  /** The root mapping of a text written for a descriptor, not remembered as its layout. */
  static YamlObject reparse(Path file, String text) {
    Node root = YamlLimits.compose(file, text, "descriptor");
    if (root == null) {
      throw new DescriptorException(
          file, 0, 0, "The descriptor is empty; expected a YAML mapping.");
    }
    if (!(root instanceof MappingNode mapping)) {
      throw new DescriptorException(
          file,
          root.getStartMark().getLine() + 1,
          root.getStartMark().getColumn() + 1,
          "Expected a YAML mapping of descriptor fields at the top level, but found a "
              + kindOf(root)
              + ".");
    }
    return new YamlObject(file, "", mapping);
  }

  static String kindOf(Node node) {
    if (node instanceof MappingNode) {
      return "mapping";
    }
    if (node instanceof SequenceNode) {
      return "list";
    }
    return "scalar";
  }

  /** Converts a node into plain Java values: maps, lists, strings, numbers, booleans, null. */
  static Object plain(Node node) {
    if (node instanceof MappingNode m) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        map.put(scalarText(t.getKeyNode()), plain(t.getValueNode()));
      }
      return map;
    }
    if (node instanceof SequenceNode s) {
      List<Object> list = new ArrayList<>();
      for (Node n : s.getValue()) {
        list.add(plain(n));
      }
      return list;
    }
    return scalar((ScalarNode) node);
  }

  static String scalarText(Node node) {
    return node instanceof ScalarNode s ? s.getValue() : String.valueOf(plain(node));
  }

  private static Object scalar(ScalarNode node) {
    String v = node.getValue();
    Tag tag = node.getTag();
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      String lower = v.toLowerCase(Locale.ROOT);
      return lower.equals("true") || lower.equals("yes") || lower.equals("on");
    }
    if (Tag.INT.equals(tag)) {
      String digits = v.replace("_", "");
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        try {
          return new BigInteger(digits);
        } catch (NumberFormatException e2) {
          return v;
        }
      }
    }
    if (Tag.FLOAT.equals(tag)) {
      String lower = v.replace("_", "").toLowerCase(Locale.ROOT);
      if (lower.endsWith(".inf")) {
        return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
      if (lower.equals(".nan")) {
        return Double.NaN;
      }
      try {
        return Double.parseDouble(lower);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    return v;
  }
}
