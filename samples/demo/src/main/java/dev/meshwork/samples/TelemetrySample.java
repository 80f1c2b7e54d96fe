package dev.meshwork.samples;

import java.time.Instant;
import java.util.List;

/** One in-flight sample of a drone, the record of the drone-telemetry product's output port. */
public record TelemetrySample(
    int droneId,
    Instant sampledAt,
    String region,
    float batteryPct,
    double altitudeM,
    double speedMps,
    boolean airborne,
    List<String> errorCodes) {}
