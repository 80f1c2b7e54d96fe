package dev.meshwork.samples;

import dev.meshwork.samples.Delivery.DeliveryStatus;
import dev.meshwork.samples.Delivery.GeoPoint;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Seeded synthetic data for one day's batch: the same day and seed give the same rows. */
public final class SyntheticData {
  /** The operating regions. */
  public static final List<String> REGIONS = List.of("north", "south", "east", "west", "central");

  private static final List<String> NO_ERRORS = List.of();
  private static final List<String> LOW_VOLTAGE = List.of("E42-low-voltage");

  private SyntheticData() {}

  /** {@code n} delivery attempts requested on {@code day}. */
  public static Stream<Delivery> deliveries(LocalDate day, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ day.toEpochDay());
    long dayStart = day.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    long idBase = day.toEpochDay() * 100_000_000L;
    return IntStream.range(0, n)
        .mapToObj(
            i -> {
              String region = REGIONS.get(random.nextInt(REGIONS.size()));
              Instant requested =
                  Instant.ofEpochSecond(
                      dayStart + random.nextInt(86_400), random.nextInt(1_000) * 1_000_000L);
              int roll = random.nextInt(100);
              DeliveryStatus status =
                  roll < 92
                      ? DeliveryStatus.DELIVERED
                      : roll < 97 ? DeliveryStatus.FAILED : DeliveryStatus.CANCELLED;
              double distance = 0.5 + random.nextDouble() * 14.5;
              int promised = 30 + 15 * random.nextInt(4);
              Instant delivered =
                  status == DeliveryStatus.DELIVERED
                      ? requested.plusSeconds((long) (distance * 120 + random.nextInt(1_800)))
                      : null;
              long orderId = idBase / 10 + random.nextInt(50_000_000);
              return new Delivery(
                  idBase + i,
                  orderId,
                  region,
                  1 + random.nextInt(400),
                  status,
                  requested,
                  delivered,
                  promised,
                  distance,
                  BigDecimal.valueOf(10 + random.nextInt(490), 2),
                  new GeoPoint(48 + random.nextDouble(), 11 + random.nextDouble()),
                  random.nextInt(10) == 0
                      ? null
                      : "customer" + (orderId % 50_000) + "@example.com");
            });
  }

  /** {@code n} telemetry samples taken on {@code day}. */
  public static Stream<TelemetrySample> telemetry(LocalDate day, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 31 + day.toEpochDay());
    long dayStart = day.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    return IntStream.range(0, n)
        .mapToObj(
            i -> {
              boolean airborne = random.nextInt(10) != 0;
              // About one sample in a thousand is a sensor glitch above 100%.
              float battery =
                  random.nextInt(1_000) == 0
                      ? 101 + random.nextInt(50)
                      : (float) (5 + random.nextDouble() * 95);
              return new TelemetrySample(
                  1 + random.nextInt(400),
                  Instant.ofEpochSecond(dayStart + random.nextInt(86_400)),
                  REGIONS.get(random.nextInt(REGIONS.size())),
                  battery,
                  airborne ? 20 + random.nextDouble() * 100 : 0,
                  airborne ? random.nextDouble() * 25 : 0,
                  airborne,
                  battery < 10 ? LOW_VOLTAGE : random.nextInt(50) == 0 ? null : NO_ERRORS);
            });
  }
}
