package dev.meshwork.samples;

import dev.meshwork.samples.Delivery.DeliveryStatus;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
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

  /**
   * Running totals of one region: what the daily statistics are computed from. Totals of disjoint
   * rows merge, so tasks can each total their share and a reduce can combine them.
   */
  public static final class RegionTotals implements Serializable {
    private static final long serialVersionUID = 1L;
    private long deliveries;
    private long delivered;
    private long onTime;
    private double minutes;
    private double distance;
    private long samples;
    private double battery;
    private long lowBattery;

    /** Adds one delivery. */
    public RegionTotals add(DeliveryFacts d) {
      deliveries++;
      distance += d.distanceKm();
      if (d.status() == DeliveryStatus.DELIVERED && d.deliveredAt() != null) {
        delivered++;
        double m = Duration.between(d.requestedAt(), d.deliveredAt()).toSeconds() / 60.0;
        minutes += m;
        if (m <= d.promisedMinutes()) {
          onTime++;
        }
      }
      return this;
    }

    /** Adds one airborne telemetry sample. */
    public RegionTotals add(BatterySample s) {
      samples++;
      battery += s.batteryPct();
      if (s.batteryPct() < 20) {
        lowBattery++;
      }
      return this;
    }

    /** Adds the totals of other rows of the same region. */
    public RegionTotals merge(RegionTotals o) {
      deliveries += o.deliveries;
      delivered += o.delivered;
      onTime += o.onTime;
      minutes += o.minutes;
      distance += o.distance;
      samples += o.samples;
      battery += o.battery;
      lowBattery += o.lowBattery;
      return this;
    }

    /** The statistics of {@code region} on {@code day} from these totals. */
    public DailyRegionStats stats(LocalDate day, String region) {
      return new DailyRegionStats(
          day,
          region,
          deliveries,
          delivered,
          delivered == 0 ? 0 : 100.0 * onTime / delivered,
          delivered == 0 ? null : minutes / delivered,
          deliveries == 0 ? 0 : distance / deliveries,
          samples == 0 ? null : battery / samples,
          lowBattery);
    }
  }

  /**
   * The totals per region of the deliveries requested on {@code day} and the samples taken airborne
   * on {@code day} among those given, in region order.
   */
  public static SortedMap<String, RegionTotals> totals(
      LocalDate day, Stream<DeliveryFacts> deliveries, Stream<BatterySample> telemetry) {
    SortedMap<String, RegionTotals> byRegion = new TreeMap<>();
    deliveries
        .filter(d -> day(d.requestedAt()).equals(day))
        .forEach(d -> byRegion.computeIfAbsent(d.region(), r -> new RegionTotals()).add(d));
    telemetry
        .filter(s -> s.airborne() && day(s.sampledAt()).equals(day))
        .forEach(s -> byRegion.computeIfAbsent(s.region(), r -> new RegionTotals()).add(s));
    return byRegion;
  }

  /** Aggregates one day of deliveries and telemetry into one row per region. */
  public static List<DailyRegionStats> aggregate(
      LocalDate day, Stream<DeliveryFacts> deliveries, Stream<BatterySample> telemetry) {
    List<DailyRegionStats> out = new ArrayList<>();
    totals(day, deliveries, telemetry).forEach((region, t) -> out.add(t.stats(day, region)));
    return out;
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
