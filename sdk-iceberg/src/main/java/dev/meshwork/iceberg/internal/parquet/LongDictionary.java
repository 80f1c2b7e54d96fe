package dev.meshwork.iceberg.internal.parquet;

import java.util.Arrays;

/**
 * Dictionary of 64-bit words (raw bits of ints, longs, floats, doubles) to ids in first-seen order.
 */
final class LongDictionary {
  private long[] entries = new long[256];
  private int[] slots = new int[512];
  private int mask = slots.length - 1;
  private int size;

  int size() {
    return size;
  }

  long entry(int id) {
    return entries[id];
  }

  long[] entries() {
    return entries;
  }

  /** The id of {@code key}, added if new. */
  int id(long key) {
    int h = mix(key) & mask;
    while (true) {
      int s = slots[h];
      if (s == 0) {
        return add(key, h);
      }
      if (entries[s - 1] == key) {
        return s - 1;
      }
      h = (h + 1) & mask;
    }
  }

  private int add(long key, int slot) {
    if (size == entries.length) {
      entries = Arrays.copyOf(entries, size * 2);
    }
    entries[size] = key;
    slots[slot] = ++size;
    if (size * 2 > slots.length) {
      rehash();
    }
    return size - 1;
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    mask = slots.length - 1;
    for (int id = 0; id < size; id++) {
      int h = mix(entries[id]) & mask;
      while (slots[h] != 0) {
        h = (h + 1) & mask;
      }
      slots[h] = id + 1;
    }
  }

  void clear() {
    if (size > 0) {
      Arrays.fill(slots, 0);
      size = 0;
    }
  }

  /**
   * A hash whose low bits depend on every bit of {@code key} (MurmurHash3's 64-bit finaliser). A
   * multiply alone leaves the low bits depending only on the key's low bits, and keys that differ
   * only high up are common: whole-number doubles differ only in exponent and top mantissa bits,
   * and short strings that share a prefix differ only in their last bytes. Those all landed on one
   * slot, which made every lookup a scan of the dictionary.
   */
  static int mix(long key) {
    long x = key;
    x = (x ^ (x >>> 33)) * 0xFF51AFD7ED558CCDL;
    x = (x ^ (x >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return (int) (x ^ (x >>> 33));
  }
}
