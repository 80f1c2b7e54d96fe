package dev.meshwork.samples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.SummaryKeys;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshwork inspect}: the products, ports and versions of a warehouse. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "The products of a warehouse: every port's table, its current version (run, time, rows, files,"
          + " bytes, quality, contract version), quarantined rows and the consumers' pinned"
          + " versions. With PRODUCT, that product's history, version by version."
    },
    footer = {
      "",
      "Examples:",
      "  meshwork inspect",
      "  meshwork inspect deliveries --warehouse target/demo",
      "  meshwork inspect --format json"
    })
final class InspectCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final String CONSUMER_TAG = "meshwork-consumed-by.";
  private static final String MAINTENANCE = "meshwork.maintenance";

  @Mixin WarehouseOption where;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text (default) or json.",
      paramLabel = "FORMAT")
  Format format;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PRODUCT",
      description = "A product's name (or its table namespace, domain.product): its history.")
  String product;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** How to print. */
  enum Format {
    text,
    json
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Mesh mesh = where.mesh()) {
      Catalog catalog = WarehouseOption.iceberg(mesh).catalog();
      List<TableIdentifier> tables = tables(catalog);
      if (product != null) {
        String wanted = product.replace('-', '_');
        tables.removeIf(
            t ->
                !t.namespace().toString().equals(wanted)
                    && !t.namespace().level(t.namespace().length() - 1).equals(wanted));
        if (tables.isEmpty()) {
          throw new IllegalArgumentException(
              "no product '"
                  + product
                  + "' in "
                  + mesh.store().describe()
                  + ". Run meshwork inspect to list its products.");
        }
        return history(catalog, tables, out);
      }
      return overview(catalog, tables, out, mesh.store().describe());
    }
  }

  private int overview(Catalog catalog, List<TableIdentifier> ids, PrintWriter out, String store)
      throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TableIdentifier id : ids) {
      Table t = catalog.loadTable(id);
      Map<String, String> props = t.properties();
      String port = props.get(SummaryKeys.PORT);
      if (port == null || port.equals(dev.meshwork.spi.MetricsHistory.TABLE)) {
        continue; // not a port: a product's quality history
      }
      Snapshot s = t.currentSnapshot();
      // Run, quality and contract of the last run; maintenance (compaction, erasure) after it is
      // named apart.
      Snapshot run = s;
      List<String> since = new ArrayList<>();
      while (run != null && run.summary().containsKey(MAINTENANCE)) {
        since.add(run.summary().get(MAINTENANCE));
        run = run.parentId() == null ? null : t.snapshot(run.parentId());
      }
      Map<String, String> sum = run == null ? Map.of() : run.summary();
      Map<String, String> now = s == null ? Map.of() : s.summary();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("product", id.namespace().toString());
      row.put("port", port);
      row.put("table", id.toString());
      row.put("version", s == null ? null : s.snapshotId());
      row.put("run", sum.get(SummaryKeys.RUN_ID));
      row.put(
          "committed",
          run == null ? null : TIME.format(Instant.ofEpochMilli(run.timestampMillis())));
      row.put("rows", number(now.get("total-records")));
      row.put("files", number(now.get("total-data-files")));
      row.put("bytes", number(now.get("total-files-size")));
      row.put("quality", quality(sum));
      // The table's properties name the contract too, for a table whose runs' versions expired.
      String contract =
          sum.getOrDefault(SummaryKeys.CONTRACT_ID, props.get(SummaryKeys.CONTRACT_ID));
      String contractVersion =
          sum.getOrDefault(SummaryKeys.CONTRACT_VERSION, props.get(SummaryKeys.CONTRACT_VERSION));
      row.put(
          "contract",
          contract == null
              ? null
              : contract + (contractVersion == null ? "" : " " + contractVersion));
      java.util.Collections.reverse(since);
      row.put("maintenanceSince", since);
      row.put("quarantineOf", props.get(SummaryKeys.QUARANTINE_OF));
      List<String> pins = new ArrayList<>();
      for (Map.Entry<String, SnapshotRef> r : t.refs().entrySet()) {
        if (r.getKey().startsWith(CONSUMER_TAG)) {
          pins.add(r.getKey().substring(CONSUMER_TAG.length()) + "@" + r.getValue().snapshotId());
        }
      }
      row.put("consumers", pins);
      rows.add(row);
    }
    if (format == Format.json) {
      json(out, rows);
      return 0;
    }
    out.println("Warehouse: " + store);
    if (rows.isEmpty()) {
      out.println("No product has published yet.");
      return 0;
    }
    TextTable table =
        new TextTable(
            "PRODUCT",
            "PORT",
            "#VERSION",
            "RUN",
            "COMMITTED (UTC)",
            "#ROWS",
            "#FILES",
            "#SIZE",
            "QUALITY",
            "CONTRACT",
            "SINCE THE RUN");
    for (Map<String, Object> r : rows) {
      @SuppressWarnings("unchecked")
      List<String> since = (List<String>) r.get("maintenanceSince");
      table.add(
          r.get("product"),
          r.get("port"),
          r.get("version"),
          shorten((String) r.get("run")),
          r.get("committed"),
          r.get("rows") == null ? null : TextTable.count((Long) r.get("rows")),
          r.get("files"),
          r.get("bytes") == null ? null : TextTable.bytes((Long) r.get("bytes")),
          r.get("quality"),
          r.get("contract"),
          since.isEmpty() ? null : String.join(", ", since));
    }
    table.print(out);
    List<String> consumed = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      @SuppressWarnings("unchecked")
      List<String> pins = (List<String>) r.get("consumers");
      pins.forEach(p -> consumed.add(r.get("table") + " <- " + p));
    }
    if (!consumed.isEmpty()) {
      out.println();
      out.println("Consumers' pinned versions (table <- consumer@version):");
      consumed.forEach(c -> out.println("  " + c));
    }
    return 0;
  }

  private int history(Catalog catalog, List<TableIdentifier> ids, PrintWriter out)
      throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TableIdentifier id : ids) {
      Table t = catalog.loadTable(id);
      List<Snapshot> snapshots = new ArrayList<>();
      t.snapshots().forEach(snapshots::add);
      for (Snapshot s : snapshots) {
        Map<String, String> sum = s.summary();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("table", id.toString());
        row.put("version", s.snapshotId());
        row.put("committed", TIME.format(Instant.ofEpochMilli(s.timestampMillis())));
        row.put("operation", s.operation());
        row.put(
            "what",
            sum.containsKey(MAINTENANCE)
                ? "maintenance: " + sum.get(MAINTENANCE)
                : sum.getOrDefault("meshwork.write.mode", s.operation()));
        row.put("run", sum.get(SummaryKeys.RUN_ID));
        // Rows a rewrite carried over are not news.
        Long added = number(sum.get("added-records"));
        Long carried = number(sum.get("meshwork.write.rewritten-rows"));
        row.put("added", added == null || carried == null ? added : added - carried);
        row.put("removed", removed(sum));
        row.put("rows", number(sum.get("total-records")));
        row.put("quality", quality(sum));
        row.put("contractVersion", sum.get(SummaryKeys.CONTRACT_VERSION));
        rows.add(row);
      }
    }
    if (format == Format.json) {
      json(out, rows);
      return 0;
    }
    TextTable table =
        new TextTable(
            "TABLE",
            "#VERSION",
            "COMMITTED (UTC)",
            "WHAT",
            "RUN",
            "#ADDED",
            "#REMOVED",
            "#ROWS",
            "QUALITY",
            "CONTRACT");
    for (Map<String, Object> r : rows) {
      table.add(
          r.get("table"),
          r.get("version"),
          r.get("committed"),
          r.get("what"),
          shorten((String) r.get("run")),
          fmt(r.get("added")),
          fmt(r.get("removed")),
          fmt(r.get("rows")),
          r.get("quality"),
          r.get("contractVersion"));
    }
    table.print(out);
    return 0;
  }

  /** Every table of the catalog, namespaces searched to any depth, sorted. */
  static List<TableIdentifier> tables(Catalog catalog) {
    List<TableIdentifier> out = new ArrayList<>();
    if (!(catalog instanceof SupportsNamespaces ns)) {
      throw new IllegalArgumentException(
          "the catalog " + catalog.name() + " cannot list its namespaces");
    }
    List<Namespace> todo = new ArrayList<>(ns.listNamespaces());
    while (!todo.isEmpty()) {
      Namespace n = todo.remove(0);
      out.addAll(catalog.listTables(n));
      todo.addAll(ns.listNamespaces(n));
    }
    out.sort(java.util.Comparator.comparing(TableIdentifier::toString));
    return out;
  }

  private static Long number(String v) {
    return v == null ? null : Long.parseLong(v);
  }

  private static Long removed(Map<String, String> sum) {
    String meshwork = sum.get("meshwork.write.removed-rows");
    if (meshwork != null) {
      return Long.parseLong(meshwork);
    }
    long deleted = 0;
    for (String k : List.of("deleted-records", "added-position-deletes")) {
      if (sum.containsKey(k)) {
        deleted += Long.parseLong(sum.get(k));
      }
    }
    return deleted;
  }

  private static String quality(Map<String, String> sum) {
    String passed = sum.get(SummaryKeys.QUALITY_PASSED);
    if (passed == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(passed + " passed");
    // A published version failed no blocking rule: its failures are warnings, which the gate also
    // counts among its warnings (with rules it could not run); each is shown once.
    long failed = Long.parseLong(sum.getOrDefault(SummaryKeys.QUALITY_FAILED, "0"));
    long warnings = Long.parseLong(sum.getOrDefault(SummaryKeys.QUALITY_WARNINGS, "0"));
    if (failed > 0) {
      b.append(", ").append(failed).append(" failed (warn)");
    }
    if (warnings > failed) {
      b.append(", ").append(warnings - failed).append(" warn");
    }
    String quarantined = sum.getOrDefault(SummaryKeys.QUALITY_QUARANTINED, "0");
    if (!"0".equals(quarantined)) {
      b.append(", ").append(quarantined).append(" quarantined");
    }
    return b.toString();
  }

  private static String fmt(Object n) {
    return n instanceof Long l ? TextTable.count(l) : null;
  }

  /** A run id short enough for a column: long generated ids keep their first 13 characters. */
  private static String shorten(String run) {
    return run == null || run.length() <= 24 ? run : run.substring(0, 13) + "…";
  }

  private static void json(PrintWriter out, Object value) throws Exception {
    out.println(
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
    out.flush();
  }
}
