package dev.meshwork.samples.flink;

import java.time.Instant;

/** The latest known state of one drone, the record of the drone-status product's output port. */
public record DroneStatus(
    int droneId,
    String region,
    float batteryPct,
    boolean airborne,
    Instant updatedAt,
    long changeSeq) {}
