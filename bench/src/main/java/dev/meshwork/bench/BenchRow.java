package dev.meshwork.bench;

import java.time.Instant;
import java.time.LocalDate;

/** One row of the benchmark table, as a pipeline would hold it. */
public record BenchRow(
    long id,
    long midCard,
    long lowCard,
    int small,
    Double measure,
    float ratio,
    boolean flag,
    Instant eventTs,
    LocalDate eventDate,
    String category,
    String payload) {}
