package dev.meshwork.iceberg.internal.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveComparator;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * A BINARY or FIXED_LEN_BYTE_ARRAY column. Plain values are written straight into the page's plain
 * encoding; dictionary-encoded values are interned in an arena that is already the dictionary
 * page's plain encoding. Min and max are compared as parquet-java does: unsigned bytes, or as
 * signed big-endian integers for fixed-length decimals.
 */
final class BinaryPageColumn extends PageColumn {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BIG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final boolean prefixed;
  private final boolean signed;
  private final boolean dictionaryEnabled;
  private final int pageBytes;
  private final ByteSink plain = new ByteSink(1 << 12);
  private int[] ids;
  private int count;

  // Dictionary: entries in first-seen order, laid out as their plain encoding.
  private final ByteSink arena = new ByteSink(1 << 12);
  private int[] starts = new int[256];
  private int[] lengths = new int[256];
  private int[] hashes = new int[256];
  private int[] slots = new int[512];
  private int[] seenInPage = new int[256];
  private long[] firstWords = new long[256];
  private long[] lastWords = new long[256];
  private int pageNumber = 1;
  private int chunkNumber;
  private int size;
  private boolean dictionaryActive;
  private boolean dictionaryUsed;
  private long pageRawBytes;
  private dev.meshwork.spi.write.Utf8Page utf8Page;
  private long dictionaryKey = DICTIONARIES.incrementAndGet();

  /** Numbers the dictionaries of all columns, so checks can tell them apart. */
  private static final java.util.concurrent.atomic.AtomicLong DICTIONARIES =
      new java.util.concurrent.atomic.AtomicLong();

  private boolean any;
  private long minPrefix;
  private long maxPrefix;
  private byte[] min = new byte[32];
  private int minLength;
  private byte[] max = new byte[32];
  private int maxLength;

  BinaryPageColumn(
      ColumnDescriptor descriptor,
      PageStore.Shared shared,
      int pageRows,
      int pageBytes,
      boolean dictionary) {
    super(descriptor, shared, pageRows);
    this.prefixed = type.getPrimitiveTypeName() == PrimitiveTypeName.BINARY;
    this.signed = signedComparison(type);
    this.pageBytes = pageBytes;
    this.dictionaryEnabled = dictionary;
    this.dictionaryActive = dictionary;
    this.ids = dictionary ? new int[capacity()] : null;
  }

  /** Whether this column type's values are compared in a way this class implements. */
  static boolean supported(PrimitiveType type) {
    return (Object) type.comparator()
            == PrimitiveComparator.UNSIGNED_LEXICOGRAPHICAL_BINARY_COMPARATOR
        || signedComparison(type);
  }

  private static boolean signedComparison(PrimitiveType type) {
    return type.getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
        && type.getLogicalTypeAnnotation()
            instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
  }

  @Override
  public void write(Binary v, int rl, int dl) {
    ByteBuffer b = v.toByteBuffer();
    if (b.hasArray()) {
      writeBytes(b.array(), b.arrayOffset() + b.position(), b.remaining());
    } else {
      byte[] copy = v.getBytes();
      writeBytes(copy, 0, copy.length);
    }
  }

  /** Writes a non-null value from {@code bytes[offset, offset + length)}. */
  void writeBytes(byte[] bytes, int offset, int length) {
    write(bytes, offset, length, dictionaryActive ? id(bytes, offset, length) : -1);
  }

  /** Where a constant sits in this column's dictionary for the current chunk. */
  record Interned(BinaryPageColumn column, int chunk, int id) {}

  /** Writes a repeating value; its dictionary id is looked up once per chunk. */
  void writeConstant(Column.Constant c) {
    byte[] bytes = c.bytes;
    if (!dictionaryActive) {
      write(bytes, 0, bytes.length, -1);
      return;
    }
    Interned known = c.interned;
    int id;
    if (known != null && known.column == this && known.chunk == chunkNumber) {
      id = known.id;
    } else {
      id = id(bytes, 0, bytes.length);
      c.interned = new Interned(this, chunkNumber, id);
    }
    write(bytes, 0, bytes.length, id);
  }

  private void write(byte[] bytes, int offset, int length, int id) {
    level(maxDef);
    if (id >= 0) {
      if (seenInPage[id] != pageNumber) {
        // Each distinct value of a page is compared with the page's bounds once.
        seenInPage[id] = pageNumber;
        bounds(bytes, offset, length);
      }
      if (arena.size() <= shared.maxDictionaryBytes) {
        ids[count++] = id;
        pageRawBytes += length + (prefixed ? 4 : 0);
        endEntry();
        return;
      }
      fallBack();
    } else {
      bounds(bytes, offset, length);
    }
    if (prefixed) {
      plain.putInt(length);
    }
    plain.put(bytes, offset, length);
    count++;
    if (plain.size() >= pageBytes) {
      entries++;
      flushPage();
    } else {
      endEntry();
    }
  }

