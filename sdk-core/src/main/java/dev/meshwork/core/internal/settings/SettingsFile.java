package dev.meshwork.core.internal.settings;

import dev.meshwork.core.DescriptorException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A settings file as flat {@code meshwork.*} keys: {@code .properties}, or YAML whose nested
 * mappings ({@code meshwork: s3: endpoint: …}) and dotted keys ({@code meshwork.s3.endpoint: …})
 * both flatten to dotted keys, each remembered with its line and column.
 */
public final class SettingsFile {
  /** A value and where its key stands (line 0 for .properties files). */
  public record Setting(String value, int line, int column) {}

  private SettingsFile() {}

  /** The settings of {@code file}; malformed files fail with their position. */
  public static Map<String, Setting> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new DescriptorException(file, 0, 0, "Cannot read settings: no such file.");
    } catch (IOException e) {
      throw new DescriptorException(file, 0, 0, "Cannot read settings: " + e.getMessage(), e);
    }
    Map<String, Setting> out = new LinkedHashMap<>();
    if (file.getFileName().toString().endsWith(".properties")) {
      Properties p = new Properties();
      try {
        p.load(new StringReader(text));
      } catch (IOException | IllegalArgumentException e) {
        throw new DescriptorException(file, 0, 0, "Malformed properties: " + e.getMessage(), e);
      }
      p.stringPropertyNames().forEach(k -> out.put(k, new Setting(p.getProperty(k), 0, 0)));
      return out;
    }
    Node root = dev.meshwork.core.internal.descriptor.YamlLimits.compose(file, text, "settings");
    if (root == null) {
      return out;
    }
    flatten(file, "", root, out);
    return out;
  }

  private static void flatten(Path file, String prefix, Node node, Map<String, Setting> out) {
    if (!(node instanceof MappingNode mapping)) {
      throw at(file, node, "expected a mapping of settings");
    }
    for (NodeTuple t : mapping.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key)) {
        throw at(file, t.getKeyNode(), "a setting's name must be plain text");
      }
      String name = prefix.isEmpty() ? key.getValue() : prefix + "." + key.getValue();
      Node value = t.getValueNode();
      if (value instanceof MappingNode) {
        flatten(file, name, value, out);
      } else if (value instanceof ScalarNode scalar) {
        Mark m = key.getStartMark();
        out.put(name, new Setting(scalar.getValue(), m.getLine() + 1, m.getColumn() + 1));
      } else {
        throw at(file, value, name + " must be a single value, not a list");
      }
    }
  }

  private static DescriptorException at(Path file, Node node, String message) {
    Mark m = node.getStartMark();
    return new DescriptorException(file, m.getLine() + 1, m.getColumn() + 1, message);
  }
}
