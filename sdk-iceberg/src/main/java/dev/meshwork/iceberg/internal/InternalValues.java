package dev.meshwork.iceberg.internal;

import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.PrimitiveType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Converts Java values to Iceberg's internal representation, for partition keys. */
final class InternalValues {
  private InternalValues() {}

  static Object toInternal(DataType type, Object v) {
    if (v == null || !(type instanceof PrimitiveType p)) {
      return v;
    }
    return switch (p) {
      case INT -> ((Number) v).intValue();
      case LONG -> ((Number) v).longValue();
      case FLOAT -> ((Number) v).floatValue();
      case DOUBLE -> ((Number) v).doubleValue();
      case STRING -> v instanceof Enum<?> e ? e.name() : v.toString();
      case BINARY -> v instanceof byte[] b ? ByteBuffer.wrap(b) : v;
      case DATE -> (int) ((LocalDate) v).toEpochDay();
      case TIME -> ((LocalTime) v).toNanoOfDay() / 1_000;
      case TIMESTAMP -> micros(((LocalDateTime) v).toInstant(ZoneOffset.UTC));
      case TIMESTAMP_TZ -> micros(v instanceof OffsetDateTime o ? o.toInstant() : (Instant) v);
      default -> v;
    };
  }

  private static long micros(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
  }
}
