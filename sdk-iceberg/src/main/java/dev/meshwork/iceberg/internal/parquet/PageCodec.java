package dev.meshwork.iceberg.internal.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Compresses a page straight from the encoder's buffer into the column chunk's buffer. ZSTD and
 * Snappy call their libraries' array methods (the same libraries and formats parquet-java uses, so
 * every Parquet reader reads them); other codecs go through parquet-java's compressor.
 */
abstract class PageCodec implements AutoCloseable {
  /** Appends the compressed form of {@code src[0, length)} to {@code out}; returns its size. */
  abstract int compress(byte[] src, int length, ByteSink out);

  @Override
  public void close() {}

  /** Whether separate instances may compress at the same time on different threads. */
  boolean concurrent() {
    return true;
  }

  static PageCodec of(CompressionCodecName codec, int zstdLevel, BytesInputCompressor fallback) {
    return switch (codec) {
      case UNCOMPRESSED -> new Uncompressed();
      case ZSTD -> new ZstdCodec(zstdLevel);
      case SNAPPY -> new SnappyCodec();
      default -> new Fallback(fallback);
    };
  }

  private static final class Uncompressed extends PageCodec {
    @Override
    int compress(byte[] src, int length, ByteSink out) {
      out.put(src, 0, length);
      return length;
    }
  }

  private static final class ZstdCodec extends PageCodec {
    /** Idle contexts kept per level: a context's working memory is set up on first use. */
    private static final int KEEP = 8;

    private static final java.util.concurrent.ConcurrentHashMap<
            Integer, java.util.concurrent.ConcurrentLinkedDeque<ZstdCompressCtx>>
        IDLE = new java.util.concurrent.ConcurrentHashMap<>();

    private final int level;
    private ZstdCompressCtx ctx;

    ZstdCodec(int level) {
      this.level = level;
      ZstdCompressCtx idle = idle(level).pollFirst();
      ctx = idle != null ? idle : new ZstdCompressCtx().setLevel(level);
    }

    private static java.util.concurrent.ConcurrentLinkedDeque<ZstdCompressCtx> idle(int level) {
      return IDLE.computeIfAbsent(level, l -> new java.util.concurrent.ConcurrentLinkedDeque<>());
    }

    @Override
    int compress(byte[] src, int length, ByteSink out) {
      int bound = (int) Zstd.compressBound(length);
      out.ensure(bound);
      int n = ctx.compressByteArray(out.array(), out.size(), bound, src, 0, length);
      out.advance(n);
      return n;
    }

    @Override
    public void close() {
      if (ctx == null) {
        return;
      }
      java.util.concurrent.ConcurrentLinkedDeque<ZstdCompressCtx> idle = idle(level);
      if (idle.size() < KEEP) {
        idle.addFirst(ctx);
      } else {
        ctx.close();
      }
      ctx = null;
    }
  }

  private static final class SnappyCodec extends PageCodec {
    @Override
    int compress(byte[] src, int length, ByteSink out) {
      out.ensure(Snappy.maxCompressedLength(length));
      try {
        int n = Snappy.compress(src, 0, length, out.array(), out.size());
        out.advance(n);
        return n;
      } catch (IOException e) {
        throw new UncheckedIOException("Snappy could not compress a page: " + e.getMessage(), e);
      }
    }
  }

  private static final class Fallback extends PageCodec {
    private final BytesInputCompressor compressor;

    Fallback(BytesInputCompressor compressor) {
      this.compressor = compressor;
    }

    @Override
    boolean concurrent() {
      return false;
    }

    @Override
    @SuppressWarnings("deprecation") // toByteArray: the compressor's output is copied once anyway
    int compress(byte[] src, int length, ByteSink out) {
      try {
        byte[] packed = compressor.compress(BytesInput.from(src, 0, length)).toByteArray();
        out.put(packed, 0, packed.length);
        return packed.length;
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot compress a page with " + compressor.getCodecName() + ": " + e.getMessage(), e);
      }
    }
  }
}
