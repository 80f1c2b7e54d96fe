package dev.meshwork.samples;

import java.math.BigDecimal;
import java.time.Instant;

/** A delivery attempt, the record of the deliveries product's output port. */
public record Delivery(
    long deliveryId,
    long orderId,
    String region,
    int droneId,
    DeliveryStatus status,
    Instant requestedAt,
    Instant deliveredAt,
    int promisedMinutes,
    double distanceKm,
    BigDecimal weightKg,
    GeoPoint dropPoint,
    String customerEmail) {

  /** The outcome of a delivery attempt. */
  public enum DeliveryStatus {
    DELIVERED,
    FAILED,
    CANCELLED
  }

  /** A position in degrees. */
  public record GeoPoint(double lat, double lon) {}
}
