package dev.meshwork.spi.write;

/**
 * A page of floating-point numbers as a store encodes it, for a {@link ColumnCheck}: the non-null
 * values as raw IEEE bits (of a double, or of a float in the low 32 bits), either directly or as
 * ids into the column chunk's dictionary, with their bounds ordered as {@link Double#compare}
 * orders them (NaN largest). A store refills one view per column; it is valid only during the
 * check's call.
 */
public final class DoublePage extends ColumnPage {
  private double min;
  private double max;
  private long[] bits;
  private int[] ids;
  private long[] dictionary;
  private boolean floats;

  /**
   * Refills the view with doubles (for stores): {@code count} non-null values, {@code bits[i]} or,
   * when {@code ids} is not null, {@code dictionary[ids[i]]}; {@code entries} counts values and
   * nulls.
   */
  public void setDoubles(
      int entries,
      int nulls,
      double min,
      double max,
      long[] bits,
      int[] ids,
      long[] dictionary,
      int count) {
    set(entries, nulls, min, max, bits, ids, dictionary, count);
    this.floats = false;
  }

  /** As {@link #setDoubles}, for floats held in the low 32 bits. */
  public void setFloats(
      int entries,
      int nulls,
      double min,
      double max,
      long[] bits,
      int[] ids,
      long[] dictionary,
      int count) {
    set(entries, nulls, min, max, bits, ids, dictionary, count);
    this.floats = true;
  }

  private void set(
      int entries,
      int nulls,
      double min,
      double max,
      long[] bits,
      int[] ids,
      long[] dictionary,
      int count) {
    counts(entries, nulls, count);
    this.min = min;
    this.max = max;
    this.bits = bits;
    this.ids = ids;
    this.dictionary = dictionary;
  }

  /** The smallest non-null value (meaningless when {@link #count()} is 0). */
  public double min() {
    return min;
  }

  /** The largest non-null value, NaN if any is NaN (meaningless when {@link #count()} is 0). */
  public double max() {
    return max;
  }

  /** The {@code i}-th non-null value. */
  public double get(int i) {
    long w = ids == null ? bits[i] : dictionary[ids[i]];
    return floats ? Float.intBitsToFloat((int) w) : Double.longBitsToDouble(w);
  }
}
