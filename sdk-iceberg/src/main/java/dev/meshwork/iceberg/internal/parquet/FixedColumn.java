package dev.meshwork.iceberg.internal.parquet;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.DoubleStatistics;
import org.apache.parquet.column.statistics.FloatStatistics;
import org.apache.parquet.column.statistics.IntStatistics;
import org.apache.parquet.column.statistics.LongStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * An INT32, INT64, FLOAT or DOUBLE column. Values are kept as raw 64-bit words, or as dictionary
 * ids while the column is dictionary-encoded; min and max follow parquet-java's comparators (signed
 * integers, {@code Float.compare}/{@code Double.compare}, so NaN is the largest value).
 */
final class FixedColumn extends PageColumn {
  private final PrimitiveTypeName physical;
  private final int width;
  private final boolean dictionaryEnabled;
  private long[] values;
  private int[] ids;
  private final LongDictionary dictionary = new LongDictionary();
  private boolean dictionaryActive;
  private boolean dictionaryUsed;
  private int count;

  /** Bits of a run of values being stored (empty until a run of ints, floats or doubles). */
  private long[] run = new long[0];

  private boolean any;
  private long minLong;
  private long maxLong;
  private double minDouble;
  private double maxDouble;
  private dev.meshwork.spi.write.LongPage longPage;
  private dev.meshwork.spi.write.DoublePage doublePage;

  FixedColumn(
      ColumnDescriptor descriptor, PageStore.Shared shared, int pageRows, boolean dictionary) {
    super(descriptor, shared, pageRows);
    this.physical = type.getPrimitiveTypeName();
    this.width = width(physical);
    this.dictionaryEnabled = dictionary;
    this.dictionaryActive = dictionary;
    this.values = new long[capacity()];
    this.ids = dictionary ? new int[capacity()] : null;
  }

  static int width(PrimitiveTypeName physical) {
    return physical == PrimitiveTypeName.INT64 || physical == PrimitiveTypeName.DOUBLE ? 8 : 4;
  }

  @Override
  public void write(long v, int rl, int dl) {
    if (physical != PrimitiveTypeName.INT64) {
      super.write(v, rl, dl);
    }
    writeLong(v);
  }

  /** Writes a non-null INT64 value, or a widened INT32 one. */
  void writeLong(long v) {
    level(maxDef);
    if (!any) {
      any = true;
      minLong = v;
      maxLong = v;
    } else if (v < minLong) {
      minLong = v;
    } else if (v > maxLong) {
      maxLong = v;
    }
    store(v);
  }

  @Override
  public void write(int v, int rl, int dl) {
    if (physical != PrimitiveTypeName.INT32) {
      super.write(v, rl, dl);
    }
    writeInt(v);
  }

  /** Writes a non-null INT32 value (kept widened; written back as its low 32 bits). */
  void writeInt(int v) {
    writeLong(v);
  }

  @Override
  public void write(double v, int rl, int dl) {
    if (physical != PrimitiveTypeName.DOUBLE) {
      super.write(v, rl, dl);
    }
    writeDouble(v);
  }

  /** Writes a non-null DOUBLE value. */
  void writeDouble(double v) {
    level(maxDef);
    if (!any) {
      any = true;
      minDouble = v;
      maxDouble = v;
    } else if (Double.compare(v, minDouble) < 0) {
      minDouble = v;
    } else if (Double.compare(v, maxDouble) > 0) {
      maxDouble = v;
    }
    store(Double.doubleToRawLongBits(v));
  }

  @Override
  public void write(float v, int rl, int dl) {
    if (physical != PrimitiveTypeName.FLOAT) {
      super.write(v, rl, dl);
    }
    writeFloat(v);
  }

  /** Writes a non-null FLOAT value. */
  void writeFloat(float v) {
    level(maxDef);
    // A float is exactly representable as a double and Double.compare orders them as Float.compare.
    if (!any) {
      any = true;
      minDouble = v;
      maxDouble = v;
    } else if (Float.compare(v, (float) minDouble) < 0) {
      minDouble = v;
    } else if (Float.compare(v, (float) maxDouble) > 0) {
      maxDouble = v;
    }
    store(Float.floatToRawIntBits(v) & 0xFFFFFFFFL);
  }

  // Runs: the values of many rows at once (an Arrow batch's column), with the same statistics,
  // dictionary and page boundaries as value by value, in loops without a call per value.

