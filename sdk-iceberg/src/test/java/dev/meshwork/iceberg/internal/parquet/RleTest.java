package dev.meshwork.iceberg.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Meshwork's RLE / bit-packing hybrid encoder, decoded by parquet-java's own decoder. */
class RleTest {
  @Property(tries = 300)
  void parquetDecodesExactlyTheValuesEncoded(
      @ForAll long seed,
      @ForAll @IntRange(max = 32) int width,
      @ForAll @IntRange(max = 3000) int n,
      @ForAll @IntRange(min = 1, max = 40) int meanRun)
      throws Exception {
    Random r = new Random(seed);
    long limit = width == 0 ? 1 : 1L << width;
    int[] values = new int[n];
    int i = 0;
    // Runs of random length: long runs become RLE runs, short ones bit-packed groups.
    while (i < n) {
      int v = (int) (r.nextLong() & (limit - 1));
      int run = 1 + r.nextInt(2 * meanRun);
      for (int k = 0; k < run && i < n; k++) {
        values[i++] = v;
      }
    }
    ByteSink out = new ByteSink(16);
    Rle.encode(values, n, width, out);

    var decoder =
        new org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder(
            width, new ByteArrayInputStream(out.array(), 0, out.size()));
    int[] decoded = new int[n];
    for (int k = 0; k < n; k++) {
      decoded[k] = decoder.readInt();
    }
    assertThat(decoded).containsExactly(values);
  }

  @Property(tries = 50)
  void bitWidthIsTheSmallestThatHoldsTheValue(@ForAll @IntRange(max = Integer.MAX_VALUE) int max) {
    int w = Rle.bitWidth(max);
    assertThat(w == 32 || ((long) max >>> w) == 0).isTrue();
    assertThat(w == 0 || ((long) max >>> (w - 1)) == 1).isTrue();
  }
}