  private void bounds(byte[] bytes, int offset, int length) {
    if (!any) {
      any = true;
      min = copy(min, bytes, offset, length);
      minLength = length;
      max = copy(max, bytes, offset, length);
      maxLength = length;
      minPrefix = maxPrefix = prefix(bytes, offset, length);
      return;
    }
    // The first eight bytes, as an unsigned number, settle most comparisons without a loop.
    long p = prefix(bytes, offset, length);
    if (p > minPrefix && p < maxPrefix) {
      return;
    }
    if (compare(bytes, offset, length, min, minLength) < 0) {
      min = copy(min, bytes, offset, length);
      minLength = length;
      minPrefix = p;
    } else if (compare(bytes, offset, length, max, maxLength) > 0) {
      max = copy(max, bytes, offset, length);
      maxLength = length;
      maxPrefix = p;
    }
  }

  /**
   * The value's first eight bytes as a number ordered as the values are (unsigned, or signed for
   * decimals), zero-padded: a value whose prefix lies strictly between the bounds' prefixes lies
   * strictly between the bounds.
   */
  private long prefix(byte[] b, int offset, int length) {
    long p;
    if (length >= 8) {
      p = (long) BIG.get(b, offset);
    } else {
      p = 0;
      for (int i = 0; i < 8; i++) {
        p = p << 8 | (i < length ? b[offset + i] & 0xFF : 0);
      }
    }
    // Unsigned order becomes signed order by flipping the sign bit; signed values keep theirs.
    return signed ? p : p ^ Long.MIN_VALUE;
  }

  private int compare(byte[] a, int offset, int length, byte[] b, int bLength) {
    if (signed && length > 0 && bLength > 0) {
      int c = Byte.compare(a[offset], b[0]);
      if (c != 0) {
        return c;
      }
      return Arrays.compareUnsigned(a, offset + 1, offset + length, b, 1, bLength);
    }
    return Arrays.compareUnsigned(a, offset, offset + length, b, 0, bLength);
  }

  private static byte[] copy(byte[] into, byte[] bytes, int offset, int length) {
    byte[] out = into.length >= length ? into : new byte[Math.max(length, into.length * 2)];
    System.arraycopy(bytes, offset, out, 0, length);
    return out;
  }

  private int id(byte[] bytes, int offset, int length) {
    if (length <= 16) {
      return shortId(bytes, offset, length);
    }
    int hash = hash(bytes, offset, length);
    int mask = slots.length - 1;
    int h = hash & mask;
    byte[] a = arena.array();
    while (true) {
      int s = slots[h];
      if (s == 0) {
        return add(bytes, offset, length, hash, h);
      }
      int id = s - 1;
      if (hashes[id] == hash
          && lengths[id] == length
          && Arrays.equals(a, starts[id], starts[id] + length, bytes, offset, offset + length)) {
        return id;
      }
      h = (h + 1) & mask;
    }
  }

  /**
   * The id of a value of at most 16 bytes: its first and last eight bytes (overlapping, or the
   * zero-padded bytes when shorter) and its length identify it, so lookups compare two words
   * instead of the bytes.
   */
  private int shortId(byte[] bytes, int offset, int length) {
    long first;
    long last;
    if (length >= 8) {
      first = (long) LONG.get(bytes, offset);
      last = (long) LONG.get(bytes, offset + length - 8);
    } else {
      first = 0;
      for (int i = 0; i < length; i++) {
        first |= (bytes[offset + i] & 0xFFL) << (i << 3);
      }
      last = 0;
    }
    int hash = shortHash(first, last, length);
    int mask = slots.length - 1;
    int at = hash & mask;
    while (true) {
      int s = slots[at];
      if (s == 0) {
        int id = add(bytes, offset, length, hash, at);
        firstWords[id] = first;
        lastWords[id] = last;
        return id;
      }
      int id = s - 1;
      if (lengths[id] == length && firstWords[id] == first && lastWords[id] == last) {
        return id;
      }
      at = (at + 1) & mask;
    }
  }

  /** The hash of a value of at most 16 bytes from its first and last words and its length. */
  static int shortHash(long first, long last, int length) {
    return LongDictionary.mix(first * 0x9E3779B97F4A7C15L + last ^ length);
  }

  private int add(byte[] bytes, int offset, int length, int hash, int slot) {
    if (size == starts.length) {
      int n = size * 2;
      starts = Arrays.copyOf(starts, n);
      lengths = Arrays.copyOf(lengths, n);
      hashes = Arrays.copyOf(hashes, n);
      seenInPage = Arrays.copyOf(seenInPage, n);
      firstWords = Arrays.copyOf(firstWords, n);
      lastWords = Arrays.copyOf(lastWords, n);
    }
    if (prefixed) {
      arena.putInt(length);
    }
    starts[size] = arena.size();
    lengths[size] = length;
    hashes[size] = hash;
    seenInPage[size] = 0;
    arena.put(bytes, offset, length);
    slots[slot] = ++size;
    if (size * 2 > slots.length) {
      rehash();
    }
    return size - 1;
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    int mask = slots.length - 1;
    for (int id = 0; id < size; id++) {
      int h = hashes[id] & mask;
      while (slots[h] != 0) {
        h = (h + 1) & mask;
      }
      slots[h] = id + 1;
    }
  }

