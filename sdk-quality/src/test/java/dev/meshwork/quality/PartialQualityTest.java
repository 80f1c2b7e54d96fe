package dev.meshwork.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Row;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.GateContext;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.PartialQuality;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShapes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * One verdict over many writers: sessions that each saw a part of an output ship their partial
 * state (through Java serialization, as tasks do), and the coordinator's session that absorbed them
 * gives exactly the verdict of one session that saw every row.
 */
class PartialQualityTest {
  private static final StructType STRUCT =
      new StructType(
          List.of(
              Field.optional("id", PrimitiveType.LONG),
              Field.optional("status", PrimitiveType.STRING),
              Field.optional("amount", PrimitiveType.DOUBLE),
              Field.optional("at", PrimitiveType.TIMESTAMP_TZ)));
  private static final StructShape<Row> SHAPE = ValueShapes.rows(STRUCT);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
  private static final GateContext CONTEXT =
      new GateContext("run-1", null, "orders", null, null, null);

  private static QualityGate gate() {
    return ContractQualityGate.builder()
        .clock(CLOCK)
        .suite(
            "orders",
            Suite.of(
                "orders",
                Check.isUnique("id"),
                Check.isComplete("status").expect(Threshold.mustBeLessOrEqualTo(3)),
                Check.inRange("amount", 0, 100).percent().expect(Threshold.mustBeLessThan(20)),
                Check.allowedValues("status", "OPEN", "SHIPPED", "LOST").quarantine(),
                Check.isFresh("at", Duration.ofDays(2)).severity(Severity.WARN),
                Check.rowCount().expect(Threshold.mustBeGreaterThan(5)),
                Check.aggregateExpression(
                    "few quarantined", "metrics.quarantinedRows <= metrics.rowCount / 2")))
        .build();
  }

  private static List<Row> rows(Random random, int n) {
    List<Row> out = new ArrayList<>();
    String[] statuses = {"OPEN", "SHIPPED", "LOST", "WEIRD", null};
    for (int i = 0; i < n; i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      // Ids mostly ascending, some repeated anywhere: duplicates across parts happen.
      m.put("id", random.nextInt(10) == 0 ? (long) random.nextInt(n + 1) : (long) i);
      m.put("status", statuses[random.nextInt(statuses.length)]);
      m.put("amount", random.nextInt(12) == 0 ? null : random.nextDouble() * 120);
      m.put("at", Instant.parse("2026-11-28T00:00:00Z").plusSeconds(random.nextInt(400_000)));
      out.add(Row.of(m));
    }
    return out;
  }

  private static GateVerdict onePass(List<Row> rows) {
    QualityGate.Session s = gate().open(CONTEXT);
    rows.forEach(r -> s.observe(SHAPE, r));
    return s.verdict();
  }

  @Property(tries = 60, seed = "20261202")
  void absorbedPartsGiveTheVerdictOfOnePass(
      @ForAll @IntRange(min = 0, max = 400) int n,
      @ForAll @IntRange(min = 1, max = 6) int parts,
      @ForAll @LongRange(min = 0, max = 10_000) long seed) {
    Random random = new Random(seed);
    List<Row> rows = rows(random, n);
    QualityGate.Session coordinator = gate().open(CONTEXT);
    int from = 0;
    for (int p = 0; p < parts; p++) {
      int to = p == parts - 1 ? n : from + random.nextInt(n - from + 1);
      // Each task builds its own gate from the same suite, as a suite factory does.
      QualityGate.Session task = gate().open(CONTEXT);
      rows.subList(from, to).forEach(r -> task.observe(SHAPE, r));
      coordinator.absorb(SHAPE, shipped(task.partial()));
      from = to;
    }
    assertThat(coordinator.verdict()).isEqualTo(onePass(rows));
  }

  @Test
  void aKeyRepeatedInTwoPartsFailsUniquenessForTheWholeOutput() {
    List<Row> first = List.of(row(1, "OPEN"), row(2, "OPEN"), row(3, "SHIPPED"));
    List<Row> second = List.of(row(3, "OPEN"), row(4, "LOST"), row(5, "OPEN"), row(6, "OPEN"));
    QualityGate.Session coordinator = gate().open(CONTEXT);
    for (List<Row> part : List.of(first, second)) {
      QualityGate.Session task = gate().open(CONTEXT);
      part.forEach(r -> task.observe(SHAPE, r));
      assertThat(task.verdict().blockingFailures())
          .as("each part alone")
          .noneMatch(f -> f.startsWith("duplicate-values"));
      coordinator.absorb(SHAPE, shipped(task.partial()));
    }

    assertThat(coordinator.verdict().blockingFailures())
        .singleElement()
        .asString()
        .startsWith("duplicate-values:id")
        .contains("observed 1");
  }

  @Test
  void aPartCheckedByOtherChecksIsRefused() {
    QualityGate.Session task =
        ContractQualityGate.builder()
            .suite("orders", Suite.of("orders", Check.isUnique("id")))
            .build()
            .open(CONTEXT);
    task.observe(SHAPE, row(1, "OPEN"));
    PartialQuality part = task.partial();

    assertThatThrownBy(() -> gate().open(CONTEXT).absorb(SHAPE, part))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output port 'orders'")
        .hasMessageContaining(part.suiteHash())
        .hasMessageContaining("same Java suites");
  }

  private static Row row(long id, String status) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("status", status);
    m.put("amount", 10.0);
    m.put("at", Instant.parse("2026-12-02T00:00:00Z"));
    return Row.of(m);
  }

  private static PartialQuality shipped(PartialQuality p) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (PartialQuality) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
