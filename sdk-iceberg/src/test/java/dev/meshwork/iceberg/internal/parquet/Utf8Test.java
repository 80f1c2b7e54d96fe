package dev.meshwork.iceberg.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

/** The write path's allocation-free UTF-8 encoder agrees with the JDK on every string. */
class Utf8Test {
  private static byte[] encode(Utf8 encoder, String s) {
    int n = encoder.encode(s);
    return Arrays.copyOf(encoder.buffer(), n);
  }

  @Property(tries = 2000)
  void encodesEveryStringAsStringGetBytesDoes(
      @ForAll @StringLength(max = 200) @CharRange(from = '\u0000', to = '\uffff') String s) {
    // One encoder for many strings, as a column reuses it: earlier, longer strings must not leak.
    Utf8 encoder = new Utf8();
    encode(encoder, "a much longer string that fills the buffer first ".repeat(4));
    assertThat(encode(encoder, s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 500)
  void encodesSurrogatePairsAndLoneSurrogatesExactly(@ForAll @StringLength(max = 40) String s) {
    String mixed = s + "\uD83D\uDE00" + s + "\uD800" + "é€" + "\uDC00x";
    assertThat(encode(new Utf8(), mixed)).isEqualTo(mixed.getBytes(StandardCharsets.UTF_8));
  }
}
