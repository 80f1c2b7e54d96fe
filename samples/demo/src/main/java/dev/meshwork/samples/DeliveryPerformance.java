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

  /** A day and a region: what one row of the daily statistics is about. */
  public record DayRegion(LocalDate day, String region)
      implements Comparable<DayRegion>, Serializable {
    @Override
    public int compareTo(DayRegion o) {
      int c = day.compareTo(o.day);
      return c != 0 ? c : region.compareTo(o.region);
    }
  }

  /**
   * The totals per day and region of the deliveries (by the day they were requested) and the
   * airborne samples (by the day they were taken) given, in day and region order. An incremental
   * run is given what its sources published since its last run: whole days, so every day it sees is
   * complete.
   */
  public static SortedMap<DayRegion, RegionTotals> totals(
      Stream<DeliveryFacts> deliveries, Stream<BatterySample> telemetry) {
    SortedMap<DayRegion, RegionTotals> totals = new TreeMap<>();
    deliveries.forEach(
        d ->
            totals
                .computeIfAbsent(
                    new DayRegion(day(d.requestedAt()), d.region()), k -> new RegionTotals())
                .add(d));
    telemetry
        .filter(BatterySample::airborne)
        .forEach(
            s ->
                totals
                    .computeIfAbsent(
                        new DayRegion(day(s.sampledAt()), s.region()), k -> new RegionTotals())
                    .add(s));
    return totals;
  }

  /** Aggregates deliveries and telemetry into one row per day and region. */
  public static List<DailyRegionStats> aggregate(
      Stream<DeliveryFacts> deliveries, Stream<BatterySample> telemetry) {
    List<DailyRegionStats> out = new ArrayList<>();
    totals(deliveries, telemetry).forEach((k, t) -> out.add(t.stats(k.day(), k.region())));
    return out;
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
