package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.InputSplit;
import dev.meshwork.spi.ReadSplit;
import dev.meshwork.spi.write.ValueShapes;
import java.util.stream.Stream;

/**
 * A share of an input port for a task: the product's texts (to bind the value type in the task as
 * the coordinator did), the store's split of the pinned version, and the READ decision's
 * obligations, applied to every row as {@link InputPortImpl#read()} applies them.
 */
final class InputSplitImpl<T> implements InputSplit<T> {
  private static final long serialVersionUID = 1L;

  private final ProductTexts texts;
  private final String port;
  private final Class<T> type;
  private final int index;
  private final ReadSplit split;
  private final Obligations obligations;

  InputSplitImpl(
      ProductTexts texts,
      String port,
      Class<T> type,
      int index,
      ReadSplit split,
      Obligations obligations) {
    this.texts = texts;
    this.port = port;
    this.type = type;
    this.index = index;
    this.split = split;
    this.obligations = obligations;
  }

  @Override
  public String port() {
    return port;
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public Stream<T> read() {
    PortBinder.Bound<T> bound = new PortBinder(texts.product()).input(port, type);
    java.util.Optional<Obligations.Direct<T>> direct = obligations.direct(bound.shape());
    if (direct.isPresent()) {
      // Straight into the record, masked as it is made, the policy's filter on decoded columns.
      Obligations.Direct<T> d = direct.get();
      java.util.Optional<Stream<T>> rows =
          d.filter() == null
              ? java.util.Optional.of(split.read(d.shape()))
              : split.read(d.shape(), d.filter());
      if (rows.isPresent()) {
        return rows.get();
      }
    }
    return obligations.applied(
        split.read(ValueShapes.rows(bound.schema().struct())), bound.shape());
  }

  @Override
  public String toString() {
    return "split " + index + " of input port '" + port + "' (" + split.files() + " files)";
  }
}
