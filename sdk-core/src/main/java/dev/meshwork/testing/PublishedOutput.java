package dev.meshwork.testing;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Row;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.TableAddress;
import dev.meshwork.spi.write.ValueShapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The rows an output port has published (its current version), read back from the store, with
 * checks that fail with an {@link AssertionError} naming the table, the column and the offending
 * values.
 */
public final class PublishedOutput {
  private final String table;
  private final OptionalLong version;
  private final List<Row> rows;

  private PublishedOutput(String table, OptionalLong version, List<Row> rows) {
    this.table = table;
    this.version = version;
    this.rows = List.copyOf(rows);
  }

  static PublishedOutput read(Mesh mesh, DataProduct product, String port) {
    // An unknown port fails here, naming the ports there are.
    TableAddress address =
        new TableAddress(product.domain(), product.displayName(), product.outputKey(port));
    InputTable t =
        mesh.store()
            .openExisting(address)
            .orElseThrow(
                () -> new AssertionError("Output " + address + " has no table: nothing published"));
    OptionalLong v = t.currentVersion();
    List<Row> rows = new ArrayList<>();
    try (Stream<Row> s = t.read(ValueShapes.rows(new StructType(t.schema().fields())), v)) {
      s.forEach(rows::add);
    }
    return new PublishedOutput(t.info().identifier(), v, rows);
  }

  /** The table's name in the store. */
  public String table() {
    return table;
  }

  /** The published version (empty when nothing was published yet). */
  public OptionalLong version() {
    return version;
  }

  /** The published rows, in the store's order. */
  public List<Row> rows() {
    return rows;
  }

  /** The values of one column, row by row. */
  public List<Object> column(String name) {
    List<Object> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(r.get(name));
    }
    return out;
  }

  /** Checks the number of published rows. */
  public PublishedOutput hasRows(long expected) {
    if (rows.size() != expected) {
      throw new AssertionError(
          table + ": expected " + expected + " published rows, found " + rows.size());
    }
    return this;
  }

  /** Checks that no two rows share a value of {@code column} (nulls count as values). */
  public PublishedOutput hasUniqueValues(String column) {
    Map<Object, Integer> seen = new HashMap<>();
    for (Object v : column(column)) {
      seen.merge(v, 1, Integer::sum);
    }
    List<Object> repeated =
        seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    if (!repeated.isEmpty()) {
      throw new AssertionError(
          table
              + ": column "
              + column
              + " repeats "
              + repeated.size()
              + " value(s), such as "
              + repeated.subList(0, Math.min(5, repeated.size())));
    }
    return this;
  }

  /** Checks that {@code column} has no nulls. */
  public PublishedOutput hasNoNulls(String column) {
    long nulls = column(column).stream().filter(Objects::isNull).count();
    if (nulls > 0) {
      throw new AssertionError(table + ": column " + column + " has " + nulls + " null(s)");
    }
    return this;
  }

  /** Checks that every row satisfies {@code condition}, described for the failure message. */
  public PublishedOutput allRowsMatch(String description, Predicate<Row> condition) {
    List<Row> failing = rows.stream().filter(condition.negate()).limit(3).toList();
    if (!failing.isEmpty()) {
      throw new AssertionError(
          table + ": rows that are not " + description + ", such as " + failing);
    }
    return this;
  }

  @Override
  public String toString() {
    return table
        + " @"
        + (version.isPresent() ? version.getAsLong() : "nothing")
        + ": "
        + rows.size()
        + " rows";
  }
}
