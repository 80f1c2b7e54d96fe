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

  /** The data files of this share, for messages and balance. */
  int files();
}
