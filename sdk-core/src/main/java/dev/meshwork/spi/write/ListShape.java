package dev.meshwork.spi.write;

import dev.meshwork.core.schema.ListType;

/** A list held as {@code java.util.List}, with the shape of its elements. */
public record ListShape(ListType type, ValueShape element) implements ValueShape {}
