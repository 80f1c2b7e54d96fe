package dev.meshwork.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.model.DataContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * For contracts written in many ways (key order, comments, operator spellings, defaults written
 * out, number forms, dates, list indentation): load → write keeps the author's keys in order and
 * their comments, load → write → load is the identity on the model, and write → load → write the
 * identity on the text, in the author's layout and in the canonical one.
 */
class DescriptorRoundTripPropertyTest {
  private static final Path DIR = tempDir();

  @Property(tries = 200)
  void writingBackKeepsTheAuthorsTextAndMeaning(@ForAll long seed) throws IOException {
    String authored = new Author(new Random(seed)).contract();
    Path file = Files.writeString(DIR.resolve(seed + ".yaml"), authored);
    DataContract loaded = DataContract.load(file);

    String written = loaded.toYaml();

    assertThat(DescriptorRoundTripTest.keys(written))
        .as("keys in the author's order, defaults kept, in\n%s\nwritten as\n%s", authored, written)
        .isEqualTo(DescriptorRoundTripTest.keys(authored));
    assertThat(comments(written))
        .as("comments of\n%s\nwritten as\n%s", authored, written)
        .isEqualTo(comments(authored));
    Path again = Files.writeString(DIR.resolve(seed + "-again.yaml"), written);
    DataContract reloaded = DataContract.load(again);
    assertThat(DescriptorRoundTripTest.withoutSource(reloaded))
        .isEqualTo(DescriptorRoundTripTest.withoutSource(loaded));
    assertThat(reloaded.toYaml()).isEqualTo(written);

    String canonical = loaded.toCanonicalYaml();
    Path plain = Files.writeString(DIR.resolve(seed + "-canonical.yaml"), canonical);
    DataContract fromCanonical = DataContract.load(plain);
    assertThat(DescriptorRoundTripTest.withoutSource(fromCanonical))
        .isEqualTo(DescriptorRoundTripTest.withoutSource(loaded));
    assertThat(fromCanonical.toYaml()).isEqualTo(canonical);
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    try (var files = Files.list(DIR)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(DIR);
  }

  private static List<String> comments(String yaml) {
    List<String> out = new ArrayList<>();
    for (String line : yaml.split("\n")) {
      int hash = line.indexOf(" # ");
      if (line.strip().startsWith("#")) {
        out.add(line.strip());
      } else if (hash >= 0) {
        out.add(line.substring(hash + 1).strip());
      }
    }
    return out;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("round-trip");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A number as the author wrote it ("2.50", "1e3", "7"). */
  private record Raw(String text, Tag tag) {}

  /**
   * Writes one contract the way one author would (fresh lists, so that none is an alias), chosen by
   * the random source.
   */
  private static final class Author {
    private final Random random;
    private int comments;

    Author(Random random) {
      this.random = random;
    }

    String contract() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("apiVersion", pick("v3.0.2", "v3.1.0"));
      c.put("kind", "DataContract");
      c.put("id", "c-" + random.nextInt(1000));
      c.put("version", pick("1.0.0", new Raw("1.0", Tag.FLOAT), new Raw("2", Tag.INT)));
      c.put("status", pick("active", "draft"));
      maybe(c, "name", "orders");
      maybe(
          c,
          "tags",
          random.nextBoolean() ? new ArrayList<>() : new ArrayList<>(List.of("sales", "eu")));
      maybe(c, "contractCreatedTs", pick(new Raw("2024-03-01", Tag.TIMESTAMP), "2024-03-01"));
      maybe(c, "description", shuffled(Map.of("purpose", "Orders", "usage", "Reporting")));
      List<Object> objects = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(2); i++) {
        objects.add(object(i));
      }
      c.put("schema", objects);
      maybe(c, "customProperties", new ArrayList<>(List.of(customProperty())));
      maybe(c, "x-owner-ticket", pick(new Raw("42", Tag.INT), "FIN-1", Boolean.TRUE));
      Map<String, Object> ordered = shuffled(c);
      return commented(dump(ordered));
    }

    private Map<String, Object> object(int i) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", "object_" + i);
      maybe(o, "logicalType", "object");
      List<Object> properties = new ArrayList<>();
      for (int p = 0; p < 1 + random.nextInt(4); p++) {
        properties.add(property(p));
      }
      o.put("properties", properties);
      return shuffled(o);
    }

