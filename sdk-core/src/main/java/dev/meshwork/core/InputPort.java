package dev.meshwork.core;

import java.util.OptionalLong;
import java.util.stream.Stream;

/** A typed input port: reads the upstream table at the version pinned for the whole run. */
public interface InputPort<T> {

  /** The port name. */
  String name();

  /** The upstream table's identifier. */
  String table();

  /** The pinned table version, or empty when the upstream has published nothing yet. */
  OptionalLong version();

  /**
   * All rows at the pinned version, or those appended in the pinned range of an incremental read;
   * close the stream when done (try-with-resources).
   *
   * @throws StoreException when the port reads {@link InputRead#changes()} and the pinned range
   *     removed rows: those are only visible through {@link #changes()}
   */
  Stream<T> read();

  /**
   * The rows {@link #read()} gives that match {@code where}: files and row groups whose statistics
   * rule every row out are skipped, and the filter's columns need not be among the record's.
   *
   * @throws IllegalArgumentException when the filter names a column the contract does not have, or
   *     compares one with a value of another type
   */
  Stream<T> read(Filter where);

  /**
   * The rows the pinned range added and removed, in version order: with {@link
   * InputRead#changes()}, what appends, overwrites and deletes upstream changed since this
   * product's last run; for any other read, every row read as added. Close the stream.
   */
  Stream<Change<T>> changes();
}
