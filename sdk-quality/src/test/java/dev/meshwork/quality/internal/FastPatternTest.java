package dev.meshwork.quality.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.StringArbitrary;

/** The fast matcher answers exactly as {@code Pattern.matches} on every string. */
class FastPatternTest {
  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.of(
        "[a-z0-9]{30}",
        "[A-Z]+",
        "^[0-9]{2,5}$",
        "[a-f0-9_.-]*",
        "[A-Za-z ]{1,}",
        "[x]{0}",
        "[a-z]+[0-9]");
  }

  @Provide
  Arbitrary<String> inputs() {
    StringArbitrary near = Arbitraries.strings().withChars("az09AZ_.- é").ofMaxLength(35);
    return Arbitraries.oneOf(near, Arbitraries.strings().ofMaxLength(40));
  }

  @Property(tries = 3000)
  void agreesWithTheRegexEngine(@ForAll("patterns") String regex, @ForAll("inputs") String input) {
    Pattern p = Pattern.compile(regex);
    assertThat(FastPattern.of(p).test(input)).isEqualTo(p.matcher(input).matches());
  }
}
