package dev.meshwork.samples;

import dev.meshwork.samples.Delivery.DeliveryStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The consumer product's transformation: daily per-region delivery and battery statistics. */
public final class DeliveryPerformance {

  /** The columns of the deliveries port this product needs (input ports read projections). */
  public record DeliveryFacts(
      String region,
      DeliveryStatus status,
      Instant requestedAt,
      Instant deliveredAt,
      int promisedMinutes,
      double distanceKm) {}

  /** The columns of the telemetry port this product needs. */
  public record BatterySample(
      String region, Instant sampledAt, float batteryPct, boolean airborne) {}

  private DeliveryPerformance() {}

  private static final class Acc {
    long deliveries;
    long delivered;
    long onTime;
    double minutes;
    double distance;
    long samples;
    double battery;
    long lowBattery;
  }

  /** Aggregates one day of deliveries and telemetry into one row per region. */
  public static List<DailyRegionStats> aggregate(
      LocalDate day, Stream<DeliveryFacts> deliveries, Stream<BatterySample> telemetry) {
    Map<String, Acc> byRegion = new TreeMap<>();
    deliveries
        .filter(d -> day(d.requestedAt()).equals(day))
        .forEach(
            d -> {
              Acc a = byRegion.computeIfAbsent(d.region(), r -> new Acc());
              a.deliveries++;
              a.distance += d.distanceKm();
              if (d.status() == DeliveryStatus.DELIVERED && d.deliveredAt() != null) {
                a.delivered++;
                double minutes =
                    Duration.between(d.requestedAt(), d.deliveredAt()).toSeconds() / 60.0;
                a.minutes += minutes;
                if (minutes <= d.promisedMinutes()) {
                  a.onTime++;
                }
              }
            });
    telemetry
        .filter(s -> s.airborne() && day(s.sampledAt()).equals(day))
        .forEach(
            s -> {
              Acc a = byRegion.computeIfAbsent(s.region(), r -> new Acc());
              a.samples++;
              a.battery += s.batteryPct();
              if (s.batteryPct() < 20) {
                a.lowBattery++;
              }
            });
    List<DailyRegionStats> out = new ArrayList<>();
    byRegion.forEach(
        (region, a) ->
            out.add(
                new DailyRegionStats(
                    day,
                    region,
                    a.deliveries,
                    a.delivered,
                    a.delivered == 0 ? 0 : 100.0 * a.onTime / a.delivered,
                    a.delivered == 0 ? null : a.minutes / a.delivered,
                    a.deliveries == 0 ? 0 : a.distance / a.deliveries,
                    a.samples == 0 ? null : a.battery / a.samples,
                    a.lowBattery)));
    return out;
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
