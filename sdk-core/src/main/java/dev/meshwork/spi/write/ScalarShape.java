package dev.meshwork.spi.write;

import dev.meshwork.core.schema.DataType;

/**
 * A primitive or decimal value and the Java class that holds it (for example {@code long.class},
 * {@code Long.class}, {@code Instant.class}, an enum class for strings).
 */
public record ScalarShape(DataType type, Class<?> javaType) implements ValueShape {}
