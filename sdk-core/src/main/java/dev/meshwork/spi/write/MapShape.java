package dev.meshwork.spi.write;

import dev.meshwork.core.schema.MapType;

/** A map held as {@code java.util.Map}, with the shapes of its keys and values. */
public record MapShape(MapType type, ValueShape key, ValueShape value) implements ValueShape {}
