package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.Change;
import dev.meshwork.core.Filter;
import dev.meshwork.core.InputPort;
import dev.meshwork.core.StoreException;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.Scan;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShapes;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** An input port bound to its upstream table at the run's pinned version. */
final class InputPortImpl<T> implements InputPort<T> {
  private final String name;
  private final InputTable table;
  private final Scan scan;
  private final long removedRows;
  private final StructShape<T> shape;
  private final Schema expected;
  private final Obligations obligations;

  InputPortImpl(
      String name,
      InputTable table,
      Scan scan,
      long removedRows,
      StructShape<T> shape,
      Schema expected,
      Obligations obligations) {
    this.name = name;
    this.table = table;
    this.scan = scan;
    this.removedRows = removedRows;
    this.shape = shape;
    this.expected = expected;
    this.obligations = obligations;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String table() {
    return table.info().identifier();
  }

  @Override
  public OptionalLong version() {
    return scan.version();
  }

  Scan scan() {
    return scan;
  }

  /** This port reading the whole pinned version, also when the run reads only what was appended. */
  InputPortImpl<T> whole() {
    return new InputPortImpl<>(
        name, table, Scan.at(scan.version()), 0, shape, expected, obligations);
  }

  /** This port reading into {@code other} instead, with the same table, range and policy. */
  <U> InputPortImpl<U> as(StructShape<U> other) {
    return new InputPortImpl<>(name, table, scan, removedRows, other, expected, obligations);
  }

  /**
   * Every row as column batches straight from the store, when it decodes columns and the policy
   * asks for no masks or row filters; empty otherwise.
   */
  java.util.Optional<Stream<dev.meshwork.spi.ColumnBatch>> columns(int batchRows) {
    if (!obligations.isEmpty() || !(table instanceof dev.meshwork.spi.ColumnarReads c)) {
      return java.util.Optional.empty();
    }
    requireNoRemovals("read");
    return c.readColumns(expected.struct(), scan, batchRows);
  }

  /** The contract's columns the port reads. */
  dev.meshwork.core.schema.StructType contractStruct() {
    return expected.struct();
  }

  InputTable inputTable() {
    return table;
  }

  Obligations obligations() {
    return obligations;
  }

  /** Fails when the pinned range removed rows: a plain read would miss them. */
  void requireNoRemovals(String how) {
    if (removedRows > 0) {
      throw new StoreException(
          "Cannot "
              + how
              + " input '"
              + name
              + "' of "
              + table()
              + ": the versions it reads in this run ("
              + scan.after().getAsLong()
              + " to "
              + scan.version().getAsLong()
              + ") overwrote or deleted rows upstream ("
              + removedRows
              + " rows in the files they replaced), and what they removed only a change set"
              + " shows. Read it with changes() and apply each Change (ADDED and REMOVED) in"
              + " order.");
    }
  }

  @Override
  public Stream<Change<T>> changes() {
    if (obligations.isEmpty()) {
      return table.changes(shape, scan);
    }
    return table
        .changes(ValueShapes.rows(expected.struct()), scan)
        .map(c -> obligations.applied(c, shape))
        .filter(java.util.Objects::nonNull);
  }

  @Override
  public Stream<T> read(Filter where) {
    java.util.Objects.requireNonNull(where, "where");
    requireNoRemovals("read");
    FilterChecks.check(where, expected.struct(), "filter input '" + name + "'");
    return direct(where)
        .orElseGet(
            () ->
                // Whole rows: the filter and the policy's obligations see every column.
                obligations.applied(
                    table
                        .read(ValueShapes.rows(expected.struct()), scan)
                        .filter(r -> where.test(r::get)),
                    shape));
  }

  /**
   * The rows that match {@code where} (null: all) and the policy's row filters, read straight into
   * the record with its masks applied; empty when an obligation or the store needs whole rows.
   */
  private java.util.Optional<Stream<T>> direct(Filter where) {
    java.util.Optional<Obligations.Direct<T>> direct = obligations.direct(shape);
    if (direct.isEmpty()) {
      return java.util.Optional.empty();
    }
    StructShape<T> read = direct.get().shape();
    Filter policy = direct.get().filter();
    Filter all = where == null ? policy : policy == null ? where : Filter.and(where, policy);
    return all == null
        ? java.util.Optional.of(table.read(read, scan))
        : table.read(read, scan, all);
  }

  @Override
  public Stream<T> read() {
    requireNoRemovals("read");
    return direct(null)
        .orElseGet(
            () ->
                obligations.applied(table.read(ValueShapes.rows(expected.struct()), scan), shape));
  }
}
