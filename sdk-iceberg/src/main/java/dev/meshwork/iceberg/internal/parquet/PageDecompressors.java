package dev.meshwork.iceberg.internal.parquet;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopCodecs;
import org.xerial.snappy.Snappy;

/**
 * Decompresses the pages the decoder reads in one call from the chunk's bytes into an array of the
 * page's size, which the decoder then reads in place: parquet-java's own path streams ZSTD through
 * a fresh stream per page and copies each page twice. Other codecs go through parquet-java.
 */
final class PageDecompressors implements CompressionCodecFactory {
  // Made when a file needs it: Hadoop's configuration parses its XML resources on first use.
  private CompressionCodecFactory fallback;
  private final ZstdPages zstd = new ZstdPages();

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return fallback().getCompressor(codec);
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    return switch (codec) {
      case ZSTD -> zstd;
      case SNAPPY -> new SnappyPages();
      default -> new Eager(fallback().getDecompressor(codec));
    };
  }

  @Override
  public void release() {
    if (fallback != null) {
      fallback.release();
    }
  }

  private CompressionCodecFactory fallback() {
    if (fallback == null) {
      fallback = HadoopCodecs.newFactory(0);
    }
    return fallback;
  }

  /**
   * The bytes of {@code in} as a heap buffer: a view of the array or buffer it wraps, a copy of
   * other kinds (a stream is read once).
   */
  @SuppressWarnings("deprecation") // toByteBuffer(): the replacement allocates and copies
  static ByteBuffer heap(BytesInput in) throws IOException {
    String kind = in.getClass().getSimpleName();
    if (kind.equals("ByteArrayBytesInput") || kind.equals("ByteBufferBytesInput")) {
      ByteBuffer b = in.toByteBuffer();
      if (b.hasArray()) {
        return b;
      }
    }
    return ByteBuffer.wrap(in.toByteArray());
  }

  /**
   * parquet-java's decompressor, its output read at once and one page at a time: it is a stream
   * over one decompressor per codec that the next page resets, and with pages read ahead the pages
   * of several columns decompress on several threads.
   */
  private static final class Eager implements BytesInputDecompressor {
    private final BytesInputDecompressor lazy;

    Eager(BytesInputDecompressor lazy) {
      this.lazy = lazy;
    }

    @Override
    @SuppressWarnings("deprecation") // toByteArray: the one copy this class exists to make
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      synchronized (lazy) {
        return BytesInput.from(lazy.decompress(bytes, uncompressedSize).toByteArray());
      }
    }

    @Override
    public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int size)
        throws IOException {
      synchronized (lazy) {
        lazy.decompress(input, compressedSize, output, size);
      }
    }

    @Override
    public void release() {
      lazy.release();
    }
  }

  private abstract static class Pages implements BytesInputDecompressor {
    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      ByteBuffer in = heap(bytes);
      byte[] out = new byte[uncompressedSize];
      int n = decompress(in.array(), in.arrayOffset() + in.position(), in.remaining(), out);
      if (n != uncompressedSize) {
        throw new IOException(
            "a page decompressed to " + n + " bytes, but its header says " + uncompressedSize);
      }
      return BytesInput.from(out);
    }

    @Override
    public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int size)
        throws IOException {
      byte[] src = new byte[compressedSize];
      input.duplicate().get(src);
      byte[] out = new byte[size];
      decompress(src, 0, compressedSize, out);
      output.put(out);
    }

    abstract int decompress(byte[] src, int at, int length, byte[] out) throws IOException;

    @Override
    public void release() {}
  }

  /** ZSTD pages; a context per call, since the pages of one file decompress on several threads. */
  private static final class ZstdPages extends Pages {
    /** Idle contexts kept: each holds native working memory set up on first use. */
    private static final int KEEP = 8;

    private static final java.util.concurrent.ConcurrentLinkedDeque<ZstdDecompressCtx> IDLE =
        new java.util.concurrent.ConcurrentLinkedDeque<>();

    @Override
    int decompress(byte[] src, int at, int length, byte[] out) throws IOException {
      ZstdDecompressCtx ctx = IDLE.pollFirst();
      if (ctx == null) {
        ctx = new ZstdDecompressCtx();
      }
      try {
        return ctx.decompressByteArray(out, 0, out.length, src, at, length);
      } catch (RuntimeException e) {
        throw new IOException("a ZSTD page does not decompress: " + e.getMessage(), e);
      } finally {
        if (IDLE.size() < KEEP) {
          IDLE.addFirst(ctx);
        } else {
          ctx.close();
        }
      }
    }
  }

  private static final class SnappyPages extends Pages {
    @Override
    int decompress(byte[] src, int at, int length, byte[] out) throws IOException {
      return Snappy.uncompress(src, at, length, out, 0);
    }
  }
}
