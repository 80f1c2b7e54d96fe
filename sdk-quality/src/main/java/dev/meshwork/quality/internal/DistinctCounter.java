package dev.meshwork.quality.internal;

import java.io.Serializable;

/**
 * Counts distinct values exactly up to a limit of keys, then switches to a HyperLogLog sketch (2^14
 * registers, standard error 1.04/sqrt(16384) ≈ 0.81%), so memory stays bounded. Mergeable: partial
 * counters from several writers combine into the counter of all their values.
 */
public final class DistinctCounter implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Relative standard error of the approximate mode. */
  public static final double APPROXIMATE_ERROR = 1.04 / Math.sqrt(1 << 14);

  private static final int P = 14;
  private static final int M = 1 << P;

  private final int limit;
  private LongSet exact = new LongSet();
  private byte[] registers;
  // Whole numbers seen so far in strictly increasing order (ids, sequences), as runs of consecutive
  // values: they are distinct by construction, so a sequence costs one run however long it is; the
  // hash set is built only if the order breaks.
  private long[] runStarts = new long[4];
  private long[] runEnds = new long[4];
  private int runs;
  private long ascendingCount;
  private boolean ascending = true;

  /** A counter that is exact up to {@code limit} distinct values. */
  public DistinctCounter(int limit) {
    this.limit = limit;
  }

  /**
   * Adds a whole number (counted as {@code add(hash(value))} would count it). Values arriving in
   * strictly increasing order extend or start a run instead of a hash-set insert.
   */
  public void addLong(long value) {
    if (ascending) {
      if (runs > 0 && value > runEnds[runs - 1]) {
        if (value == runEnds[runs - 1] + 1) {
          runEnds[runs - 1] = value;
        } else {
          startRun(value);
        }
        ascendingCount++;
        return;
      }
      if (runs == 0) {
        startRun(value);
        ascendingCount++;
        return;
      }
      leaveAscending();
    }
    add(hash(value));
  }

  private void startRun(long value) {
    if (runs == runStarts.length) {
      runStarts = java.util.Arrays.copyOf(runStarts, runs * 2);
      runEnds = java.util.Arrays.copyOf(runEnds, runs * 2);
    }
    runStarts[runs] = value;
    runEnds[runs] = value;
    runs++;
    if (runs > limit) {
      // As many runs as values: no cheaper than the general representation.
      leaveAscending();
    }
  }

  /** Moves the runs into the general representation. */
  private void leaveAscending() {
    ascending = false;
    long[] starts = runStarts;
    long[] ends = runEnds;
    int n = runs;
    runStarts = null;
    runEnds = null;
    runs = 0;
    ascendingCount = 0;
    for (int i = 0; i < n; i++) {
      for (long v = starts[i]; ; v++) {
        add(hash(v));
        if (v == ends[i]) {
          break;
        }
      }
    }
  }

  /** Adds a value by its 64-bit hash (see {@link #hash(Object)}). */
  public void add(long hash) {
    if (ascending) {
      leaveAscending();
    }
    if (registers != null) {
      addToSketch(hash);
      return;
    }
    exact.add(hash);
    if (exact.size() > limit) {
      toSketch();
    }
  }

  private void toSketch() {
    if (ascending) {
      leaveAscending();
      if (registers != null) {
        // Runs past the limit have switched to the sketch already.
        return;
      }
    }
    registers = new byte[M];
    exact.forEach(this::addToSketch);
    exact = null;
  }

  private void addToSketch(long hash) {
    int idx = (int) (hash >>> (64 - P));
    long rest = hash << P | (1L << (P - 1));
    byte rank = (byte) (Long.numberOfLeadingZeros(rest) + 1);
    if (rank > registers[idx]) {
      registers[idx] = rank;
    }
  }

  /** Whether the count is exact. */
  public boolean isExact() {
    return registers == null;
  }

  /** The number of distinct values (estimated once over the limit). */
  public long count() {
    if (registers == null) {
      return exact.size() + ascendingCount;
    }
    double sum = 0;
    int zeros = 0;
    for (byte r : registers) {
      sum += Math.pow(2, -r);
      if (r == 0) {
        zeros++;
      }
    }
    double alpha = 0.7213 / (1 + 1.079 / M);
    double estimate = alpha * M * M / sum;
    if (estimate <= 2.5 * M && zeros > 0) {
      estimate = M * Math.log((double) M / zeros);
    }
    return Math.round(estimate);
  }

  /** Adds every value another counter saw. */
  public void merge(DistinctCounter other) {
    for (int i = 0; i < other.runs; i++) {
      for (long v = other.runStarts[i]; ; v++) {
        add(hash(v));
        if (v == other.runEnds[i]) {
          break;
        }
      }
    }
    if (other.registers == null) {
      other.exact.forEach(this::add);
      return;
    }
    if (registers == null) {
      toSketch();
    }
    for (int i = 0; i < M; i++) {
      registers[i] = (byte) Math.max(registers[i], other.registers[i]);
    }
  }

  /** A 64-bit hash of a value (mixed, so sketch registers spread evenly). */
  public static long hash(long v) {
    long z = v + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A 64-bit hash of an object's value (text by characters, numbers by value). */
  public static long hash(Object o) {
    if (o == null) {
      return 0;
    }
    if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
      return hash(((Number) o).longValue());
    }
    if (o instanceof Double d) {
      return hash(Double.doubleToLongBits(d));
    }
    if (o instanceof Float f) {
      return hash(Double.doubleToLongBits(f));
    }
    if (o instanceof CharSequence s) {
      long h = 0xcbf29ce484222325L;
      for (int i = 0; i < s.length(); i++) {
        h = (h ^ s.charAt(i)) * 0x100000001b3L;
      }
      return hash(h);
    }
    if (o instanceof java.util.List<?> l) {
      long h = 17;
      for (Object e : l) {
        h = h * 31 + hash(e);
      }
      return hash(h);
    }
    return hash(o.hashCode() * 0x9E3779B97F4A7C15L ^ o.toString().hashCode());
  }

  /** An open-addressing set of longs: no boxing per value. */
  static final class LongSet implements Serializable {
    private static final long serialVersionUID = 1L;
    private long[] table = new long[64];
    private boolean[] used = new boolean[64];
    private int size;

    void add(long v) {
      if (size * 2 >= table.length) {
        grow();
      }
      int mask = table.length - 1;
      // Values are already mixed 64-bit hashes: their low bits spread well.
      int i = (int) (v & mask);
      while (used[i]) {
        if (table[i] == v) {
          return;
        }
        i = (i + 1) & mask;
      }
      used[i] = true;
      table[i] = v;
      size++;
    }

    int size() {
      return size;
    }

    void forEach(java.util.function.LongConsumer c) {
      for (int i = 0; i < table.length; i++) {
        if (used[i]) {
          c.accept(table[i]);
        }
      }
    }

    private void grow() {
      long[] oldT = table;
      boolean[] oldU = used;
      table = new long[oldT.length * 2];
      used = new boolean[oldT.length * 2];
      size = 0;
      for (int i = 0; i < oldT.length; i++) {
        if (oldU[i]) {
          add(oldT[i]);
        }
      }
    }
  }
}