    private Map<String, Object> property(int i) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", "column_" + i);
      p.put("logicalType", pick("string", "integer", "number", "boolean", "date"));
      for (String flag : List.of("required", "unique", "primaryKey", "partitioned")) {
        maybe(p, flag, random.nextBoolean());
      }
      maybe(p, "primaryKeyPosition", pick(-1, 1 + i));
      maybe(p, "partitionKeyPosition", pick(-1, 1 + i));
      maybe(p, "description", pick("The amount", "", "2024-01-01"));
      maybe(p, "examples", new ArrayList<>());
      if (random.nextInt(3) == 0) {
        List<Object> rules = new ArrayList<>();
        for (int r = 0; r < 1 + random.nextInt(2); r++) {
          rules.add(rule());
        }
        p.put("quality", rules);
      }
      return shuffled(p);
    }

    private Map<String, Object> rule() {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("metric", "nullValues");
      maybe(r, "type", "library");
      String operator =
          pick(
              "mustBe",
              "mustBeLessThan",
              "mustBeLessOrEqualTo",
              "mustBeLessThanOrEqualTo",
              "mustBeGreaterOrEqualTo",
              "mustBeGreaterThanOrEqualTo",
              "mustBeBetween");
      r.put(
          operator,
          operator.equals("mustBeBetween")
              ? new ArrayList<>(List.of(number(), new Raw("1e3", Tag.FLOAT)))
              : number());
      maybe(r, "unit", pick("rows", "percent"));
      maybe(r, "severity", "error");
      return shuffled(r);
    }

    private Object number() {
      return pick(new Raw("0", Tag.INT), new Raw("2.50", Tag.FLOAT), new Raw("0.0", Tag.FLOAT), 5L);
    }

    private Map<String, Object> customProperty() {
      Map<String, Object> cp = new LinkedHashMap<>();
      maybe(cp, "id", "cp-" + random.nextInt(9));
      cp.put("property", "refreshInterval");
      cp.put("value", pick("daily", new Raw("3", Tag.INT)));
      return shuffled(cp);
    }

    private void maybe(Map<String, Object> m, String key, Object value) {
      if (random.nextBoolean()) {
        m.put(key, value);
      }
    }

    @SafeVarargs
    private <T> T pick(T... options) {
      return options[random.nextInt(options.length)];
    }

    private Map<String, Object> shuffled(Map<String, Object> m) {
      List<String> keys = new ArrayList<>(m.keySet());
      Collections.shuffle(keys, random);
      Map<String, Object> out = new LinkedHashMap<>();
      keys.forEach(k -> out.put(k, m.get(k)));
      return out;
    }

    private String dump(Map<String, Object> m) {
      DumperOptions options = new DumperOptions();
      options.setDefaultFlowStyle(
          random.nextInt(4) == 0 ? DumperOptions.FlowStyle.AUTO : DumperOptions.FlowStyle.BLOCK);
      options.setIndent(2);
      if (random.nextBoolean()) {
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
      }
      options.setSplitLines(false);
      Representer representer =
          new Representer(options) {
            {
              this.representers.put(
                  Raw.class,
                  data ->
                      representScalar(
                          ((Raw) data).tag(),
                          ((Raw) data).text(),
                          DumperOptions.ScalarStyle.PLAIN));
            }
          };
      return new Yaml(representer, options).dump(m);
    }

    /** Adds whole-line comments above some lines and trailing ones after some scalars. */
    private String commented(String yaml) {
      StringBuilder out = new StringBuilder();
      for (String line : yaml.split("\n")) {
        String indent = line.substring(0, line.length() - line.stripLeading().length());
        if (random.nextInt(6) == 0) {
          out.append(indent).append("# note ").append(++comments).append('\n');
        }
        boolean scalar = line.matches(".*:\\s+[^\\[{\\s].*") && !line.contains("#");
        if (scalar && random.nextInt(8) == 0) {
          out.append(line).append(" # why ").append(++comments).append('\n');
        } else {
          out.append(line).append('\n');
        }
      }
      return out.toString();
    }
  }
}
