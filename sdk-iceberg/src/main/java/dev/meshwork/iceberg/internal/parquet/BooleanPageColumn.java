package dev.meshwork.iceberg.internal.parquet;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.BooleanStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;

/** A BOOLEAN column: plain encoding, one bit per value, least significant bit first. */
final class BooleanPageColumn extends PageColumn {
  private byte[] values;
  private int count;
  private boolean anyTrue;
  private boolean anyFalse;

  BooleanPageColumn(ColumnDescriptor descriptor, PageStore.Shared shared, int pageRows) {
    super(descriptor, shared, pageRows);
    this.values = new byte[capacity()];
  }

  @Override
  public void write(boolean v, int rl, int dl) {
    writeBoolean(v);
  }

  /** Writes a non-null value. */
  void writeBoolean(boolean v) {
    level(maxDef);
    if (v) {
      anyTrue = true;
      values[count++] = 1;
    } else {
      anyFalse = true;
      values[count++] = 0;
    }
    endEntry();
  }

  @Override
  Encoding encodeValues(ByteSink page) {
    int bytes = (count + 7) >>> 3;
    page.ensure(bytes);
    byte[] out = page.array();
    int p = page.size();
    for (int i = 0; i < count; i += 8) {
      int b = 0;
      int end = Math.min(8, count - i);
      for (int k = 0; k < end; k++) {
        b |= values[i + k] << k;
      }
      out[p++] = (byte) b;
    }
    page.advance(bytes);
    return Encoding.PLAIN;
  }

  @Override
  Statistics<?> pageStatistics() {
    Statistics<?> s = Statistics.createStats(type);
    if (anyTrue || anyFalse) {
      ((BooleanStatistics) s).setMinMax(!anyFalse, anyTrue);
    }
    s.incrementNumNulls(nulls);
    return s;
  }

  @Override
  void bloomPage(BloomFilter filter) {
    // parquet-java does not hash booleans either: their chunk's filter stays empty.
  }

  @Override
  void bloomDictionary(BloomFilter filter) {}

  @Override
  void grow(int capacity) {
    values = java.util.Arrays.copyOf(values, capacity);
  }

  @Override
  void resetPage() {
    count = 0;
    anyTrue = false;
    anyFalse = false;
  }

  @Override
  int dictionarySize() {
    return 0;
  }

  @Override
  void encodeDictionary(ByteSink out) {}

  @Override
  void resetChunk() {}

  @Override
  long pendingBytes() {
    return (count + 7) / 8;
  }
}
