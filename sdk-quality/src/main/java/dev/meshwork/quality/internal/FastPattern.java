package dev.meshwork.quality.internal;

import java.util.BitSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A matcher for the simple patterns most quality rules use — one ASCII character class with a
 * repetition, such as {@code [a-z0-9]{30}}, {@code [A-Z]+} or {@code [0-9]{2,5}} — checked with a
 * bit set instead of the regex engine. Any other pattern falls back to {@link Pattern}, so results
 * are always those of {@code Pattern.matches}.
 */
final class FastPattern {
  private static final Pattern SIMPLE =
      Pattern.compile("\\^?\\[([A-Za-z0-9 _.\\-]+)\\](?:\\{(\\d+)(?:,(\\d*))?\\}|(\\+)|(\\*))\\$?");

  private FastPattern() {}

  /** A whole-string matcher equivalent to {@code pattern.matcher(s).matches()}. */
  static Predicate<String> of(Pattern pattern) {
    Simple simple = simple(pattern);
    if (simple == null) {
      return s -> pattern.matcher(s).matches();
    }
    return simple::test;
  }

  /** The table matcher of a simple pattern, or null when {@code pattern} is not one. */
  static Simple simple(Pattern pattern) {
    Matcher m = SIMPLE.matcher(pattern.pattern());
    if (pattern.flags() != 0 || !m.matches()) {
      return null;
    }
    BitSet allowed = charClass(m.group(1));
    if (allowed == null) {
      return null;
    }
    int min;
    int max;
    if (m.group(4) != null) {
      min = 1;
      max = Integer.MAX_VALUE;
    } else if (m.group(5) != null) {
      min = 0;
      max = Integer.MAX_VALUE;
    } else {
      min = Integer.parseInt(m.group(2));
      max =
          m.group(3) == null
              ? min
              : m.group(3).isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(m.group(3));
    }
    // A lookup table: letters and digits mixed at random would make a per-range branch mispredict.
    boolean[] table = new boolean[256];
    allowed.stream().forEach(c -> table[c] = true);
    return new Simple(table, min, max);
  }

  /**
   * One ASCII character class repeated {@code min} to {@code max} times, tested on text or on its
   * UTF-8 bytes (any non-ASCII character fails the class, and an all-ASCII text has as many bytes
   * as characters, so both tests agree).
   */
  record Simple(boolean[] table, int min, int max) {
    boolean test(String s) {
      int n = s.length();
      if (n < min || n > max) {
        return false;
      }
      boolean ok = true;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        ok &= c < 128 && table[c & 127];
      }
      return ok;
    }

    boolean test(byte[] bytes, int offset, int length) {
      if (length < min || length > max) {
        return false;
      }
      boolean ok = true;
      for (int i = offset, end = offset + length; i < end; i++) {
        ok &= table[bytes[i] & 0xFF];
      }
      return ok;
    }
  }

  /** The set of a class body like {@code a-z0-9_}; null when it is not a plain ASCII class. */
  private static BitSet charClass(String body) {
    BitSet set = new BitSet(128);
    int i = 0;
    if (body.startsWith("-") || body.startsWith("^")) {
      return null;
    }
    while (i < body.length()) {
      char c = body.charAt(i);
      if (i + 2 < body.length() && body.charAt(i + 1) == '-') {
        char end = body.charAt(i + 2);
        if (end < c) {
          return null;
        }
        set.set(c, end + 1);
        i += 3;
      } else {
        set.set(c);
        i++;
      }
    }
    return set;
  }
}
