package dev.meshwork.quality.internal;

import java.util.Collection;

/**
 * A fixed set of strings for per-row membership tests: power-of-two open addressing on the strings'
 * cached hash codes, identity before {@code equals}. (The JDK's immutable sets find a slot with a
 * division per lookup.)
 */
final class StringSet {
  private final String[] table;
  private final int mask;

  StringSet(Collection<String> values) {
    int size = Integer.highestOneBit(Math.max(4, values.size() * 4) - 1) << 1;
    table = new String[size];
    mask = size - 1;
    for (String s : values) {
      int i = spread(s.hashCode()) & mask;
      while (table[i] != null && !table[i].equals(s)) {
        i = (i + 1) & mask;
      }
      table[i] = s;
    }
  }

  boolean contains(String s) {
    int h = s.hashCode();
    int i = spread(h) & mask;
    while (true) {
      String e = table[i];
      if (e == null) {
        return false;
      }
      if (e == s || e.hashCode() == h && e.equals(s)) {
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  private static int spread(int h) {
    return (h ^ (h >>> 16)) * 0x9E3779B1;
  }
}
