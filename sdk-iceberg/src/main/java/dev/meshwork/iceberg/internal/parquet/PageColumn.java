package dev.meshwork.iceberg.internal.parquet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType;

/**
 * One leaf column of a flat (non-repeated) schema, encoded by Meshwork into Parquet v1 data pages:
 * values are kept in primitive arrays for the current page, encoded a page at a time (plain or
 * dictionary ids), compressed into the column chunk's buffer and handed to parquet-java's file
 * writer when the row group ends, which writes page headers, checksums, the column index and the
 * footer statistics from the page statistics given here.
 */
abstract class PageColumn implements ColumnWriter {
  final ColumnDescriptor descriptor;
  final PrimitiveType type;
  final PageStore.Shared shared;
  final int maxDef;
  private final int defWidth;
  private byte[] defs;
  private final int pageRows;

  /** Entries the page arrays hold now; they grow up to a full page, so small files stay small. */
  private int capacity;

  /** Entries (values and nulls) in the current page. */
  int entries;

  /** Nulls in the current page. */
  int nulls;

  private final ChunkBuffer chunk;
  private final List<Page> pages = new ArrayList<>();
  private long chunkEntries;

  private java.util.function.Supplier<BloomFilter> bloomFilters;
  private BloomFilter bloom;
  private boolean plainPages;

  /** Quality checks that see every page of this column, or null. */
  private dev.meshwork.spi.write.ColumnCheck[] checks;

  /** Uncompressed bytes of pages handed to the compressor and not back yet. */
  private long compressing;

  PageColumn(ColumnDescriptor descriptor, PageStore.Shared shared, int pageRows) {
    this.descriptor = descriptor;
    this.type = descriptor.getPrimitiveType();
    this.shared = shared;
    this.chunk = new ChunkBuffer(shared.compressor.segments());
    this.maxDef = descriptor.getMaxDefinitionLevel();
    this.defWidth = Rle.bitWidth(maxDef);
    this.pageRows = pageRows;
    this.capacity = Math.min(pageRows, FIRST_CAPACITY);
    this.defs = maxDef > 0 ? new byte[capacity] : null;
  }

  /** Records the definition level of a value about to be stored. */
  final void level(int dl) {
    if (defs != null) {
      defs[entries] = (byte) dl;
    }
  }

  /** Ends the entry just stored; starts a new page when this one is full. */
  final void endEntry() {
    if (++entries >= capacity) {
      if (capacity < pageRows) {
        capacity = Math.min(pageRows, capacity * 2);
        if (defs != null) {
          defs = java.util.Arrays.copyOf(defs, capacity);
        }
        grow(capacity);
      } else {
        flushPage();
      }
    }
  }

  /** Entries the current page can take before it ends or its arrays grow: the most for a run. */
  final int room() {
    return capacity - entries;
  }

  /** Records the definition levels of the {@code k} non-null values about to be stored. */
  final void levels(int k) {
    if (defs != null) {
      java.util.Arrays.fill(defs, entries, entries + k, (byte) maxDef);
    }
  }

  /** Ends the {@code k} (at least 1, at most {@link #room()}) entries just stored. */
  final void endEntries(int k) {
    entries += k - 1;
    endEntry();
  }

  /** The page arrays' size for a new column. */
  static final int FIRST_CAPACITY = 1024;

  /** Entries the page arrays hold now. */
  final int capacity() {
    return capacity;
  }

  /** Makes the value arrays hold {@code capacity} entries. */
  abstract void grow(int capacity);

  @Override
  public final void writeNull(int rl, int dl) {
    if (defs == null) {
      throw new IllegalStateException(
          "null written to required column " + String.join(".", descriptor.getPath()));
    }
    defs[entries] = (byte) dl;
    nulls++;
    endEntry();
  }

  /** Gives every column chunk a bloom filter from {@code filters}. */
  final void bloomFilters(java.util.function.Supplier<BloomFilter> filters) {
    this.bloomFilters = filters;
    this.bloom = filters.get();
  }

  /** Hands every page of this column to {@code checks}. */
  final void checks(dev.meshwork.spi.write.ColumnCheck[] checks) {
    this.checks = checks;
  }

  /**
   * Hands the current page, just encoded, to {@code checks} (in the form they asked for, which the
   * store matched to this column's type).
   */
  void checkPage(dev.meshwork.spi.write.ColumnCheck[] checks) {
    throw new IllegalStateException(
        "column " + String.join(".", descriptor.getPath()) + " does not run column checks");
  }

  /** Adds the values of the current (plain-encoded) page to {@code filter}. */
  abstract void bloomPage(BloomFilter filter);

  /** Adds the dictionary's entries to {@code filter}. */
  abstract void bloomDictionary(BloomFilter filter);

  /** Encodes the current page's values after the levels; returns their encoding. */
  abstract Encoding encodeValues(ByteSink page);

  /** Statistics of the current page (min, max and nulls), as parquet-java would compute them. */
  abstract Statistics<?> pageStatistics();

  /** Forgets the current page's values once it has been written. */
  abstract void resetPage();

  /** Number of dictionary entries pages of this chunk refer to (0: no dictionary page). */
  abstract int dictionarySize();

