package dev.meshwork.core.internal.descriptor;

import dev.meshwork.core.model.Comparison;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.ref.SoftReference;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes a descriptor's values in the layout of the text it was loaded from: the author's key
 * order, comments, quoting, number forms, operator spelling and fields written with their default
 * value are kept wherever the value is unchanged; what changed is written in the canonical form.
 *
 * <p>The texts are remembered by file when a descriptor is parsed, so a model keeps its layout as
 * long as it keeps its {@code source} (also when edited in code). A text is only a hint: the writer
 * checks that the merged text reads back as the model and otherwise writes the canonical form, so a
 * stale or foreign text can change how a file looks, never what it says.
 */
final class YamlLayout {
  private static final int REMEMBERED = 256;

  private static final Map<Path, SoftReference<String>> TEXTS =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, SoftReference<String>> eldest) {
          return size() > REMEMBERED;
        }
      };

  /** Keys whose values are identities of list entries, most specific first. */
  private static final List<String> IDENTITY_KEYS =
      List.of("id", "name", "property", "username", "role", "url", "type");

  private YamlLayout() {}

  /** Remembers the text a descriptor file was read from. */
  static void remember(Path file, String text) {
    if (file == null) {
      return;
    }
    synchronized (TEXTS) {
      TEXTS.put(key(file), new SoftReference<>(text));
    }
  }

  /** The text the file was last read from, if remembered. */
  static Optional<String> text(Path file) {
    if (file == null) {
      return Optional.empty();
    }
    synchronized (TEXTS) {
      SoftReference<String> ref = TEXTS.get(key(file));
      return Optional.ofNullable(ref == null ? null : ref.get());
    }
  }

  private static Path key(Path file) {
    return file.toAbsolutePath().normalize();
  }

  /** Options shared by the canonical and the layout-keeping writer. */
  static DumperOptions options() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setWidth(120);
    options.setSplitLines(false);
    options.setProcessComments(true);
    return options;
  }

  /** A YAML writer of canonical values, which writes {@link Timestamp} values unquoted. */
  static Yaml yaml() {
    return yaml(options());
  }

  private static Yaml yaml(DumperOptions options) {
    return new Yaml(new TimestampRepresenter(options), options);
  }

  /**
   * The options for writing in the layout of {@code text}: lists indented under their key when the
   * author indents them ("key:\n - a"), at the key's column otherwise.
   */
  static DumperOptions options(String text) {
    DumperOptions options = options();
    String[] lines = text.split("\n", -1);
    String previous = null;
    for (String line : lines) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      if (t.startsWith("- ") && previous != null && previous.strip().endsWith(":")) {
        if (indent(line) > indent(previous)) {
          options.setIndicatorIndent(2);
          options.setIndentWithIndicator(true);
        }
        break;
      }
      previous = line;
    }
    return options;
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** The canonical values in the layout of {@code text}; empty when the text is not YAML. */
  static Optional<String> write(Map<String, Object> canonical, String text) {
    Node original;
    try {
      LoaderOptions loader = new LoaderOptions();
      loader.setProcessComments(true);
      loader.setCodePointLimit(Integer.MAX_VALUE);
      original = new Yaml(loader).compose(new StringReader(text));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (original == null) {
      return Optional.empty();
    }
    Yaml yaml = yaml(options(text));
    try {
      Node merged = new Merge(yaml).value(canonical, original);
      StringWriter out = new StringWriter();
      yaml.serialize(merged, out);
      return Optional.of(out.toString());
    } catch (RuntimeException e) {
      // SnakeYAML's comment support has corners it cannot write; the canonical form is the way out.
      return Optional.empty();
    }
  }

  /** A date or date-time the model holds as text, written unquoted as the author would. */
  record Timestamp(String text) {
    private static final java.util.regex.Pattern PATTERN =
        java.util.regex.Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{1,2}:\\d{2}:\\d{2}(\\.\\d+)?( ?(Z|[-+]\\d{1,2}(:\\d{2})?))?)?");

    /** The value to write for a text field holding a date: a Timestamp when it reads as one. */
    static Object of(String text) {
      return text != null && PATTERN.matcher(text).matches() ? new Timestamp(text) : text;
    }
  }

  private static final class TimestampRepresenter extends Representer {
    TimestampRepresenter(DumperOptions options) {
      super(options);
      Represent timestamp =
          data ->
              representScalar(
                  Tag.TIMESTAMP, ((Timestamp) data).text(), DumperOptions.ScalarStyle.PLAIN);
      this.representers.put(Timestamp.class, timestamp);
    }
  }

  /** Compares values as the reader sees them: numbers by value, timestamps as their text. */
  static boolean same(Object a, Object b) {
    if (a instanceof Timestamp t) {
      a = t.text();
    }
    if (b instanceof Timestamp t) {
      b = t.text();
    }
    if (a instanceof Number x && b instanceof Number y) {
      return sameNumber(x, y);
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !same(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a == null ? b == null : a.equals(b);
  }

  private static boolean sameNumber(Number x, Number y) {
    if (x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float) {
      double dx = x.doubleValue();
      double dy = y.doubleValue();
      if (Double.isNaN(dx) || Double.isInfinite(dx) || Double.isNaN(dy) || Double.isInfinite(dy)) {
        return Double.compare(dx, dy) == 0;
      }
    }
    return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
  }

  /** One merge of canonical values into an original node tree. */
  private static final class Merge {
    private final Yaml yaml;

    Merge(Yaml yaml) {
      this.yaml = yaml;
    }

    Node value(Object canonical, Node original) {
      if (canonical instanceof Map<?, ?> map && original instanceof MappingNode m) {
        return mapping(map, m);
      }
      if (canonical instanceof List<?> list && original instanceof SequenceNode s) {
        return sequence(list, s);
      }
      if (original instanceof ScalarNode s
          && !(canonical instanceof Map<?, ?>)
          && !(canonical instanceof Collection<?>)
          && scalarMatches(canonical, s)) {
        return s;
      }
      Node fresh = yaml.represent(canonical);
      fresh.setInLineComments(original.getInLineComments());
      return fresh;
    }

    private static boolean scalarMatches(Object canonical, ScalarNode s) {
      if (Tag.NULL.equals(s.getTag())) {
        return canonical == null;
      }
      Object plain = YamlDocument.plain(s);
      if (same(plain, canonical)) {
        return true;
      }
      // Text fields keep the author's unquoted dates and versions such as 1.0.
      Object text = canonical instanceof Timestamp t ? t.text() : canonical;
      return text instanceof String str && str.equals(s.getValue());
    }

    private Node mapping(Map<?, ?> canonical, MappingNode original) {
      Set<String> originalKeys = new HashSet<>();
      for (NodeTuple t : original.getValue()) {
        originalKeys.add(YamlDocument.scalarText(t.getKeyNode()));
      }
      List<String> order = new ArrayList<>();
      canonical.keySet().forEach(k -> order.add(String.valueOf(k)));
      Set<String> used = new HashSet<>();
      List<String> placedKeys = new ArrayList<>();
      List<NodeTuple> out = new ArrayList<>();
      for (NodeTuple t : original.getValue()) {
        String key = YamlDocument.scalarText(t.getKeyNode());
        String target = canonicalKey(key, canonical, originalKeys);
        if (target != null && used.add(target)) {
          out.add(new NodeTuple(t.getKeyNode(), value(canonical.get(target), t.getValueNode())));
          placedKeys.add(target);
        } else if (target == null && isDefault(key, t.getValueNode())) {
          out.add(t);
          placedKeys.add(null);
        }
      }
      for (int i = 0; i < order.size(); i++) {
        String key = order.get(i);
        if (used.contains(key)) {
          continue;
        }
        int at = 0;
        for (int j = i - 1; j >= 0; j--) {
          int placed = placedKeys.indexOf(order.get(j));
          if (placed >= 0) {
            at = placed + 1;
            break;
          }
        }
        out.add(at, new NodeTuple(yaml.represent(key), yaml.represent(canonical.get(key))));
        placedKeys.add(at, key);
        used.add(key);
      }
      MappingNode merged = new MappingNode(original.getTag(), out, original.getFlowStyle());
      copyComments(original, merged);
      return merged;
    }

    /** The canonical key an original key stands for (an operator spelling), or null if none. */
    private static String canonicalKey(String key, Map<?, ?> canonical, Set<String> originalKeys) {
      if (canonical.containsKey(key)) {
        return key;
      }
      String spelled = Comparison.Operator.forKey(key).map(Comparison.Operator::key).orElse(null);
      return spelled != null && canonical.containsKey(spelled) && !originalKeys.contains(spelled)
          ? spelled
          : null;
    }

    /** Whether a value the canonical form leaves out is one the reader takes as its default. */
    private static boolean isDefault(String key, Node value) {
      if (value instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) {
        return true;
      }
      if (value instanceof SequenceNode s) {
        return s.getValue().isEmpty();
      }
      if (value instanceof MappingNode m) {
        return m.getValue().isEmpty();
      }
      Object plain = YamlDocument.plain(value);
      return Boolean.FALSE.equals(plain)
          || (key.endsWith("Position") && plain instanceof Number n && n.longValue() == -1);
    }

    private Node sequence(List<?> canonical, SequenceNode original) {
      List<Node> items = original.getValue();
      List<Node> out = new ArrayList<>();
      if (items.size() == canonical.size()) {
        for (int i = 0; i < items.size(); i++) {
          out.add(value(canonical.get(i), items.get(i)));
        }
      } else {
        boolean[] taken = new boolean[items.size()];
        for (Object item : canonical) {
          int match = -1;
          for (int i = 0; i < items.size() && match < 0; i++) {
            if (!taken[i] && same(identity(item), identity(YamlDocument.plain(items.get(i))))) {
              match = i;
            }
          }
          if (match >= 0) {
            taken[match] = true;
            out.add(value(item, items.get(match)));
          } else {
            out.add(yaml.represent(item));
          }
        }
      }
      if (original.getFlowStyle() != DumperOptions.FlowStyle.FLOW) {
        out.forEach(Merge::commentableInBlock);
      }
      SequenceNode merged = new SequenceNode(original.getTag(), out, original.getFlowStyle());
      copyComments(original, merged);
      return merged;
    }

    /**
     * SnakeYAML writes a comment above a flow collection in a block list after the dash and the
     * collection at column 0, which is not YAML: such an entry is written as a block instead.
     */
    private static void commentableInBlock(Node item) {
      List<org.yaml.snakeyaml.comments.CommentLine> comments = item.getBlockComments();
      if (comments == null
          || comments.isEmpty()
          || item.getNodeId() == org.yaml.snakeyaml.nodes.NodeId.scalar) {
        return;
      }
      if (item instanceof MappingNode m && !m.getValue().isEmpty()) {
        m.setFlowStyle(DumperOptions.FlowStyle.BLOCK);
        NodeTuple first = m.getValue().get(0);
        first.getKeyNode().setBlockComments(comments);
        if (m.getInLineComments() != null && first.getValueNode() instanceof ScalarNode value) {
          List<org.yaml.snakeyaml.comments.CommentLine> inline = new ArrayList<>();
          if (value.getInLineComments() != null) {
            inline.addAll(value.getInLineComments());
          }
          inline.addAll(m.getInLineComments());
          value.setInLineComments(inline);
          m.setInLineComments(null);
        }
      }
      item.setBlockComments(null);
    }

    private static Object identity(Object item) {
      if (item instanceof Map<?, ?> m) {
        for (String k : IDENTITY_KEYS) {
          if (m.get(k) != null) {
            return k + "=" + m.get(k);
          }
        }
      }
      return item instanceof Timestamp t ? t.text() : item;
    }

    private static void copyComments(Node from, Node to) {
      to.setBlockComments(from.getBlockComments());
      to.setInLineComments(from.getInLineComments());
      to.setEndComments(from.getEndComments());
    }
  }
}