  private static int hash(byte[] b, int offset, int length) {
    long h = 0x9E3779B97F4A7C15L ^ length;
    int i = offset;
    int end = offset + length;
    for (; i + 8 <= end; i += 8) {
      h = (h ^ (long) LONG.get(b, i)) * 0xC2B2AE3D27D4EB4FL;
      h ^= h >>> 31;
    }
    for (; i < end; i++) {
      h = (h ^ b[i]) * 0x9E3779B97F4A7C15L;
    }
    return LongDictionary.mix(h);
  }

  /** Stops dictionary encoding for the rest of the chunk; the current page becomes plain. */
  private void fallBack() {
    byte[] a = arena.array();
    for (int i = 0; i < count; i++) {
      int id = ids[i];
      if (prefixed) {
        plain.putInt(lengths[id]);
      }
      plain.put(a, starts[id], lengths[id]);
    }
    dictionaryActive = false;
  }

  @Override
  @SuppressWarnings("deprecation") // PLAIN_DICTIONARY is what v1 pages name their ids with.
  Encoding encodeValues(ByteSink page) {
    if (dictionaryActive && !dictionaryUsed) {
      // As parquet-java does: keep the dictionary only if it makes the first page smaller.
      long encoded = ((long) count * Rle.bitWidth(size - 1) + 7) / 8;
      if (encoded + arena.size() >= pageRawBytes) {
        fallBack();
      }
    }
    if (dictionaryActive) {
      int bits = Rle.bitWidth(size - 1);
      page.put((byte) bits);
      Rle.encode(ids, count, bits, page);
      dictionaryUsed = true;
      return Encoding.PLAIN_DICTIONARY;
    }
    page.put(plain.array(), 0, plain.size());
    return Encoding.PLAIN;
  }

  @Override
  void checkPage(dev.meshwork.spi.write.ColumnCheck[] checks) {
    if (utf8Page == null) {
      utf8Page = new dev.meshwork.spi.write.Utf8Page();
    }
    // After encoding, ids hold the page exactly when the dictionary is still in use.
    if (dictionaryActive) {
      utf8Page.setDictionary(
          entries, nulls, ids, count, arena.array(), starts, lengths, dictionaryKey);
    } else {
      utf8Page.setPlain(entries, nulls, plain.array(), plain.size(), count);
    }
    for (dev.meshwork.spi.write.ColumnCheck c : checks) {
      c.utf8(utf8Page);
    }
  }

  @Override
  @SuppressWarnings("unchecked") // a BINARY or FIXED_LEN_BYTE_ARRAY column's statistics
  Statistics<?> pageStatistics() {
    Statistics<Binary> s = (Statistics<Binary>) Statistics.createStats(type);
    if (any) {
      // updateStats copies the bytes it keeps.
      s.updateStats(Binary.fromReusedByteArray(min, 0, minLength));
      s.updateStats(Binary.fromReusedByteArray(max, 0, maxLength));
    }
    s.incrementNumNulls(nulls);
    return s;
  }

  @Override
  void bloomPage(BloomFilter filter) {
    byte[] a = plain.array();
    int end = plain.size();
    int fixed = type.getTypeLength();
    for (int p = 0; p < end; ) {
      int length = prefixed ? (int) INT.get(a, p) : fixed;
      if (prefixed) {
        p += 4;
      }
      filter.insertHash(filter.hash(Binary.fromConstantByteArray(a, p, length)));
      p += length;
    }
  }

  @Override
  void bloomDictionary(BloomFilter filter) {
    byte[] a = arena.array();
    for (int id = 0; id < size; id++) {
      filter.insertHash(filter.hash(Binary.fromConstantByteArray(a, starts[id], lengths[id])));
    }
  }

  @Override
  void grow(int capacity) {
    if (ids != null) {
      ids = Arrays.copyOf(ids, capacity);
    }
  }

  @Override
  void resetPage() {
    count = 0;
    any = false;
    plain.reset();
    pageRawBytes = 0;
    pageNumber++;
  }

  @Override
  int dictionarySize() {
    return dictionaryUsed ? size : 0;
  }

  @Override
  void encodeDictionary(ByteSink out) {
    out.put(arena.array(), 0, arena.size());
  }

  @Override
  void resetChunk() {
    chunkNumber++;
    dictionaryKey = DICTIONARIES.incrementAndGet();
    if (size > 0) {
      Arrays.fill(slots, 0);
      size = 0;
      arena.reset();
    }
    dictionaryActive = dictionaryEnabled;
    dictionaryUsed = false;
  }

  @Override
  long pendingBytes() {
    long page = dictionaryActive ? count * 4L : plain.size();
    return page + arena.size();
  }
}
