package dev.meshwork.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests can check of a Rego text without a Rego engine. */
final class RegoText {
  private RegoText() {}

  /** Braces, brackets and parentheses balance outside strings and comments. */
  static void assertWellFormed(String rego) {
    int depth = 0;
    boolean inString = false;
    for (char c : rego.replaceAll("(?m)#.*$", "").toCharArray()) {
      if (c == '"') {
        inString = !inString;
      } else if (!inString && "{[(".indexOf(c) >= 0) {
        depth++;
      } else if (!inString && "}])".indexOf(c) >= 0) {
        depth--;
        assertThat(depth).isGreaterThanOrEqualTo(0);
      }
    }
    assertThat(depth).isZero();
    assertThat(inString).isFalse();
  }

  /** OPA's built-in functions the policies may call. */
  private static final Set<String> BUILTINS =
      Set.of(
          "array.concat",
          "concat",
          "count",
          "is_number",
          "min",
          "object.get",
          "sort",
          "sprintf",
          "startswith",
          "time.now_ns",
          "time.parse_rfc3339_ns");

  /** Every function called is a built-in or defined in the text (catches a misspelt rule). */
  static void assertCallsDefined(String rego) {
    String code = rego.replaceAll("(?m)#.*$", "").replaceAll("\"[^\"]*\"", "\"\"");
    Set<String> defined = new TreeSet<>();
    Matcher heads = Pattern.compile("(?m)^(?:default )?([a-z_]+)\\(").matcher(code);
    while (heads.find()) {
      defined.add(heads.group(1));
    }
    Set<String> called = new TreeSet<>();
    Matcher calls = Pattern.compile("([a-z_][a-z_.0-9]*)\\(").matcher(code);
    while (calls.find()) {
      called.add(calls.group(1));
    }
    called.removeAll(BUILTINS);
    assertThat(defined).isNotEmpty();
    assertThat(called).isSubsetOf(defined);
  }
}