  /** Writes non-null INT64 values {@code a[from, to)}. */
  void writeLongs(long[] a, int from, int to) {
    while (from < to) {
      int k = Math.min(to - from, room());
      long min = any ? minLong : a[from];
      long max = any ? maxLong : a[from];
      for (int i = from; i < from + k; i++) {
        long v = a[i];
        if (v < min) {
          min = v;
        } else if (v > max) {
          max = v;
        }
      }
      any = true;
      minLong = min;
      maxLong = max;
      storeRun(a, from, k);
      from += k;
    }
  }

  /** Writes non-null INT32 values {@code a[from, to)} (kept widened, as {@link #writeInt}). */
  void writeInts(int[] a, int from, int to) {
    while (from < to) {
      int k = Math.min(to - from, room());
      long[] bits = scratch(k);
      long min = any ? minLong : a[from];
      long max = any ? maxLong : a[from];
      for (int i = 0; i < k; i++) {
        long v = a[from + i];
        bits[i] = v;
        if (v < min) {
          min = v;
        } else if (v > max) {
          max = v;
        }
      }
      any = true;
      minLong = min;
      maxLong = max;
      storeRun(bits, 0, k);
      from += k;
    }
  }

  /** Writes non-null DOUBLE values {@code a[from, to)}. */
  void writeDoubles(double[] a, int from, int to) {
    while (from < to) {
      int k = Math.min(to - from, room());
      long[] bits = scratch(k);
      double min = any ? minDouble : a[from];
      double max = any ? maxDouble : a[from];
      for (int i = 0; i < k; i++) {
        double v = a[from + i];
        bits[i] = Double.doubleToRawLongBits(v);
        if (Double.compare(v, min) < 0) {
          min = v;
        } else if (Double.compare(v, max) > 0) {
          max = v;
        }
      }
      any = true;
      minDouble = min;
      maxDouble = max;
      storeRun(bits, 0, k);
      from += k;
    }
  }

  /** Writes non-null FLOAT values {@code a[from, to)}. */
  void writeFloats(float[] a, int from, int to) {
    while (from < to) {
      int k = Math.min(to - from, room());
      long[] bits = scratch(k);
      float min = any ? (float) minDouble : a[from];
      float max = any ? (float) maxDouble : a[from];
      for (int i = 0; i < k; i++) {
        float v = a[from + i];
        bits[i] = Float.floatToRawIntBits(v) & 0xFFFFFFFFL;
        if (Float.compare(v, min) < 0) {
          min = v;
        } else if (Float.compare(v, max) > 0) {
          max = v;
        }
      }
      any = true;
      minDouble = min;
      maxDouble = max;
      storeRun(bits, 0, k);
      from += k;
    }
  }

  private long[] scratch(int k) {
    if (run.length < k) {
      run = new long[capacity()];
    }
    return run;
  }

  /** Stores the bits of {@code k} (at most {@link #room()}) non-null values, as {@link #store}. */
  private void storeRun(long[] bits, int from, int k) {
    levels(k);
    int i = 0;
    if (dictionaryActive) {
      int limit = shared.maxDictionaryBytes;
      for (; i < k; i++) {
        int id = dictionary.id(bits[from + i]);
        if (dictionary.size() * width > limit) {
          // This value is the first plain one, as store does.
          fallBack();
          break;
        }
        ids[count++] = id;
      }
    }
    if (i < k) {
      System.arraycopy(bits, from + i, values, count, k - i);
      count += k - i;
    }
    endEntries(k);
  }

  private void store(long bits) {
    if (dictionaryActive) {
      int id = dictionary.id(bits);
      if (dictionary.size() * width <= shared.maxDictionaryBytes) {
        ids[count++] = id;
        endEntry();
        return;
      }
      fallBack();
    }
    values[count++] = bits;
    endEntry();
  }

  /** Stops dictionary encoding for the rest of the chunk; the current page becomes plain. */
  private void fallBack() {
    for (int i = 0; i < count; i++) {
      values[i] = dictionary.entry(ids[i]);
    }
    dictionaryActive = false;
  }