  /** Plain-encodes the dictionary into {@code out}. */
  abstract void encodeDictionary(ByteSink out);

  /** Starts the next column chunk: fresh dictionary, encoding chosen anew. */
  abstract void resetChunk();

  /** Bytes held for the current page and dictionary, before compression. */
  abstract long pendingBytes();

  /** Encodes, compresses and keeps the current page. */
  final void flushPage() {
    if (entries == 0) {
      return;
    }
    ByteSink page = shared.compressor.begin();
    if (defs != null) {
      int at = page.size();
      page.putInt(0);
      Rle.encode(defs, entries, defWidth, shared.levels(entries), page);
      page.putIntAt(at, page.size() - at - 4);
    }
    Encoding encoding = encodeValues(page);
    if (checks != null) {
      checkPage(checks);
    }
    if (!encoding.usesDictionary()) {
      plainPages = true;
      if (bloom != null) {
        bloomPage(bloom);
      }
    }
    Page p = new Page(page.size(), entries, pageStatistics(), encoding);
    pages.add(p);
    compressing += p.uncompressed;
    // Pages may come back in any order; each keeps its offset in the chunk.
    shared.compressor.submit(
        (bytes, length) -> {
          p.offset = chunk.append(bytes, length);
          p.length = length;
          compressing -= p.uncompressed;
        });
    chunkEntries += entries;
    entries = 0;
    nulls = 0;
    resetPage();
  }

  /**
   * Writes this column's chunk of the row group to {@code file} and starts the next chunk. The
   * deprecated encodings are the ones parquet-java's own v1 writer names: PLAIN_DICTIONARY for
   * dictionaries, BIT_PACKED for absent levels.
   */
  @SuppressWarnings("deprecation")
  final void writeChunk(ParquetFileWriter file, CompressionCodecName codec) throws IOException {
    file.startColumn(descriptor, chunkEntries, codec);
    int dictionary = dictionarySize();
    if (dictionary > 0) {
      ByteSink plain = shared.dictionaryPlain;
      plain.reset();
      encodeDictionary(plain);
      ByteSink packed = shared.dictionary;
      packed.reset();
      int n = shared.compressor.inline().compress(plain.array(), plain.size(), packed);
      file.writeDictionaryPage(
          new DictionaryPage(
              BytesInput.from(packed.array(), 0, n),
              plain.size(),
              dictionary,
              Encoding.PLAIN_DICTIONARY));
    }
    Encoding levels = defs == null ? Encoding.BIT_PACKED : Encoding.RLE;
    for (Page p : pages) {
      file.writeDataPage(
          p.entries,
          p.uncompressed,
          chunk.slice(p.offset, p.length),
          p.statistics,
          p.entries,
          Encoding.BIT_PACKED,
          levels,
          p.encoding);
    }
    if (bloom != null) {
      // As parquet-java does: a chunk whose pages all use the dictionary needs no bloom filter.
      if (plainPages) {
        if (dictionary > 0) {
          bloomDictionary(bloom);
        }
        file.addBloomFilter(String.join(".", descriptor.getPath()), bloom);
      }
      bloom = bloomFilters.get();
    }
    plainPages = false;
    file.endColumn();
    pages.clear();
    chunk.release();
    chunkEntries = 0;
    resetChunk();
  }

  /** Bytes buffered for the row group: compressed pages plus the page and dictionary in work. */
  final long bufferedSize() {
    return chunk.size() + compressing + pendingBytes() + (defs == null ? 0 : entries / 8);
  }

  final long allocatedSize() {
    return chunk.allocated() + pendingBytes();
  }

  /** Gives pooled memory back (the file is closed or abandoned). */
  final void release() {
    chunk.release();
  }

  @Override
  public long getBufferedSizeInMemory() {
    return bufferedSize();
  }

  @Override
  public void close() {}

  // Typed writes a column does not support are schema mismatches between writer and file.

  @Override
  public void write(int value, int rl, int dl) {
    throw unsupported("int");
  }

  @Override
  public void write(long value, int rl, int dl) {
    throw unsupported("long");
  }

  @Override
  public void write(boolean value, int rl, int dl) {
    throw unsupported("boolean");
  }

  @Override
  public void write(Binary value, int rl, int dl) {
    throw unsupported("binary");
  }

  @Override
  public void write(float value, int rl, int dl) {
    throw unsupported("float");
  }

  @Override
  public void write(double value, int rl, int dl) {
    throw unsupported("double");
  }

  private IllegalStateException unsupported(String what) {
    return new IllegalStateException(
        "cannot write a "
            + what
            + " value to Parquet column "
            + String.join(".", descriptor.getPath())
            + " of type "
            + type);
  }

  /** A page kept in the chunk buffer until the row group is written. */
  private static final class Page {
    final int uncompressed;
    final int entries;
    final Statistics<?> statistics;
    final Encoding encoding;
    // Known once compressed.
    long offset;
    int length;

    Page(int uncompressed, int entries, Statistics<?> statistics, Encoding encoding) {
      this.uncompressed = uncompressed;
      this.entries = entries;
      this.statistics = statistics;
      this.encoding = encoding;
    }
  }
}
