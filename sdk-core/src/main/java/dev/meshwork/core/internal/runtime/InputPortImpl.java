package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.InputPort;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.StructShape;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** An input port bound to its upstream table at the run's pinned version. */
final class InputPortImpl<T> implements InputPort<T> {
  private final String name;
  private final InputTable table;
  private final OptionalLong version;
  private final StructShape<T> shape;

  InputPortImpl(String name, InputTable table, OptionalLong version, StructShape<T> shape) {
    this.name = name;
    this.table = table;
    this.version = version;
    this.shape = shape;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String table() {
    return table.info().identifier();
  }

  @Override
  public OptionalLong version() {
    return version;
  }

  @Override
  public Stream<T> read() {
    return table.read(shape, version);
  }
}
