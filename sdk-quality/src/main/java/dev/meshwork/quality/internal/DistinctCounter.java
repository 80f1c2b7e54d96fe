package dev.meshwork.quality.internal;

import java.io.Serializable;

/**
 * Counts distinct values exactly up to a limit of keys, then switches to a HyperLogLog sketch (2^14
 * registers, standard error 1.04/sqrt(16384) ≈ 0.81%), so memory stays bounded. Mergeable: partial
 * counters from several writers combine into the counter of all their values.
 */
public final class DistinctCounter implements Serializable {
  private static final long serialVersionUID = 2L;

  /** Relative standard error of the approximate mode. */
  public static final double APPROXIMATE_ERROR = 1.04 / Math.sqrt(1 << 14);

  private static final int P = 14;
  private static final int M = 1 << P;

  // Not final: readObject restores it from the compact form writeObject ships.
  private int limit;
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

  /**
   * Adds every value another counter saw. Two counters of ascending whole numbers (the usual key of
   * parts written by different tasks) merge as a union of their runs and stay exact whatever their
   * length; otherwise the other's values are added to this one's set or sketch.
   */
  public void merge(DistinctCounter other) {
    if (ascending && other.ascending) {
      unionRuns(other);
      return;
    }
    for (int i = 0; i < other.runs; i++) {
      for (long v = other.runStarts[i]; ; v++) {
        add(hash(v));
        if (v == other.runEnds[i]) {
          break;
        }
      }
    }
    if (other.ascending) {
      return;
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

  /** Makes this counter's runs the union of both counters' runs (both sorted and disjoint). */
  private void unionRuns(DistinctCounter other) {
    long[] starts = new long[Math.max(4, runs + other.runs)];
    long[] ends = new long[starts.length];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < runs || j < other.runs) {
      long s;
      long e;
      if (j >= other.runs || i < runs && runStarts[i] <= other.runStarts[j]) {
        s = runStarts[i];
        e = runEnds[i++];
      } else {
        s = other.runStarts[j];
        e = other.runEnds[j++];
      }
      // Runs that overlap or touch become one: the union counts each value once.
      if (n > 0 && ends[n - 1] != Long.MAX_VALUE && s <= ends[n - 1] + 1) {
        ends[n - 1] = Math.max(ends[n - 1], e);
      } else {
        starts[n] = s;
        ends[n] = e;
        n++;
      }
    }
    runStarts = starts;
    runEnds = ends;
    runs = n;
    ascendingCount = 0;
    for (int k = 0; k < n; k++) {
      ascendingCount += ends[k] - starts[k] + 1;
    }
    if (runs > limit) {
      leaveAscending();
    }
  }

  /**
   * The size of this counter as {@link #writeObject} ships it, in bytes: runs and exact hashes are
   * sorted and delta-encoded as variable-length integers, a sketch is its 16 KiB of registers.
   */
  public long transferSize() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      writeState(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.size();
  }

  private static final byte RUNS = 0;
  private static final byte EXACT = 1;
  private static final byte SKETCH = 2;

  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    out.writeInt(limit);
    writeState(out);
  }

  private void writeState(java.io.DataOutput out) throws java.io.IOException {
    if (ascending) {
      out.writeByte(RUNS);
      writeVarLong(out, runs);
      long previous = 0;
      for (int i = 0; i < runs; i++) {
        // Starts ascend and runs are disjoint, so both gaps are small non-negative numbers.
        writeVarLong(out, i == 0 ? runStarts[0] : runStarts[i] - previous);
        writeVarLong(out, runEnds[i] - runStarts[i]);
        previous = runEnds[i];
      }
    } else if (registers == null) {
      out.writeByte(EXACT);
      long[] sorted = new long[exact.size()];
      int[] n = {0};
      exact.forEach(h -> sorted[n[0]++] = h);
      // Unsigned order, so every gap is a non-negative 64-bit number.
      for (int i = 0; i < sorted.length; i++) {
        sorted[i] ^= Long.MIN_VALUE;
      }
      java.util.Arrays.sort(sorted);
      writeVarLong(out, sorted.length);
      long previous = Long.MIN_VALUE;
      for (long v : sorted) {
        writeVarLong(out, v - previous);
        previous = v;
      }
    } else {
      out.writeByte(SKETCH);
      out.write(registers);
    }
  }

  private void readObject(java.io.ObjectInputStream in)
      throws java.io.IOException, ClassNotFoundException {
    limit = in.readInt();
    java.io.DataInput data = in;
    byte mode = data.readByte();
    runStarts = null;
    runEnds = null;
    runs = 0;
    ascendingCount = 0;
    exact = null;
    registers = null;
    ascending = mode == RUNS;
    if (mode == RUNS) {
      int n = (int) readVarLong(data);
      runStarts = new long[Math.max(4, n)];
      runEnds = new long[runStarts.length];
      long previous = 0;
      for (int i = 0; i < n; i++) {
        long start = i == 0 ? readVarLong(data) : previous + readVarLong(data);
        long end = start + readVarLong(data);
        runStarts[i] = start;
        runEnds[i] = end;
        ascendingCount += end - start + 1;
        previous = end;
      }
      runs = n;
      exact = new LongSet();
    } else if (mode == EXACT) {
      int n = (int) readVarLong(data);
      exact = new LongSet();
      long previous = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        previous += readVarLong(data);
        exact.add(previous ^ Long.MIN_VALUE);
      }
    } else if (mode == SKETCH) {
      registers = new byte[M];
      data.readFully(registers);
    } else {
      throw new java.io.InvalidObjectException("unknown distinct-counter mode " + mode);
    }
  }

  private static void writeVarLong(java.io.DataOutput out, long v) throws java.io.IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  private static long readVarLong(java.io.DataInput in) throws java.io.IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.readByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new java.io.InvalidObjectException("malformed variable-length number");
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
