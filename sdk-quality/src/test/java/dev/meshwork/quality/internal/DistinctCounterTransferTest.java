package dev.meshwork.quality.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * Distinct counters as parts ship them: each part's counter crosses Java serialization in its
 * compact form, and the merged counters give the count, and the exactness, of one counter that saw
 * every value.
 */
class DistinctCounterTransferTest {

  /** Parts written by tasks that each took a contiguous share of the rows (Spark's partitions). */
  @Property(tries = 200, seed = "20261202")
  void mergedPartsCountWhatOnePassCounts(
      @ForAll @IntRange(min = 0, max = 4_000) int ascending,
      @ForAll @IntRange(min = 1, max = 3) int step,
      @ForAll @IntRange(min = 0, max = 1_500) int scattered,
      @ForAll @IntRange(min = 1, max = 8) int parts,
      @ForAll @IntRange(min = 1, max = 3_000) int limit,
      @ForAll @LongRange(min = 0, max = 1_000) long seed) {
    Random random = new Random(seed);
    List<Long> values = new ArrayList<>();
    long start = random.nextInt(2_000) - 1_000;
    for (int i = 0; i < ascending; i++) {
      values.add(start + (long) i * step);
    }
    for (int i = 0; i < scattered; i++) {
      values.add(random.nextBoolean() ? random.nextLong() : (long) random.nextInt(3_000));
    }
    if (random.nextBoolean()) {
      java.util.Collections.shuffle(values, random);
    }
    DistinctCounter onePass = new DistinctCounter(limit);
    values.forEach(onePass::addLong);

    DistinctCounter merged = null;
    int from = 0;
    for (int p = 0; p < parts; p++) {
      int to = p == parts - 1 ? values.size() : from + random.nextInt(values.size() - from + 1);
      DistinctCounter part = new DistinctCounter(limit);
      values.subList(from, to).forEach(part::addLong);
      DistinctCounter shipped = roundTrip(part);
      assertThat(shipped.count()).isEqualTo(part.count());
      assertThat(shipped.isExact()).isEqualTo(part.isExact());
      if (merged == null) {
        merged = shipped;
      } else {
        merged.merge(shipped);
      }
      from = to;
    }
    long distinct = values.stream().distinct().count();
    if (onePass.isExact()) {
      assertThat(merged.isExact()).as("one pass was exact").isTrue();
    }
    if (merged.isExact()) {
      assertThat(merged.count()).isEqualTo(distinct);
    }
    if (distinct <= limit) {
      assertThat(merged.isExact()).isTrue();
    }
  }

  @Test
  void ascendingIdsShipInAFewBytesAndStayExactWhenMerged() {
    DistinctCounter first = new DistinctCounter(1_000_000);
    DistinctCounter second = new DistinctCounter(1_000_000);
    for (long id = 1; id <= 5_000_000; id++) {
      first.addLong(id);
      second.addLong(id + 5_000_000);
    }
    DistinctCounter merged = roundTrip(first);
    merged.merge(roundTrip(second));

    assertThat(first.transferSize()).isLessThan(32);
    assertThat(merged.isExact()).isTrue();
    assertThat(merged.count()).isEqualTo(10_000_000);
  }

  @Test
  void exactHashesShipInAboutSevenBytesEach() {
    DistinctCounter keys = new DistinctCounter(1_000_000);
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      keys.add(random.nextLong());
    }
    long size = keys.transferSize();
    assertThat(size).isLessThan(200_000L * 15 / 2);
    assertThat(roundTrip(keys).count()).isEqualTo(keys.count());
    // Java serialization adds its block headers (5 bytes per KiB) and the class description.
    assertThat(serialized(keys).length).isLessThan((int) (size * 1.01) + 200);
  }

  private static DistinctCounter roundTrip(DistinctCounter c) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized(c)))) {
      return (DistinctCounter) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] serialized(DistinctCounter c) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }
}
