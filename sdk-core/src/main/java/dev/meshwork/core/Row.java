package dev.meshwork.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An untyped row: field names to values, for pipelines without a record type. Values use the
 * canonical Java types: Boolean, Integer, Long, Float, Double, String, BigDecimal, ByteBuffer,
 * UUID, LocalDate, LocalTime, LocalDateTime (timestamp), Instant (timestamp with zone), Row
 * (struct), List and Map.
 */
public final class Row {
  private final Map<String, Object> values;

  private Row(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** A row with these values; absent fields are null. */
  public static Row of(Map<String, ?> values) {
    return new Row(new LinkedHashMap<>(values));
  }

  /** A builder that sets fields one by one. */
  public static Builder builder() {
    return new Builder();
  }

  /** The value of a field, or null when absent. */
  public Object get(String field) {
    return values.get(field);
  }

  /** The value of a field cast to a type. */
  public <V> V get(String field, Class<V> type) {
    return type.cast(values.get(field));
  }

  /** All values by field name, in schema order when read from a port. */
  public Map<String, Object> values() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row r && values.equals(r.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(values);
  }

  @Override
  public String toString() {
    return "Row" + values;
  }

  /** Builds a row. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder() {}

    /** Sets a field. */
    public Builder set(String field, Object value) {
      values.put(Objects.requireNonNull(field, "field"), value);
      return this;
    }

    /** The row. */
    public Row build() {
      return new Row(new LinkedHashMap<>(values));
    }
  }
}
