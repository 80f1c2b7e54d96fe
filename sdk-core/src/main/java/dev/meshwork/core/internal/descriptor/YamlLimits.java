package dev.meshwork.core.internal.descriptor;

import dev.meshwork.core.DescriptorException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parses YAML text to nodes within bounds, so that no file can exhaust memory or time: at most
 * {@value #DEFAULT_MAX_CODE_POINTS} code points (the setting {@value #MAX_CODE_POINTS_PROPERTY},
 * {@code -D} or environment {@code MESHWORK_YAML_MAX_CODE_POINTS}, raises it), and at most {@value
 * #MAX_EXPANDED_NODES} nodes once aliases are expanded (a few hundred bytes of nested aliases can
 * otherwise stand for billions of values).
 */
public final class YamlLimits {
  /** The setting of the largest YAML file, in code points. */
  public static final String MAX_CODE_POINTS_PROPERTY = "meshwork.yaml.max-code-points";

  /** The largest YAML file by default, in code points (SnakeYAML's own default). */
  public static final int DEFAULT_MAX_CODE_POINTS = 3 * 1024 * 1024;

  /** The most nodes a file may stand for with its aliases expanded. */
  public static final long MAX_EXPANDED_NODES = 1_000_000;

  private YamlLimits() {}

  /** The 1-based line of the '---' that starts a second document, 0 when there is none. */
  static int secondDocument(String text) {
    String[] lines = text.split("\n", -1);
    boolean content = false;
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.startsWith("---") && content) {
        return i + 1;
      }
      if (!l.isBlank() && !l.startsWith("#") && !l.startsWith("---") && !l.startsWith("%")) {
        content = true;
      }
    }
    return 0;
  }

  /**
   * The file's single YAML document as nodes (null when empty), or a {@link DescriptorException}.
   */
  public static Node compose(Path file, String text, String what) {
    int maxCodePoints = maxCodePoints();
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setCodePointLimit(maxCodePoints);
    Node root;
    try {
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      if (String.valueOf(e.getContext()).contains("expected a single document")) {
        // The mark is where the parser noticed; name the line of the second document's '---'.
        int line = secondDocument(text);
        throw new DescriptorException(
            file,
            line,
            1,
            "The file holds more than one YAML document (the second starts here, after '---');"
                + " a "
                + what
                + " is one document. Put each product or contract in a file of its own.",
            e);
      }
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw new DescriptorException(
          file,
          mark == null ? 0 : mark.getLine() + 1,
          mark == null ? 0 : mark.getColumn() + 1,
          "Malformed YAML: " + problem + ". Fix the YAML syntax at this position.",
          e);
    } catch (YAMLException e) {
      if (String.valueOf(e.getMessage()).contains("exceeds the limit")) {
        throw new DescriptorException(
            file,
            0,
            0,
            "Cannot read "
                + what
                + ": the file has "
                + text.codePointCount(0, text.length())
                + " code points, more than the limit of "
                + maxCodePoints
                + ". Split it, or raise the limit with -D"
                + MAX_CODE_POINTS_PROPERTY
                + "=N (or MESHWORK_YAML_MAX_CODE_POINTS=N).");
      }
      throw new DescriptorException(file, 0, 0, "Malformed YAML: " + e.getMessage(), e);
    }
    if (root != null) {
      long size = expanded(root, new IdentityHashMap<>());
      if (size > MAX_EXPANDED_NODES) {
        throw new DescriptorException(
            file,
            0,
            0,
            "Cannot read "
                + what
                + ": its aliases expand to more than "
                + MAX_EXPANDED_NODES
                + " values (an alias bomb?). Write the repeated parts out, or use fewer nested"
                + " aliases.");
      }
    }
    return root;
  }

  /** Nodes under {@code node} with aliases expanded, counted once per distinct node; saturates. */
  private static long expanded(Node node, Map<Node, Long> known) {
    Long k = known.get(node);
    if (k != null) {
      return k;
    }
    // A node being counted is on the current path: a recursive alias (SnakeYAML refuses them).
    known.put(node, MAX_EXPANDED_NODES + 1);
    long n = 1;
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        n += expanded(t.getKeyNode(), known) + expanded(t.getValueNode(), known);
        if (n > MAX_EXPANDED_NODES) {
          break;
        }
      }
    } else if (node instanceof SequenceNode s) {
      for (Node child : s.getValue()) {
        n += expanded(child, known);
        if (n > MAX_EXPANDED_NODES) {
          break;
        }
      }
    }
    long total = Math.min(n, MAX_EXPANDED_NODES + 1);
    known.put(node, total);
    return total;
  }

  private static int maxCodePoints() {
    return CodePointLimit.VALUE;
  }

  /** Read once, on first use: the setting of this process. */
  private static final class CodePointLimit {
    static final int VALUE =
        dev.meshwork.core.Settings.fromEnvironment()
            .intValue(MAX_CODE_POINTS_PROPERTY, DEFAULT_MAX_CODE_POINTS, 1, Integer.MAX_VALUE);
  }
}
