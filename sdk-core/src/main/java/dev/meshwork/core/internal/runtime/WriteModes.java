package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.WriteMode;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.RowLevelWrites;

/** An output port's write mode, as chosen, declared or defaulted, checked when the port opens. */
final class WriteModes {
  private WriteModes() {}

  /**
   * The mode {@code chosen} in code, else the port's {@code writeMode} property (checked when the
   * descriptor loaded), else append; an upsert gets the contract's primary key, a filter is checked
   * against the contract's columns.
   */
  static WriteMode resolve(
      WriteMode chosen, OutputPortSpec spec, PortBinder.Bound<?> bound, Object productSource) {
    WriteMode mode =
        chosen != null
            ? chosen
            : spec.customProperty(WriteMode.PROPERTY)
                .map(m -> WriteMode.parse(String.valueOf(m)))
                .orElse(WriteMode.append());
    String port = spec.name();
    if (mode instanceof WriteMode.Overwrite o) {
      FilterChecks.check(o.where(), bound.schema().struct(), "overwrite output '" + port + "'");
    } else if (mode instanceof WriteMode.Delete d) {
      FilterChecks.check(d.where(), bound.schema().struct(), "delete from output '" + port + "'");
    } else if (mode instanceof WriteMode.Upsert u) {
      java.util.List<String> key = u.key().isEmpty() ? bound.schema().identifierFields() : u.key();
      if (key.isEmpty()) {
        throw new ContractViolationException(
            "Cannot upsert output '"
                + port
                + "' of "
                + productSource
                + ": contract '"
                + bound.contract().id()
                + "' ("
                + bound.contract().source()
                + ") declares no primary key for '"
                + bound.object().name()
                + "'. Mark the key columns with primaryKey: true (and primaryKeyPosition for a"
                + " key of several columns).");
      }
      for (String column : key) {
        if (bound.schema().field(column).isEmpty()) {
          throw new ContractViolationException(
              "Cannot upsert output '"
                  + port
                  + "' by '"
                  + column
                  + "': contract '"
                  + bound.contract().id()
                  + "' has no such column in '"
                  + bound.object().name()
                  + "'.");
        }
      }
      mode = new WriteMode.Upsert(key);
    }
    return mode;
  }

  /** Whether {@code asked} is the mode {@code resolved} was resolved from. */
  static boolean same(WriteMode asked, WriteMode resolved) {
    return asked.equals(resolved)
        || (asked instanceof WriteMode.Upsert u
            && u.key().isEmpty()
            && resolved instanceof WriteMode.Upsert);
  }

  /** Throws, naming the store, unless {@code table} publishes in {@code mode}. */
  static void requireSupported(OutputTable table, WriteMode mode, String port) {
    if (mode.kind() == WriteMode.Kind.APPEND) {
      return;
    }
    if (table instanceof RowLevelWrites rl && rl.writeModes().contains(mode.kind())) {
      return;
    }
    throw new UnsupportedOperationException(
        "Cannot open output '"
            + port
            + "' to "
            + mode
            + ": its store's table "
            + table.info().identifier()
            + " ("
            + table.getClass().getSimpleName()
            + ") "
            + (table instanceof RowLevelWrites rl
                ? "publishes only " + rl.writeModes()
                : "only appends (it does not implement dev.meshwork.spi.RowLevelWrites)")
            + ". Use the Iceberg store, or append.");
  }
}
