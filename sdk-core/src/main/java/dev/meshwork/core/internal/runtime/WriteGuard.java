package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.Filter;
import dev.meshwork.core.RunStateException;
import dev.meshwork.core.WriteMode;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.StructShape;
import java.util.HashMap;
import java.util.Map;

/**
 * What a write mode demands of each row as it is written: an overwrite's rows must match its filter
 * (else it would publish rows outside the slice it replaces, and a rerun could not replace them), a
 * delete takes no rows. Null when the mode demands nothing.
 */
final class WriteGuard<T> {
  private final String what;
  private final WriteMode mode;
  private final Map<String, FieldAccessor<T>> columns;

  private WriteGuard(String what, WriteMode mode, Map<String, FieldAccessor<T>> columns) {
    this.what = what;
    this.mode = mode;
    this.columns = columns;
  }

  /** The guard of {@code mode} for values of {@code shape}, or null when it checks nothing. */
  static <T> WriteGuard<T> of(String what, WriteMode mode, StructShape<T> shape) {
    if (mode instanceof WriteMode.Delete) {
      return new WriteGuard<>(what, mode, Map.of());
    }
    if (!(mode instanceof WriteMode.Overwrite o)) {
      return null;
    }
    Map<String, FieldAccessor<T>> columns = new HashMap<>();
    for (String c : o.where().columns()) {
      for (Member<T> m : shape.members()) {
        if (m.field().name().equals(c)) {
          columns.put(c, m.accessor());
        }
      }
    }
    return new WriteGuard<>(what, mode, columns);
  }

  /** Throws unless {@code value} may be written in this mode. */
  void check(T value) {
    if (mode instanceof WriteMode.Delete) {
      throw new RunStateException(
          "Cannot write to "
              + what
              + ": it was opened to "
              + mode
              + ", which takes no rows. Open it with another WriteMode to write rows.");
    }
    Filter where = ((WriteMode.Overwrite) mode).where();
    if (!where.test(c -> FieldAccessor.readBoxed(columns.get(c), value))) {
      StringBuilder values = new StringBuilder();
      for (Map.Entry<String, FieldAccessor<T>> e : columns.entrySet()) {
        values.append(values.length() == 0 ? "" : ", ");
        values.append(e.getKey()).append('=').append(FieldAccessor.readBoxed(e.getValue(), value));
      }
      throw new ContractViolationException(
          "Cannot write a row with "
              + values
              + " to "
              + what
              + ": it is opened to "
              + mode
              + ", and every row written must match that filter (a row outside it would not be"
              + " replaced by the next restatement). Widen the filter or write the row in another"
              + " run.");
    }
  }
}
