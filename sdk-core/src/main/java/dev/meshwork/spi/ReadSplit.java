package dev.meshwork.spi;

import dev.meshwork.spi.write.StructShape;
import java.io.Serializable;
import java.util.stream.Stream;

/**
 * A share of an input table at one pinned version that a task elsewhere reads on its own: no
 * catalog inside, serializable. A store hands them out with {@link InputTable#splits}.
 */
public interface ReadSplit extends Serializable {

  /** The rows of this share as values of a shape; close the stream. */
  <T> Stream<T> read(StructShape<T> shape);

  /**
   * The rows of this share that match {@code where} (top-level columns of the table, not
   * necessarily of the shape); empty when this store cannot filter and the caller filters whole
   * rows. Close the stream.
   */
  default <T> java.util.Optional<Stream<T>> read(
      StructShape<T> shape, dev.meshwork.core.Filter where) {
    return java.util.Optional.empty();
  }

  /** The data files of this share, for messages and balance. */
  int files();
}
