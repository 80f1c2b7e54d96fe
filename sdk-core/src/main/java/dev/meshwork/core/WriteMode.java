package dev.meshwork.core;

import java.util.List;
import java.util.Objects;

/**
 * How the rows an output port writes change its table when the run publishes: appended (the
 * default), replacing the rows a filter matches, replacing the partitions written, replacing the
 * rows with the same primary key (upsert), or removing the rows a filter matches. Every mode
 * publishes one version, exactly once per run id; concurrent writers whose changes meet fail rather
 * than lose each other's rows. Chosen in code with {@link Run#output(String, Class, WriteMode)}, or
 * for the modes without a filter with the output port's custom property {@code writeMode} ({@code
 * append}, {@code replacePartitions}, {@code upsert}).
 */
public sealed interface WriteMode extends java.io.Serializable
    permits WriteMode.Append,
        WriteMode.Overwrite,
        WriteMode.ReplacePartitions,
        WriteMode.Upsert,
        WriteMode.Delete {

  /** The custom property of an output port that chooses its default mode in the descriptor. */
  String PROPERTY = "writeMode";

  /** What a mode does, for stores to check what they support. */
  enum Kind {
    /** Adds the rows. */
    APPEND,
    /** Replaces the rows a filter matches. */
    OVERWRITE,
    /** Replaces the partitions the rows fall in. */
    REPLACE_PARTITIONS,
    /** Replaces the rows with the written rows' keys, adds the others. */
    UPSERT,
    /** Removes the rows a filter matches. */
    DELETE
  }

  /** What this mode does. */
  Kind kind();

  /** Adds the written rows (the default). */
  static WriteMode append() {
    return new Append();
  }

  /**
   * Replaces the rows {@code where} matches with the written rows, each of which must match it: a
   * day restated, a slice recomputed. Nothing else changes.
   */
  static WriteMode overwrite(Filter where) {
    return new Overwrite(where);
  }

  /**
   * Replaces every partition a written row falls in with the written rows (a dynamic partition
   * overwrite); on an unpartitioned table, the whole table.
   */
  static WriteMode replacePartitions() {
    return new ReplacePartitions();
  }

  /**
   * Replaces the rows whose primary key (the contract's {@code primaryKey} columns) a written row
   * has, and adds the rows with new keys. A run writes each key at most once.
   */
  static WriteMode upsert() {
    return new Upsert(List.of());
  }

  /** Removes the rows {@code where} matches; the port takes no rows. */
  static WriteMode delete(Filter where) {
    return new Delete(where);
  }

  /**
   * The mode named in a descriptor: {@code append}, {@code replacePartitions} or {@code upsert}
   * (the modes that need a filter are chosen in code).
   */
  static WriteMode parse(String mode) {
    String m = mode == null ? "" : mode.trim();
    return switch (m) {
      case "append" -> append();
      case "replacePartitions" -> replacePartitions();
      case "upsert" -> upsert();
      case "overwrite", "delete" ->
          throw new IllegalArgumentException(
              PROPERTY
                  + " '"
                  + m
                  + "' needs a filter, so it is chosen in code: run.output(port, type,"
                  + " WriteMode."
                  + m
                  + "(Filter...))");
      default ->
          throw new IllegalArgumentException(
              PROPERTY
                  + " must be 'append', 'replacePartitions' or 'upsert', but was '"
                  + mode
                  + "'");
    };
  }

  /** Adds the rows. */
  record Append() implements WriteMode {
    @Override
    public Kind kind() {
      return Kind.APPEND;
    }

    @Override
    public String toString() {
      return "append";
    }
  }

  /** Replaces the rows {@code where} matches. */
  record Overwrite(Filter where) implements WriteMode {
    /** Requires the filter. */
    public Overwrite {
      Objects.requireNonNull(where, "where");
    }

    @Override
    public Kind kind() {
      return Kind.OVERWRITE;
    }

    @Override
    public String toString() {
      return "overwrite where " + where;
    }
  }

  /** Replaces the partitions written. */
  record ReplacePartitions() implements WriteMode {
    @Override
    public Kind kind() {
      return Kind.REPLACE_PARTITIONS;
    }

    @Override
    public String toString() {
      return "replace partitions";
    }
  }

  /**
   * Replaces rows by key: {@code key} names the key columns, empty for the contract's primary key
   * (the run resolves it when the port opens).
   */
  record Upsert(List<String> key) implements WriteMode {
    /** Copies the key columns. */
    public Upsert {
      key = List.copyOf(key);
    }

    @Override
    public Kind kind() {
      return Kind.UPSERT;
    }

    @Override
    public String toString() {
      return key.isEmpty() ? "upsert" : "upsert by " + key;
    }
  }

  /** Removes the rows {@code where} matches. */
  record Delete(Filter where) implements WriteMode {
    /** Requires the filter. */
    public Delete {
      Objects.requireNonNull(where, "where");
    }

    @Override
    public Kind kind() {
      return Kind.DELETE;
    }

    @Override
    public String toString() {
      return "delete where " + where;
    }
  }
}
