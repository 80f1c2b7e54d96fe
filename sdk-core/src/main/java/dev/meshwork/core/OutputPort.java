package dev.meshwork.core;

import java.util.stream.Stream;

/**
 * A typed output port: values written are staged, invisible to readers, until {@link Run#commit()}
 * publishes them. Not thread-safe: write from one thread (distributed jobs use one run per task).
 */
public interface OutputPort<T> {

  /** The port name. */
  String name();

  /** The table's identifier. */
  String table();

  /** Writes one value. */
  void write(T value);

  /** Writes every value of an iterable. */
  default void writeAll(Iterable<? extends T> values) {
    for (T v : values) {
      write(v);
    }
  }

  /** Writes every value of a stream (and closes it). */
  default void writeAll(Stream<? extends T> values) {
    try (values) {
      values.forEachOrdered(this::write);
    }
  }

  /** Values written so far. */
  long rows();
}
