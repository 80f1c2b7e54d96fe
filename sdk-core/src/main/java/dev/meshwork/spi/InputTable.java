package dev.meshwork.spi;

import dev.meshwork.core.schema.Schema;
import dev.meshwork.spi.write.StructShape;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** An input port's upstream table, opened by a store for one run. */
public interface InputTable {

  /** The table's name and location. */
  TableInfo info();

  /** The table's current schema. */
  Schema schema();

  /** The current version, or empty when nothing was published yet. */
  OptionalLong currentVersion();

  /**
   * Reads the table at one version (empty: the table has no data yet) as values of a shape. The
   * stream must be closed.
   */
  <T> Stream<T> read(StructShape<T> shape, OptionalLong version);

  /**
   * The table at one version cut into at most {@code count} serializable shares of about equal size
   * for tasks elsewhere (empty when the version is empty).
   */
  default java.util.List<ReadSplit> splits(OptionalLong version, int count) {
    throw new UnsupportedOperationException(
        info().identifier() + " cannot be read in splits by tasks elsewhere");
  }
}
