package dev.meshwork.spi.write;

/**
 * A page of whole numbers as a store encodes it, for a {@link ColumnCheck}: the non-null values
 * either directly or as ids into the column chunk's dictionary, with their bounds. A store refills
 * one view per column; it is valid only during the check's call.
 */
public final class LongPage extends ColumnPage {
  private long min;
  private long max;
  private long[] values;
  private int[] ids;
  private long[] dictionary;

  /**
   * Refills the view (for stores): {@code count} non-null values, {@code values[i]} or, when {@code
   * ids} is not null, {@code dictionary[ids[i]]}; {@code entries} counts values and nulls.
   */
  public void set(
      int entries,
      int nulls,
      long min,
      long max,
      long[] values,
      int[] ids,
      long[] dictionary,
      int count) {
    counts(entries, nulls, count);
    this.min = min;
    this.max = max;
    this.values = values;
    this.ids = ids;
    this.dictionary = dictionary;
  }

  /** The smallest non-null value (meaningless when {@link #count()} is 0). */
  public long min() {
    return min;
  }

  /** The largest non-null value (meaningless when {@link #count()} is 0). */
  public long max() {
    return max;
  }

  /** The {@code i}-th non-null value. */
  public long get(int i) {
    return ids == null ? values[i] : dictionary[ids[i]];
  }
}
