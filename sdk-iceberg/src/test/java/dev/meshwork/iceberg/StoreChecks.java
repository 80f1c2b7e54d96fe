package dev.meshwork.iceberg;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.model.DataProduct;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/** The shop product's orders port, and what tests check on its table whatever the store. */
final class StoreChecks {
  static final Path DIR = Path.of("src/test/resources/lifecycle");
  static final TableIdentifier ORDERS = TableIdentifier.parse("sales.shop.orders");

  /** A row of the shop's orders port. */
  record Order(long orderId, String region, BigDecimal amount, String note) {}

  private StoreChecks() {}

  /**
   * The JDBC URL of the test PostgreSQL after checking that it answers; aborts the test (skipped,
   * with the reason) when {@code MESHWORK_TEST_POSTGRES} is unset or the server does not answer.
   */
  static String postgres() {
    String url = System.getenv("MESHWORK_TEST_POSTGRES");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        url != null && !url.isBlank(),
        "MESHWORK_TEST_POSTGRES is not set: skipping the PostgreSQL catalog (.ci/run starts one)");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url)) {
      c.isValid(5);
    } catch (java.sql.SQLException e) {
      org.junit.jupiter.api.Assumptions.abort(
          "PostgreSQL at MESHWORK_TEST_POSTGRES does not answer (" + e.getMessage() + ")");
    }
    return url;
  }

  /**
   * {@link #postgres()} with its Iceberg catalog emptied: one database serves every test (in one
   * JVM at a time), so tables left by an earlier test, whose files are gone, must not be found.
   */
  static String emptyPostgres() {
    String url = postgres();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS iceberg_tables, iceberg_namespace_properties");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("Cannot empty the test catalog at " + url, e);
    }
    return url;
  }

  static DataProduct shop() {
    return DataProduct.load(DIR.resolve("shop.yaml"));
  }

  /** Orders with keys {@code from} to {@code from + n - 1}. */
  static List<Order> orders(long from, int n) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                new Order(
                    from + i,
                    i % 2 == 0 ? "north" : "south",
                    BigDecimal.valueOf(from + i, 2),
                    i % 7 == 0 ? null : "note " + i))
        .toList();
  }

  /** The run id (a UUID) a test calls {@code name}. */
  static String runId(String name) {
    return java.util
        .UUID
        .nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  /** Publishes {@code rows} in one run with the id {@link #runId} of {@code name}. */
  static RunResult publish(Mesh mesh, String name, List<Order> rows) {
    try (Run run =
        mesh.start(
            shop(),
            Principal.service("store-test"),
            RunOptions.builder().runId(runId(name)).build())) {
      run.output("orders", Order.class).writeAll(rows);
      return run.commit();
    }
  }

  static Table orders(IcebergStore store) {
    return store.catalog().loadTable(ORDERS);
  }

  /** Every order id readers of main see, in file order. */
  static List<Long> orderIds(Table table) {
    table.refresh();
    List<Long> ids = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(r -> ids.add((Long) r.getField("order_id")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  static int snapshotCount(Table table) {
    table.refresh();
    int n = 0;
    for (Snapshot ignored : table.snapshots()) {
      n++;
    }
    return n;
  }

  /** Data files stored under the table's data folder, whatever the storage. */
  static Set<String> storedDataFiles(Table table) {
    Set<String> out = new TreeSet<>();
    for (FileInfo f :
        ((SupportsPrefixOperations) table.io()).listPrefix(table.location() + "/data/")) {
      out.add(normalise(f.location()));
    }
    return out;
  }

  /** Data files some snapshot of the table references. */
  static Set<String> referencedDataFiles(Table table) {
    table.refresh();
    Set<String> out = new TreeSet<>();
    for (Snapshot s : table.snapshots()) {
      s.addedDataFiles(table.io()).forEach(f -> out.add(normalise(f.location())));
    }
    return out;
  }

  /** Stored data files no snapshot references. */
  static Set<String> orphans(Table table) {
    Set<String> stored = storedDataFiles(table);
    stored.removeAll(referencedDataFiles(table));
    return stored;
  }

  // Listings and metadata spell local paths as file:/x or file:///x.
  private static String normalise(String location) {
    return location.replaceFirst("^file:/+", "/");
  }
}