  @Override
  @SuppressWarnings("deprecation") // PLAIN_DICTIONARY is what v1 pages name their ids with.
  Encoding encodeValues(ByteSink page) {
    if (dictionaryActive && !dictionaryUsed) {
      // As parquet-java does: keep the dictionary only if it makes the first page smaller.
      long encoded = ((long) count * Rle.bitWidth(dictionary.size() - 1) + 7) / 8;
      if (encoded + (long) dictionary.size() * width >= (long) count * width) {
        fallBack();
      }
    }
    if (dictionaryActive) {
      int bits = Rle.bitWidth(dictionary.size() - 1);
      page.put((byte) bits);
      Rle.encode(ids, count, bits, page);
      dictionaryUsed = true;
      return Encoding.PLAIN_DICTIONARY;
    }
    if (width == 8) {
      page.putLongs(values, count);
    } else {
      page.putInts(values, count);
    }
    return Encoding.PLAIN;
  }

  @Override
  void checkPage(dev.meshwork.spi.write.ColumnCheck[] checks) {
    // After encoding, ids hold the page exactly when the dictionary is still in use.
    int[] pageIds = dictionaryActive ? ids : null;
    long[] entries = dictionaryActive ? dictionary.entries() : null;
    if (physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64) {
      if (longPage == null) {
        longPage = new dev.meshwork.spi.write.LongPage();
      }
      longPage.set(this.entries, nulls, minLong, maxLong, values, pageIds, entries, count);
      for (dev.meshwork.spi.write.ColumnCheck c : checks) {
        c.integers(longPage);
      }
      return;
    }
    if (doublePage == null) {
      doublePage = new dev.meshwork.spi.write.DoublePage();
    }
    if (physical == PrimitiveTypeName.FLOAT) {
      doublePage.setFloats(
          this.entries, nulls, minDouble, maxDouble, values, pageIds, entries, count);
    } else {
      doublePage.setDoubles(
          this.entries, nulls, minDouble, maxDouble, values, pageIds, entries, count);
    }
    for (dev.meshwork.spi.write.ColumnCheck c : checks) {
      c.floating(doublePage);
    }
  }

  @Override
  Statistics<?> pageStatistics() {
    Statistics<?> s = Statistics.createStats(type);
    if (any) {
      switch (physical) {
        case INT64 -> ((LongStatistics) s).setMinMax(minLong, maxLong);
        case INT32 -> ((IntStatistics) s).setMinMax((int) minLong, (int) maxLong);
        case DOUBLE -> ((DoubleStatistics) s).setMinMax(minDouble, maxDouble);
        default -> ((FloatStatistics) s).setMinMax((float) minDouble, (float) maxDouble);
      }
    }
    s.incrementNumNulls(nulls);
    return s;
  }

  @Override
  void bloomPage(BloomFilter filter) {
    insert(filter, values, count);
  }

  @Override
  void bloomDictionary(BloomFilter filter) {
    insert(filter, dictionary.entries(), dictionary.size());
  }

  /** Inserts raw words as parquet-java hashes values of this physical type. */
  private void insert(BloomFilter filter, long[] words, int n) {
    for (int i = 0; i < n; i++) {
      long w = words[i];
      filter.insertHash(
          switch (physical) {
            case INT64 -> filter.hash(w);
            case INT32 -> filter.hash((int) w);
            case DOUBLE -> filter.hash(Double.longBitsToDouble(w));
            default -> filter.hash(Float.intBitsToFloat((int) w));
          });
    }
  }

  @Override
  void grow(int capacity) {
    values = java.util.Arrays.copyOf(values, capacity);
    if (ids != null) {
      ids = java.util.Arrays.copyOf(ids, capacity);
    }
  }

  @Override
  void resetPage() {
    count = 0;
    any = false;
  }

  @Override
  int dictionarySize() {
    return dictionaryUsed ? dictionary.size() : 0;
  }

  @Override
  void encodeDictionary(ByteSink out) {
    if (width == 8) {
      out.putLongs(dictionary.entries(), dictionary.size());
    } else {
      out.putInts(dictionary.entries(), dictionary.size());
    }
  }

  @Override
  void resetChunk() {
    dictionary.clear();
    dictionaryActive = dictionaryEnabled;
    dictionaryUsed = false;
  }

  @Override
  long pendingBytes() {
    long page = dictionaryActive ? count * 4L : (long) count * width;
    return page + (dictionaryEnabled ? (long) dictionary.size() * width : 0);
  }
}
