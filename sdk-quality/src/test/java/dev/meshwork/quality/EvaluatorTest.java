package dev.meshwork.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Row;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.quality.internal.DistinctCounter;
import dev.meshwork.quality.internal.Evaluator;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShapes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  private static final StructShape<Row> SHAPE =
      ValueShapes.rows(
          new StructType(
              List.of(
                  Field.optional("id", PrimitiveType.LONG),
                  Field.optional("status", PrimitiveType.STRING),
                  Field.optional("amount", PrimitiveType.DOUBLE),
                  Field.optional("at", PrimitiveType.TIMESTAMP_TZ))));
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  private static Row row(Long id, String status, Double amount, Instant at) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("id", id);
    m.put("status", status);
    m.put("amount", amount);
    m.put("at", at);
    return Row.of(m);
  }

  /** 10 rows whose counts are easy to see: */
  private static final List<Row> ROWS =
      List.of(
          row(1L, "OPEN", 10.0, Instant.parse("2026-11-22T01:00:00Z")),
          row(2L, "OPEN", -5.0, Instant.parse("2026-11-22T02:00:00Z")),
          row(3L, "", 0.0, Instant.parse("2026-11-22T03:00:00Z")),
          row(3L, "N/A", 100.0, null),
          row(4L, null, 250.0, null),
          row(5L, "SHIPPED", null, Instant.parse("2026-11-22T06:00:00Z")),
          row(6L, "LOST", 7.5, Instant.parse("2026-11-22T07:00:00Z")),
          row(null, "OPEN", 1.0, Instant.parse("2026-11-22T08:00:00Z")),
          row(7L, "open", 2.0, Instant.parse("2026-11-22T09:00:00Z")),
          row(7L, "SHIPPED", 3.0, Instant.parse("2026-11-22T10:00:00Z")));

  private static double observe(Check check) {
    Evaluator<Row> e = new Evaluator<>(List.of(check), SHAPE, 1_000);
    ROWS.forEach(e::observe);
    return e.checks().get(0).observed(e.rows(), CLOCK);
  }

  @Test
  void metricsMatchHandCountedValues() {
    assertThat(observe(Check.isComplete("status"))).isEqualTo(1);
    assertThat(observe(Check.isComplete("id").percent())).isEqualTo(10.0);
    assertThat(observe(Check.missing("status", List.of("", "N/A")))).isEqualTo(3);
    assertThat(observe(Check.allowedValues("status", "OPEN", "SHIPPED")))
        .as("'', N/A, LOST, open")
        .isEqualTo(4);
    assertThat(observe(Check.matches("status", "[A-Z]+"))).as("'', N/A, open").isEqualTo(3);
    assertThat(observe(Check.inRange("amount", 0, 100))).as("-5 and 250").isEqualTo(2);
    assertThat(observe(Check.isNonNegative("amount"))).isEqualTo(1);
    assertThat(observe(Check.length("status", 2, 4)))
        .as("'', OPEN ok, N/A ok, SHIPPED, LOST ok, open ok")
        .isEqualTo(3);
    assertThat(observe(Check.isUnique("id"))).as("3 and 7 repeat; null skipped").isEqualTo(2);
    assertThat(observe(Check.isUnique("id", "status"))).as("all pairs differ").isZero();
    assertThat(observe(Check.rowCount())).isEqualTo(10);
    assertThat(observe(Check.isFresh("at", Duration.ofHours(3))))
        .as("newest 10:00, now 12:00")
        .isEqualTo(7_200);
    assertThat(observe(Check.satisfies("id set", Row.class, r -> r.get("id") != null)))
        .isEqualTo(1);
  }

  @Test
  void thresholdsDecideWhetherAnObservedValuePasses() {
    Check nullsAtMost20Percent =
        Check.isComplete("status").percent().expect(Threshold.mustBeLessOrEqualTo(20));
    assertThat(nullsAtMost20Percent.threshold().test(observe(nullsAtMost20Percent))).isTrue();
    Check fresh = Check.isFresh("at", Duration.ofHours(1));
    assertThat(fresh.threshold().test(observe(fresh))).isFalse();
  }

  @Test
  void quarantineRulesDivertRowsBeforeOtherChecksSeeThem() {
    Check quarantine = Check.allowedValues("status", "OPEN", "SHIPPED").quarantine();
    Check unique = Check.isUnique("id");
    Evaluator<Row> e = new Evaluator<>(List.of(quarantine, unique), SHAPE, 1_000);
    long diverted = ROWS.stream().filter(r -> e.observe(r) != null).count();
    assertThat(diverted).isEqualTo(4);
    assertThat(e.quarantinedRows()).isEqualTo(4);
    // Published rows: ids 1,2,4,5,null,7,7 (3 and 3 were '' and N/A, 6 was LOST, 7 'open'
    // diverted).
    assertThat(e.checks().get(1).observed(e.rows() - e.quarantinedRows(), CLOCK)).isEqualTo(0);
  }

  @Property(tries = 60, seed = "99")
  void mergedStatesEqualOnePass(
      @ForAll @Size(min = 0, max = 400) List<@IntRange(min = -50, max = 50) Integer> values,
      @ForAll @IntRange(min = 1, max = 6) int parts,
      @ForAll long seed) {
    List<Row> rows = new ArrayList<>();
    for (Integer v : values) {
      rows.add(
          row(
              v % 7 == 0 ? null : (long) v,
              v % 3 == 0 ? "A" : "B" + (v % 5),
              v / 2.0,
              Instant.ofEpochSecond(1_000_000L + v)));
    }
    List<Check> checks =
        List.of(
            Check.isComplete("id"),
            Check.isUnique("id"),
            Check.isUnique("id", "status"),
            Check.allowedValues("status", "A", "B1"),
            Check.inRange("amount", -10, 10).percent(),
            Check.isFresh("at", Duration.ofDays(1)),
            Check.rowCount());
    Evaluator<Row> whole = new Evaluator<>(checks, SHAPE, 20);
    rows.forEach(whole::observe);
    List<Evaluator<Row>> pieces = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      pieces.add(new Evaluator<>(checks, SHAPE, 20));
    }
    Random r = new Random(seed);
    rows.forEach(row -> pieces.get(r.nextInt(parts)).observe(row));
    Evaluator<Row> merged = pieces.get(0);
    for (Evaluator<Row> piece : pieces.subList(1, parts)) {
      // States travel between tasks serialized, as they would in a distributed job.
      merged.mergeStates(piece.rows(), piece.quarantinedRows(), roundTrip(piece.states()));
    }
    assertThat(merged.rows()).isEqualTo(whole.rows());
    for (int i = 0; i < checks.size(); i++) {
      double a = whole.checks().get(i).observed(whole.rows(), CLOCK);
      double b = merged.checks().get(i).observed(merged.rows(), CLOCK);
      if (whole.checks().get(i).exact()) {
        assertThat(b).as(checks.get(i).id()).isEqualTo(a);
      }
    }
  }

  @Test
  void simpleCharacterClassPatternsMatchExactlyAsTheRegexEngineDoes() {
    for (String regex :
        List.of(
            "[a-z0-9]{3}", "[A-Z]+", "[0-9]{2,4}", "^[a-c_-]*$", "[a-z]+@[a-z]+", "(?i)[a-z]+")) {
      Check c = Check.matches("status", regex);
      for (String s :
          List.of("", "ab1", "ABC", "abc", "12", "12345", "a-b_c", "x@y", "Abc", "ééé")) {
        Evaluator<Row> e = new Evaluator<>(List.of(c), SHAPE, 10);
        e.observe(row(1L, s, 1.0, null));
        boolean failed = e.checks().get(0).observed(1, CLOCK) > 0;
        assertThat(failed)
            .as(regex + " on '" + s + "'")
            .isEqualTo(!java.util.regex.Pattern.compile(regex).matcher(s).matches());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Evaluator.State> roundTrip(List<Evaluator.State> states) {
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
        out.writeObject(new ArrayList<>(states));
      }
      try (java.io.ObjectInputStream in =
          new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
        return (List<Evaluator.State>) in.readObject();
      }
    } catch (java.io.IOException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void distinctCountsAreExactUpToTheLimitThenWithinTheStatedError() {
    DistinctCounter small = new DistinctCounter(1_000);
    for (long i = 0; i < 1_000; i++) {
      small.add(DistinctCounter.hash(i % 700));
    }
    assertThat(small.isExact()).isTrue();
    assertThat(small.count()).isEqualTo(700);
    DistinctCounter big = new DistinctCounter(1_000);
    for (long i = 0; i < 200_000; i++) {
      big.add(DistinctCounter.hash(i));
    }
    assertThat(big.isExact()).isFalse();
    assertThat(big.count())
        .isCloseTo(
            200_000L,
            org.assertj.core.data.Percentage.withPercentage(
                3 * DistinctCounter.APPROXIMATE_ERROR * 100));
  }

  /**
   * Whole numbers added in order take the run path (consecutive values share a run); in any order,
   * split across merged counters, or past the exact limit, the count is the true one while exact,
   * and the hash path's sketch otherwise. Runs of consecutive values stay exact past the limit
   * (they take no memory per value), so the run path is never less exact than the hash path.
   */
  @Property(tries = 300)
  void wholeNumbersCountAsTheirHashesWhateverTheOrder(
      @ForAll @IntRange(min = 0, max = 3_000) int ordered,
      @ForAll @IntRange(min = 1, max = 3) int step,
      @ForAll @Size(max = 300) List<@IntRange(min = -50, max = 5_000) Integer> tail,
      @ForAll @IntRange(min = 1, max = 4_000) int limit,
      @ForAll @IntRange(min = 0, max = 3_300) int split) {
    List<Long> values = new ArrayList<>();
    for (long v = 0; v < ordered; v++) {
      values.add(v * step);
    }
    tail.forEach(t -> values.add((long) t));
    long distinct = values.stream().distinct().count();
    DistinctCounter viaHash = new DistinctCounter(limit);
    DistinctCounter viaLong = new DistinctCounter(limit);
    DistinctCounter first = new DistinctCounter(limit);
    DistinctCounter second = new DistinctCounter(limit);
    for (int i = 0; i < values.size(); i++) {
      long v = values.get(i);
      viaHash.add(DistinctCounter.hash(v));
      viaLong.addLong(v);
      (i < split ? first : second).addLong(v);
    }
    first.merge(second);
    if (viaHash.isExact()) {
      assertThat(viaLong.isExact()).isTrue();
      assertThat(viaHash.count()).isEqualTo(distinct);
    }
    if (viaLong.isExact()) {
      assertThat(viaLong.count()).isEqualTo(distinct);
    } else {
      assertThat(viaLong.count()).isEqualTo(viaHash.count());
    }
    if (first.isExact()) {
      assertThat(first.count()).isEqualTo(distinct);
    }
  }

  @Test
  void aSequenceOfAMillionIdsIsCountedExactlyInOneRun() {
    DistinctCounter ids = new DistinctCounter(1_000);
    for (long id = 1; id <= 1_000_000; id++) {
      ids.addLong(id);
    }
    assertThat(ids.isExact()).isTrue();
    assertThat(ids.count()).isEqualTo(1_000_000);
    ids.addLong(5);
    assertThat(ids.isExact()).isFalse();
    assertThat(ids.count())
        .isCloseTo(1_000_000, org.assertj.core.data.Percentage.withPercentage(3));
  }
}
