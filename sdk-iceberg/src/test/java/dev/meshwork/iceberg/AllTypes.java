package dev.meshwork.iceberg;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** A record with every type the all-types contract declares, and a seeded generator of them. */
public record AllTypes(
    long id,
    int smallInt,
    boolean flag,
    Double ratio,
    float score,
    String label,
    Category category,
    BigDecimal amount,
    BigDecimal bigAmount,
    BigDecimal hugeAmount,
    ByteBuffer payload,
    UUID token,
    LocalDate day,
    LocalTime atTime,
    LocalDateTime localTs,
    Instant eventTs,
    Location location,
    List<String> tags,
    List<Stop> stops,
    Map<String, Long> counters) {

  /** A string column held as an enum. */
  public enum Category {
    PARCEL,
    LETTER,
    PALLET
  }

  /** A nested struct. */
  public record Location(double lat, double lon, String address) {}

  /** A struct inside a list. */
  public record Stop(int seq, String name) {}

  /** {@code n} rows from a seed; about a fifth of every optional value is null. */
  public static List<AllTypes> generate(long seed, int n) {
    Random r = new Random(seed);
    List<AllTypes> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          new AllTypes(
              i,
              r.nextInt(),
              r.nextBoolean(),
              maybe(r, r.nextDouble() * 1000 - 500),
              r.nextFloat(),
              maybe(r, "label-" + r.nextInt(100)),
              Category.values()[r.nextInt(3)],
              maybe(r, BigDecimal.valueOf(r.nextInt(1_000_000), 2)),
              maybe(r, BigDecimal.valueOf(r.nextLong() % 100_000_000_000_000L, 4)),
              maybe(r, new BigDecimal(new java.math.BigInteger(100, r), 6).negate()),
              maybe(r, ByteBuffer.wrap(bytes(r))),
              maybe(r, new UUID(r.nextLong(), r.nextLong())),
              LocalDate.of(2020, 1, 1).plusDays(r.nextInt(3000) - 1500),
              maybe(
                  r,
                  LocalTime.ofNanoOfDay(
                      r.nextInt(86_400) * 1_000_000_000L + r.nextInt(1_000_000) * 1_000L)),
              maybe(
                  r,
                  LocalDateTime.of(1965, 3, 1, 0, 0)
                      .plusNanos(
                          Math.floorMod(r.nextLong(), 2_000_000_000_000_000L) / 1000 * 1000)),
              maybe(r, Instant.ofEpochSecond(r.nextInt(), r.nextInt(1_000_000) * 1_000L)),
              maybe(
                  r,
                  new Location(
                      r.nextDouble(), r.nextDouble(), maybe(r, "street " + r.nextInt(50)))),
              maybe(r, strings(r)),
              maybe(r, stops(r)),
              maybe(r, counters(r))));
    }
    return out;
  }

  private static <T> T maybe(Random r, T value) {
    return r.nextInt(5) == 0 ? null : value;
  }

  private static byte[] bytes(Random r) {
    byte[] b = new byte[r.nextInt(12)];
    r.nextBytes(b);
    return b;
  }

  private static List<String> strings(Random r) {
    List<String> l = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      l.add(r.nextInt(6) == 0 ? null : "t" + r.nextInt(9));
    }
    return l;
  }

  private static List<Stop> stops(Random r) {
    List<Stop> l = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      l.add(new Stop(i, r.nextBoolean() ? null : "stop" + i));
    }
    return l;
  }

  private static Map<String, Long> counters(Random r) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      m.put("k" + i, r.nextBoolean() ? null : r.nextLong());
    }
    return m;
  }
}
