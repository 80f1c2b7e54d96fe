package dev.meshwork.core;

import java.util.Objects;

/**
 * One row of an input's change set ({@link InputPort#changes()}): a row the upstream {@code
 * version} added or removed. Applied in the order read, changes turn the table before the range
 * into the table at its end; a row an upstream version rewrote without changing it is not a change.
 */
public record Change<T>(Kind kind, T row, long version) {

  /** Whether the row was added or removed. */
  public enum Kind {
    /** The upstream version added the row. */
    ADDED,
    /** The upstream version removed the row (a correction, a restatement, an erasure). */
    REMOVED
  }

  /** Requires the kind and the row. */
  public Change {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(row, "row");
  }

  /** Whether the row was added. */
  public boolean added() {
    return kind == Kind.ADDED;
  }

  /** This change with its row turned into another value. */
  public <U> Change<U> map(java.util.function.Function<? super T, ? extends U> f) {
    return new Change<>(kind, f.apply(row), version);
  }
}
