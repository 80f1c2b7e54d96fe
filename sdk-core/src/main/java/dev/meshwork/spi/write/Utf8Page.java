package dev.meshwork.spi.write;

/**
 * A page of text as a store encodes it, for a {@link ColumnCheck}: the non-null values as UTF-8,
 * either laid out back to back, each after its length as a 4-byte little-endian int (Parquet's
 * plain encoding), or as ids into the column chunk's dictionary. A store refills one view per
 * column; it is valid only during the check's call.
 */
public final class Utf8Page extends ColumnPage {
  private byte[] plain;
  private int plainSize;
  private int[] ids;
  private byte[] arena;
  private int[] starts;
  private int[] lengths;
  private long dictionaryKey;

  /** Refills the view with a plain page (for stores): {@code count} values in {@code plain}. */
  public void setPlain(int entries, int nulls, byte[] plain, int plainSize, int count) {
    counts(entries, nulls, count);
    this.plain = plain;
    this.plainSize = plainSize;
    this.ids = null;
  }

  /**
   * Refills the view with a dictionary page (for stores): value {@code i} is dictionary entry
   * {@code ids[i]}, whose bytes are {@code arena[starts[id], starts[id] + lengths[id])}; {@code
   * dictionaryKey} is the same for every page of one dictionary and differs between dictionaries,
   * so a check may remember what it found per entry.
   */
  public void setDictionary(
      int entries,
      int nulls,
      int[] ids,
      int count,
      byte[] arena,
      int[] starts,
      int[] lengths,
      long dictionaryKey) {
    counts(entries, nulls, count);
    this.ids = ids;
    this.arena = arena;
    this.starts = starts;
    this.lengths = lengths;
    this.dictionaryKey = dictionaryKey;
  }

  /** Whether the values are dictionary ids (else plain bytes). */
  public boolean dictionaryEncoded() {
    return ids != null;
  }

  /** Plain pages: the length-prefixed values. */
  public byte[] plain() {
    return plain;
  }

  /** Plain pages: the number of bytes of {@link #plain()} in use. */
  public int plainSize() {
    return plainSize;
  }

  /** Dictionary pages: the id of each non-null value. */
  public int[] ids() {
    return ids;
  }

  /** Dictionary pages: the bytes of the dictionary's entries. */
  public byte[] arena() {
    return arena;
  }

  /** Dictionary pages: where entry {@code id} starts in {@link #arena()}. */
  public int start(int id) {
    return starts[id];
  }

  /** Dictionary pages: the length of entry {@code id}. */
  public int length(int id) {
    return lengths[id];
  }

  /** Dictionary pages: identifies the dictionary (see {@link #setDictionary}). */
  public long dictionaryKey() {
    return dictionaryKey;
  }
}
