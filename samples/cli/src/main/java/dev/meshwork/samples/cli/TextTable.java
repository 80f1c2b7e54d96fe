package dev.meshwork.samples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows of text printed as aligned columns; numbers (headers starting with '#') right-aligned. */
final class TextTable {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(String... headers) {
    this.headers = List.of(headers);
  }

  /** Adds a row; null cells print as "-". */
  TextTable add(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(c == null ? "-" : String.valueOf(c));
    }
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = label(i).length();
      for (List<String> r : rows) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    line(out, widths, headers.stream().map(h -> h.replaceFirst("^#", "")).toList());
    rows.forEach(r -> line(out, widths, r));
    out.flush();
  }

  private String label(int i) {
    return headers.get(i).replaceFirst("^#", "");
  }

  private void line(PrintWriter out, int[] widths, List<String> cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      String pad = " ".repeat(widths[i] - c.length());
      b.append(headers.get(i).startsWith("#") ? pad + c : c + (i == cells.size() - 1 ? "" : pad));
      if (i < cells.size() - 1) {
        b.append("  ");
      }
    }
    out.println(b.toString().stripTrailing());
  }

  /** A byte count as B, KB, MB or GB. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** A count with thousands separators. */
  static String count(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }
}
