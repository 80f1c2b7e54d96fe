package dev.meshwork.spi.write;

import dev.meshwork.core.schema.DataType;

/** How values of a schema type are represented in Java: the bridge between contracts and code. */
public sealed interface ValueShape permits ScalarShape, StructShape, ListShape, MapShape {

  /** The schema type. */
  DataType type();
}
