package dev.meshwork.spi.write;

/** What every page a {@link ColumnCheck} sees tells: its entries, nulls and non-null values. */
public abstract sealed class ColumnPage permits LongPage, DoublePage, Utf8Page {
  private int entries;
  private int nulls;
  private int count;

  ColumnPage() {}

  final void counts(int entries, int nulls, int count) {
    this.entries = entries;
    this.nulls = nulls;
    this.count = count;
  }

  /** Values and nulls in the page. */
  public final int entries() {
    return entries;
  }

  /** Nulls in the page. */
  public final int nulls() {
    return nulls;
  }

  /** Non-null values in the page. */
  public final int count() {
    return count;
  }
}
