package dev.meshwork.iceberg.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every page comes back once, with its own bytes, however long each takes to compress; a slow page
 * holds back no other; a failing compression surfaces to the writer; and no codec context is left
 * open either way.
 */
class PageCompressorTest {
  private static final WriteResources RESOURCES = new WriteResources(2);
  private static final byte[] FILLER = new byte[PageCompressor.SMALL_PAGE];

  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();

  /** Copies the page after a seeded random pause; fails on the page numbered {@code failAt}. */
  private final class SlowCodec extends PageCodec {
    private final Random random = new Random(opened.incrementAndGet());
    private final int failAt;

    SlowCodec(int failAt) {
      this.failAt = failAt;
    }

    @Override
    int compress(byte[] src, int length, ByteSink out) {
      try {
        Thread.sleep(random.nextInt(3));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (src[0] == failAt) {
        throw new IllegalStateException("codec failed on page " + failAt);
      }
      out.put(src, 0, length);
      return length;
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  /**
   * Copies pages and notes the thread that compressed each (by its first byte); holds a page whose
   * first byte is below {@code held} until {@code release}, counting {@code started} down first.
   */
  private static final class HoldingCodec extends PageCodec {
    private final int held;
    private final java.util.concurrent.CountDownLatch started;
    private final java.util.concurrent.CountDownLatch release;
    private final java.util.Map<Integer, String> compressedBy;

    HoldingCodec(
        int held,
        java.util.concurrent.CountDownLatch started,
        java.util.concurrent.CountDownLatch release,
        java.util.Map<Integer, String> compressedBy) {
      this.held = held;
      this.started = started;
      this.release = release;
      this.compressedBy = compressedBy;
    }

    @Override
    int compress(byte[] src, int length, ByteSink out) {
      compressedBy.put(src[0] & 0xFF, Thread.currentThread().getName());
      if (src[0] < held) {
        started.countDown();
        try {
          release.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      out.put(src, 0, length);
      return length;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"background", "inline"})
  void everyPageComesBackOnceWithItsOwnBytes(String mode) {
    List<Integer> received = new ArrayList<>();
    PageCompressor c =
        new PageCompressor(RESOURCES, () -> new SlowCodec(-1), mode.equals("inline"));
    Random sizes = new Random(5);
    for (int page = 0; page < 120; page++) {
      ByteSink b = c.begin();
      b.put((byte) page);
      // Pages of eight KiB and more go to the background threads; smaller ones are done inline.
      int size = sizes.nextBoolean() ? FILLER.length : 10;
      b.put(FILLER, 0, size);
      int expected = page;
      c.submit(
          (bytes, length) -> {
            assertThat(length).isEqualTo(size + 1);
            received.add(bytes[0] & 0xFF);
          });
      assertThat(received).doesNotHaveDuplicates().allMatch(p -> p <= expected);
    }
    c.drain();
    c.close();
    assertThat(received).containsExactlyInAnyOrderElementsOf(range(120));
    if (mode.equals("inline")) {
      assertThat(received).isSorted();
    }
    assertThat(closed.get()).isEqualTo(opened.get());
  }

  private static List<Integer> range(int n) {
    return java.util.stream.IntStream.range(0, n).boxed().toList();
  }

  /**
   * A page still compressing holds back no other page, not even the later pages of its column: each
   * is handed back as soon as it is compressed (its column keeps its place in the chunk).
   */
  @org.junit.jupiter.api.Test
  void aSlowPageHoldsBackNoOtherPage() throws Exception {
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<String> received = new ArrayList<>();
    PageCompressor c =
        new PageCompressor(
            RESOURCES,
            () ->
                new HoldingCodec(
                    1, started, release, new java.util.concurrent.ConcurrentHashMap<>()),
            false);
    ByteSink slow = c.begin();
    slow.put((byte) 0);
    slow.put(FILLER, 0, FILLER.length);
    c.submit((bytes, length) -> received.add("a0"));
    assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    c.begin().put((byte) 1);
    c.submit((bytes, length) -> received.add("a1"));
    c.begin().put((byte) 2);
    c.submit((bytes, length) -> received.add("b2"));

    assertThat(received).containsExactly("a1", "b2");
    release.countDown();
    c.drain();
    c.close();
    assertThat(received).containsExactly("a1", "b2", "a0");
  }

  /**
   * With every slot taken and every thread busy, the writer compresses the smallest queued page
   * itself and leaves the larger ones to the threads.
   */
  @org.junit.jupiter.api.Test
  void aWriterOutOfSlotsCompressesTheSmallestQueuedPage() throws Exception {
    int threads = RESOURCES.threads();
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(threads);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.Map<Integer, String> compressedBy = new java.util.concurrent.ConcurrentHashMap<>();
    PageCompressor c =
        new PageCompressor(
            RESOURCES, () -> new HoldingCodec(threads, started, release, compressedBy), false);
    byte[] big = new byte[4 * PageCompressor.SMALL_PAGE];
    // One page per thread (large enough to be handed over), each held until released.
    for (int page = 0; page < threads; page++) {
      ByteSink b = c.begin();
      b.put((byte) page);
      b.put(FILLER, 0, FILLER.length);
      c.submit((bytes, length) -> {});
      if (page == threads - 1) {
        assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      }
    }
    // The queued slots: a big page, the smallest one, a middling one.
    int[] sizes = {big.length, PageCompressor.SMALL_PAGE, 2 * PageCompressor.SMALL_PAGE};
    for (int q = 0; q < sizes.length; q++) {
      ByteSink b = c.begin();
      b.put((byte) (threads + q));
      b.put(big, 0, sizes[q]);
      c.submit((bytes, length) -> {});
    }
    String writer = Thread.currentThread().getName();
    c.begin();
    assertThat(compressedBy).containsEntry(threads + 1, writer);
    assertThat(compressedBy).doesNotContainKeys(threads, threads + 2);
    release.countDown();
    c.drain();
    c.close();
    assertThat(compressedBy).hasSize(threads + 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"background", "inline"})
  void aFailingPageFailsTheWriterAndClosesEverything(String mode) {
    List<Integer> received = new ArrayList<>();
    PageCompressor c = new PageCompressor(RESOURCES, () -> new SlowCodec(7), mode.equals("inline"));
    assertThatThrownBy(
            () -> {
              for (int page = 0; page < 40; page++) {
                ByteSink b = c.begin();
                b.put((byte) page);
                b.put(FILLER, 0, page % 2 == 0 ? FILLER.length : 10);
                c.submit((bytes, length) -> received.add(bytes[0] & 0xFF));
              }
              c.drain();
            })
        .hasMessageContaining("codec failed on page 7");
    c.close();
    // The failing page never reached its sink, and nothing was handed back twice.
    assertThat(received).doesNotContain(7).doesNotHaveDuplicates();
    assertThat(closed.get()).isEqualTo(opened.get());
  }
}
