package dev.meshwork.lineage.internal.site;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders the site's pages from the product cards: {@code index.html} and {@code
 * products/<key>.html}, through Mustache templates (HTML-escaped), with charts and the lineage
 * graph as inline SVG made here (their text escaped here).
 */
public final class SiteRenderer {
  private static final DefaultMustacheFactory TEMPLATES =
      new DefaultMustacheFactory("dev/meshwork/lineage/site");

  private SiteRenderer() {}

  /** Writes every page; returns the number of products. */
  public static int render(Path site, List<Map<String, Object>> cards, Instant now) {
    Map<String, String> ownerOfTable = new LinkedHashMap<>();
    for (Map<String, Object> c : cards) {
      for (Map<String, Object> port : ports(c)) {
        ownerOfTable.put(String.valueOf(port.get("table")), String.valueOf(c.get("key")));
      }
    }
    List<Map<String, Object>> products = new ArrayList<>();
    Set<String> domains = new TreeSet<>();
    Set<String> tags = new TreeSet<>();
    Set<String> owners = new TreeSet<>();
    for (Map<String, Object> c : cards) {
      Map<String, Object> v = new LinkedHashMap<>(c);
      String key = String.valueOf(c.get("key"));
      v.put("page", "products/" + SiteCards.safe(key) + ".html");
      v.put("portCount", ports(c).size());
      v.put("tagsText", String.join(" ", strings(c.get("tags"))));
      v.put("ownersText", String.join(" ", strings(c.get("owners"))));
      domains.add(String.valueOf(c.get("domain")));
      tags.addAll(strings(c.get("tags")));
      owners.addAll(strings(c.get("owners")));
      products.add(v);
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("products", products);
    index.put("domains", domains);
    index.put("tags", tags);
    index.put("owners", owners);
    index.put("count", products.size());
    index.put("generated", now.toString());
    write(site.resolve("index.html"), "index.mustache", index);
    for (Map<String, Object> c : cards) {
      write(
          site.resolve("products").resolve(SiteCards.safe(String.valueOf(c.get("key"))) + ".html"),
          "product.mustache",
          productView(c, cards, ownerOfTable, now));
    }
    return cards.size();
  }

  private static Map<String, Object> productView(
      Map<String, Object> c,
      List<Map<String, Object>> cards,
      Map<String, String> ownerOfTable,
      Instant now) {
    Map<String, Object> v = new LinkedHashMap<>(c);
    String key = String.valueOf(c.get("key"));
    List<Map<String, Object>> ports = new ArrayList<>();
    for (Map<String, Object> p : ports(c)) {
      Map<String, Object> pv = new LinkedHashMap<>(p);
      String table = String.valueOf(p.get("table"));
      int dot = table.lastIndexOf('.');
      String namespace = dot < 0 ? "" : table.substring(0, dot);
      String name = table.substring(dot + 1);
      pv.put("spark", "spark.table(\"meshwork." + table + "\")");
      pv.put("trino", "SELECT * FROM iceberg.\"" + namespace + "\".\"" + name + "\"");
      pv.put(
          "pyiceberg",
          "catalog.load_table((\"" + namespace.replace(".", "\", \"") + "\", \"" + name + "\"))");
      pv.put(
          "meshwork",
          "run.input(\"<input port>\", Row.class)   // an input port with contractId: "
              + p.get("contractId"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> history =
          (List<Map<String, Object>>) p.getOrDefault("history", List.of());
      pv.put("chart", Svg.rowsChart(String.valueOf(p.get("name")), history));
      pv.put("runs", history.size());
      ports.add(pv);
    }
    v.put("ports", ports);
    Set<String> upstream = new LinkedHashSet<>();
    for (Map<String, Object> in : maps(c.get("inputs"))) {
      String table = String.valueOf(in.get("table"));
      upstream.add(ownerOfTable.getOrDefault(table, table));
    }
    Set<String> mine = new LinkedHashSet<>();
    ports(c).forEach(p -> mine.add(String.valueOf(p.get("table"))));
    Set<String> downstream = new LinkedHashSet<>();
    for (Map<String, Object> other : cards) {
      for (Map<String, Object> in : maps(other.get("inputs"))) {
        if (mine.contains(String.valueOf(in.get("table")))) {
          downstream.add(String.valueOf(other.get("key")));
        }
      }
    }
    Set<String> products = new LinkedHashSet<>();
    cards.forEach(x -> products.add(String.valueOf(x.get("key"))));
    v.put("upstream", links(upstream, products));
    v.put("downstream", links(downstream, products));
    v.put("graph", Svg.lineage(key, new ArrayList<>(upstream), new ArrayList<>(downstream)));
    v.put("generated", now.toString());
    v.put("tags", strings(c.get("tags")));
    v.put("owners", strings(c.get("owners")));
    return v;
  }

  /** Names with a link to their page, for those that are products of the site. */
  private static List<Map<String, Object>> links(Set<String> keys, Set<String> products) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String k : keys) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("name", k);
      l.put("page", products.contains(k) ? SiteCards.safe(k) + ".html" : null);
      out.add(l);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> ports(Map<String, Object> card) {
    Object p = card.get("ports");
    return p instanceof Map<?, ?> m
        ? new ArrayList<>((java.util.Collection<Map<String, Object>>) m.values())
        : List.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object o) {
    return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }

  private static void write(Path file, String template, Map<String, Object> view) {
    Mustache m = TEMPLATES.compile(template);
    StringWriter out = new StringWriter();
    m.execute(out, view);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, out.toString());
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** The inline SVG: a row-count chart and the lineage graph. */
  static final class Svg {
    private Svg() {}

    /** Rows published per run, as bars, with the largest and the last labelled. */
    static String rowsChart(String port, List<Map<String, Object>> history) {
      int w = 640;
      int h = 140;
      StringBuilder b = new StringBuilder();
      b.append("<svg role=\"img\" class=\"chart\" viewBox=\"0 0 ")
          .append(w)
          .append(' ')
          .append(h)
          .append("\" width=\"100%\" height=\"")
          .append(h)
          .append("\"><title>")
          .append(escape("Rows published to " + port + " per run (" + history.size() + " runs)"))
          .append("</title>");
      long max = 1;
      for (Map<String, Object> x : history) {
        max = Math.max(max, number(x.get("rows")));
      }
      int n = Math.max(1, history.size());
      double slot = (w - 60.0) / n;
      for (int i = 0; i < history.size(); i++) {
        Map<String, Object> x = history.get(i);
        long rows = number(x.get("rows"));
        double bh = (h - 40.0) * rows / max;
        boolean failed = number(x.get("failed")) > 0;
        b.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"%s\"><title>%s</title></rect>",
                50 + i * slot,
                h - 20 - bh,
                Math.max(1, slot * 0.8),
                bh,
                failed ? "bar warn" : "bar",
                escape(x.get("time") + ": " + rows + " rows" + (failed ? ", a rule failed" : ""))));
      }
      b.append("<text x=\"0\" y=\"16\" class=\"axis\">")
          .append(escape(String.format(Locale.ROOT, "%,d", max)))
          .append("</text><text x=\"0\" y=\"")
          .append(h - 22)
          .append("\" class=\"axis\">0</text><line x1=\"48\" y1=\"")
          .append(h - 20)
          .append("\" x2=\"")
          .append(w)
          .append("\" y2=\"")
          .append(h - 20)
          .append("\" class=\"rule\"/></svg>");
      return b.toString();
    }

    /** Upstream products, this product, downstream products, in three columns with arrows. */
    static String lineage(String product, List<String> up, List<String> down) {
      int rows = Math.max(1, Math.max(up.size(), down.size()));
      int h = 30 + rows * 50;
      int w = 900;
      StringBuilder b = new StringBuilder();
      b.append("<svg role=\"img\" class=\"graph\" viewBox=\"0 0 ")
          .append(w)
          .append(' ')
          .append(h)
          .append("\" width=\"100%\"><title>")
          .append(escape("Lineage of " + product))
          .append(
              "</title><defs><marker id=\"arrow\" markerWidth=\"10\" markerHeight=\"10\" refX=\"9\""
                  + " refY=\"3\" orient=\"auto\"><path d=\"M0,0 L9,3 L0,6 z\" class=\"head\"/></marker></defs>");
      int cy = h / 2;
      node(b, 330, cy - 18, product, "node self");
      for (int i = 0; i < up.size(); i++) {
        int y = 15 + i * 50;
        node(b, 10, y, up.get(i), "node");
        edge(b, 250, y + 18, 330, cy);
      }
      for (int i = 0; i < down.size(); i++) {
        int y = 15 + i * 50;
        node(b, 650, y, down.get(i), "node");
        edge(b, 570, cy, 650, y + 18);
      }
      return b.append("</svg>").toString();
    }

    private static void node(StringBuilder b, int x, int y, String label, String cls) {
      String shown = label.length() > 34 ? label.substring(0, 33) + "…" : label;
      b.append("<g class=\"")
          .append(cls)
          .append("\"><rect x=\"")
          .append(x)
          .append("\" y=\"")
          .append(y)
          .append("\" width=\"240\" height=\"36\" rx=\"6\"/><text x=\"")
          .append(x + 10)
          .append("\" y=\"")
          .append(y + 23)
          .append("\">")
          .append(escape(shown))
          .append("<title>")
          .append(escape(label))
          .append("</title></text></g>");
    }

    private static void edge(StringBuilder b, int x1, int y1, int x2, int y2) {
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"edge\" marker-end=\"url(#arrow)\"/>",
              x1,
              y1,
              x2,
              y2));
    }

    private static long number(Object o) {
      return o instanceof Number n ? n.longValue() : 0;
    }
  }

  /** Text for XML and HTML. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }
}
