package dev.meshwork.lineage.internal.site;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
      List<Map<String, Object>> metricCharts = metricCharts(String.valueOf(p.get("name")), history);
      pv.put("metricCharts", metricCharts);
      pv.put("hasMetrics", !metricCharts.isEmpty());
      pv.put("versions", versions(history));
      pv.put("freshness", freshness(maps(p.get("sla")), p.get("latest"), now));
      // Keys of their own: Mustache looks a missing (null) key up in the port around it.
      List<Map<String, Object>> sla = new ArrayList<>();
      for (Map<String, Object> x : maps(p.get("sla"))) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("slaProperty", x.get("property"));
        row.put("slaValue", x.get("value"));
        row.put("slaUnit", x.get("unit"));
        row.put("slaElement", x.get("element"));
        row.put("slaNote", x.get("description"));
        sla.add(row);
      }
      pv.put("sla", sla);
      List<Map<String, Object>> readers = new ArrayList<>();
      for (Map<String, Object> r : maps(p.get("readers"))) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("readerWho", String.join(", ", strings(r.get("who"))));
        List<String> purposes = strings(r.get("purposes"));
        row.put("readerPurposes", purposes.isEmpty() ? "any" : String.join(", ", purposes));
        row.put("readerConditions", strings(r.get("conditions")));
        row.put("readerValid", r.get("valid") == null ? "" : r.get("valid"));
        row.put("readerSource", r.get("source"));
        readers.add(row);
      }
      pv.put("readers", readers);
      pv.put("readersKnown", p.containsKey("readers"));
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

  /** One chart per rule that observed numbers, in the order rules first appear. */
  private static List<Map<String, Object>> metricCharts(
      String port, List<Map<String, Object>> history) {
    Map<String, List<double[]>> points = new LinkedHashMap<>();
    for (int i = 0; i < history.size(); i++) {
      Object m = history.get(i).get("metrics");
      if (m instanceof Map<?, ?> metrics) {
        for (Map.Entry<?, ?> e : metrics.entrySet()) {
          if (e.getValue() instanceof Number n) {
            points
                .computeIfAbsent(String.valueOf(e.getKey()), k -> new ArrayList<>())
                .add(new double[] {i, n.doubleValue()});
          }
        }
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    points.forEach(
        (rule, values) -> {
          Map<String, Object> chart = new LinkedHashMap<>();
          chart.put("rule", rule);
          chart.put("last", format(values.get(values.size() - 1)[1]));
          chart.put("svg", Svg.metricChart(port, rule, values, Math.max(1, history.size())));
          out.add(chart);
        });
    return out;
  }

  /** The contract versions a port was published under: first and last publish, and how many. */
  private static List<Map<String, Object>> versions(List<Map<String, Object>> history) {
    Map<String, Map<String, Object>> byVersion = new LinkedHashMap<>();
    for (Map<String, Object> h : history) {
      String v =
          h.get("contractVersion") == null ? "(unknown)" : h.get("contractVersion").toString();
      Map<String, Object> row =
          byVersion.computeIfAbsent(
              v,
              k -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("contractVersion", k);
                r.put("first", h.get("time"));
                r.put("publishes", 0);
                return r;
              });
      row.put("last", h.get("time"));
      row.put("lastSnapshot", h.get("version"));
      row.put("publishes", (Integer) row.get("publishes") + 1);
    }
    List<Map<String, Object>> out = new ArrayList<>(byVersion.values());
    java.util.Collections.reverse(out);
    return out;
  }

  /**
   * The port's freshness against its contract's SLA: the age of the latest publish against the
   * first of {@code freshness}, {@code latency} or {@code frequency} that has a value and a unit of
   * time; null when the contract names none.
   */
  private static Map<String, Object> freshness(
      List<Map<String, Object>> sla, Object latest, Instant now) {
    if (!(latest instanceof Map<?, ?> l) || l.get("time") == null) {
      return null;
    }
    for (String property : List.of("freshness", "latency", "frequency")) {
      for (Map<String, Object> s : sla) {
        if (!property.equalsIgnoreCase(String.valueOf(s.get("property")))) {
          continue;
        }
        java.time.Duration limit = duration(s.get("value"), s.get("unit"));
        if (limit == null) {
          continue;
        }
        java.time.Duration age;
        try {
          age = java.time.Duration.between(Instant.parse(String.valueOf(l.get("time"))), now);
        } catch (java.time.format.DateTimeParseException e) {
          return null;
        }
        boolean onTime = age.compareTo(limit) <= 0;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("onTime", onTime);
        f.put(
            "text",
            (onTime ? "On time: " : "Late: ")
                + "published "
                + human(age)
                + " ago; the contract's "
                + property
                + " is "
                + s.get("value")
                + " "
                + s.get("unit")
                + (onTime ? "." : ", exceeded by " + human(age.minus(limit)) + "."));
        return f;
      }
    }
    return null;
  }

  /** An SLA value and unit (ODCS: d, day(s), h, hour(s), m, min, minute(s), w, y) as a duration. */
  static java.time.Duration duration(Object value, Object unit) {
    if (!(value instanceof Number n) || unit == null) {
      return null;
    }
    double v = n.doubleValue();
    double seconds =
        switch (String.valueOf(unit).toLowerCase(Locale.ROOT)) {
          case "s", "sec", "second", "seconds" -> v;
          case "m", "min", "minute", "minutes" -> v * 60;
          case "h", "hr", "hour", "hours" -> v * 3_600;
          case "d", "day", "days" -> v * 86_400;
          case "w", "week", "weeks" -> v * 7 * 86_400;
          case "y", "yr", "year", "years" -> v * 365 * 86_400;
          default -> -1;
        };
    return seconds < 0 ? null : java.time.Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** "3 h 5 min", "2 d 4 h", "40 s": the two largest units. */
  static String human(java.time.Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3_600) {
      return s / 60 + " min";
    }
    if (s < 86_400) {
      return s / 3_600 + " h" + (s % 3_600 / 60 == 0 ? "" : " " + s % 3_600 / 60 + " min");
    }
    return s / 86_400 + " d" + (s % 86_400 / 3_600 == 0 ? "" : " " + s % 86_400 / 3_600 + " h");
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? String.format(Locale.ROOT, "%,d", (long) v)
        : String.format(Locale.ROOT, "%,.4g", v);
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
      SiteCards.replace(file, out.toString());
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
      StringBuilder b =
          open(
              "chart",
              w,
              h,
              "Rows published to " + port + " per run (" + history.size() + " runs)");
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
      return axis(b, String.format(Locale.ROOT, "%,d", max), "0", 48, w, h);
    }

    /** A chart's opening: its size and its title (the text a screen reader reads). */
    private static StringBuilder open(String cls, int w, int h, String title) {
      return new StringBuilder()
          .append("<svg role=\"img\" class=\"")
          .append(cls)
          .append("\" viewBox=\"0 0 ")
          .append(w)
          .append(' ')
          .append(h)
          .append("\" width=\"100%\" height=\"")
          .append(h)
          .append("\"><title>")
          .append(escape(title))
          .append("</title>");
    }

    /** The largest and smallest value's labels and the baseline, closing the chart. */
    private static String axis(StringBuilder b, String top, String bottom, int x, int w, int h) {
      return b.append("<text x=\"0\" y=\"16\" class=\"axis\">")
          .append(escape(top))
          .append("</text><text x=\"0\" y=\"")
          .append(h - 22)
          .append("\" class=\"axis\">")
          .append(escape(bottom))
          .append("</text><line x1=\"")
          .append(x)
          .append("\" y1=\"")
          .append(h - 20)
          .append("\" x2=\"")
          .append(w)
          .append("\" y2=\"")
          .append(h - 20)
          .append("\" class=\"rule\"/></svg>")
          .toString();
    }

    /** A rule's observed values per publish as a line, with its smallest and largest labelled. */
    static String metricChart(String port, String rule, List<double[]> points, int publishes) {
      int w = 640;
      int h = 110;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double[] p : points) {
        min = Math.min(min, p[1]);
        max = Math.max(max, p[1]);
      }
      // The scale takes in zero, as the rows chart does, so that a small change looks small.
      double lo = Math.min(min, 0);
      double hi = Math.max(max, lo == max ? lo + 1 : 0);
      double span = hi - lo;
      double slot = (w - 70.0) / Math.max(1, publishes - 1);
      StringBuilder b =
          open(
                  "chart metric",
                  w,
                  h,
                  "Rule "
                      + rule
                      + " of "
                      + port
                      + ": observed value per publish ("
                      + points.size()
                      + " values, from "
                      + format(min)
                      + " to "
                      + format(max)
                      + ")")
              .append("<polyline class=\"line\" points=\"");
      StringBuilder dots = new StringBuilder();
      for (double[] p : points) {
        double x = 60 + p[0] * slot;
        double y = h - 20 - (h - 35.0) * (p[1] - lo) / span;
        b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        dots.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" class=\"dot\"><title>%s</title></circle>",
                x,
                y,
                escape("publish " + ((int) p[0] + 1) + ": " + format(p[1]))));
      }
      b.append("\"/>").append(dots);
      return axis(b, format(hi), format(lo), 58, w, h);
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
