package dev.meshwork.iceberg.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Dictionary keys that differ only in their high bits or last bytes still spread over the hash
 * table's slots. Such keys are common in real columns, and when they shared a slot every lookup
 * scanned the dictionary: 100 whole-number doubles landed on 1 slot of 512, and the 20 categories
 * of the benchmark on 2.
 */
class DictionaryHashTest {
  private static final int KEYS = 1_000;
  private static final int SLOTS = 1 << 10;

  // 1,000 keys thrown at random into 1,024 slots fill about 640 of them.
  private static final int AT_LEAST = 580;

  @Test
  void wholeNumberDoublesSpread() {
    assertThat(slots(i -> LongDictionary.mix(Double.doubleToRawLongBits(i))))
        .isGreaterThanOrEqualTo(AT_LEAST);
    assertThat(slots(i -> LongDictionary.mix(Double.doubleToRawLongBits(i * 0.25))))
        .isGreaterThanOrEqualTo(AT_LEAST);
  }

  @Test
  void longsThatDifferOnlyInTheirHighBitsSpread() {
    assertThat(slots(i -> LongDictionary.mix((long) i << 48))).isGreaterThanOrEqualTo(AT_LEAST);
  }

  @Test
  void shortStringsThatShareAPrefixSpread() {
    assertThat(slots(i -> shortHash("category-" + i))).isGreaterThanOrEqualTo(AT_LEAST);
    assertThat(slots(i -> shortHash("SKU-" + i))).isGreaterThanOrEqualTo(AT_LEAST);
  }

  private static int shortHash(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long first;
    long last;
    if (b.length >= 8) {
      first = w.getLong(0);
      last = w.getLong(b.length - 8);
    } else {
      byte[] padded = new byte[8];
      System.arraycopy(b, 0, padded, 0, b.length);
      first = ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN).getLong();
      last = 0;
    }
    return BinaryPageColumn.shortHash(first, last, b.length);
  }

  private static int slots(IntFunction<Integer> hash) {
    Set<Integer> used = new HashSet<>();
    for (int i = 1; i <= KEYS; i++) {
      used.add(hash.apply(i) & (SLOTS - 1));
    }
    return used.size();
  }
}
