package dev.meshwork.samples;

import java.time.LocalDate;

/** Delivery performance of one region on one day, the consumer product's output record. */
public record DailyRegionStats(
    LocalDate day,
    String region,
    long deliveries,
    long delivered,
    double onTimePct,
    Double avgMinutes,
    double avgDistanceKm,
    Double avgBatteryPct,
    long lowBatterySamples) {}
