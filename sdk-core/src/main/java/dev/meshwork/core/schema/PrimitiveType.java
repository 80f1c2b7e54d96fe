package dev.meshwork.core.schema;

import java.util.Locale;

/** Primitive types; timestamps have microsecond precision, as in Iceberg v2 tables. */
public enum PrimitiveType implements DataType {
  BOOLEAN,
  INT,
  LONG,
  FLOAT,
  DOUBLE,
  STRING,
  BINARY,
  UUID,
  DATE,
  TIME,
  /** A local date-time without zone (Java {@code LocalDateTime}). */
  TIMESTAMP,
  /** An instant on the time line (Java {@code Instant} or {@code OffsetDateTime}). */
  TIMESTAMP_TZ;

  @Override
  public String display() {
    return name().toLowerCase(Locale.ROOT);
  }
}
