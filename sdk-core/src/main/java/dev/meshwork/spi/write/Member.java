package dev.meshwork.spi.write;

import dev.meshwork.core.schema.Field;

/** One field of a struct shape: the schema field, how to read it, and its value shape. */
public record Member<T>(Field field, FieldAccessor<T> accessor, ValueShape shape) {}
