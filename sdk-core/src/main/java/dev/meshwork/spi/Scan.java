package dev.meshwork.spi;

import java.util.OptionalLong;

/**
 * What an input read covers: the table at {@code version} (empty: nothing published yet), or, when
 * {@code after} is present, only the rows appended after that version up to {@code version}.
 */
public record Scan(OptionalLong version, OptionalLong after) {

  /** Requires both (empty is allowed). */
  public Scan {
    java.util.Objects.requireNonNull(version, "version");
    java.util.Objects.requireNonNull(after, "after");
  }

  /** The whole table at {@code version}. */
  public static Scan at(OptionalLong version) {
    return new Scan(version, OptionalLong.empty());
  }

  /** Whether only appended rows are read. */
  public boolean incremental() {
    return after.isPresent();
  }
}
