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
 * Pages come back in the order they were handed in however long each takes to compress, a failing
 * compression surfaces to the writer, and no codec context is left open either way.
 */
class PageCompressorTest {
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

  @ParameterizedTest
  @ValueSource(strings = {"background", "inline"})
  void everyColumnsPagesComeBackInOrder(String mode) {
    List<List<Integer>> received = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    PageCompressor c = new PageCompressor(() -> new SlowCodec(-1), mode.equals("inline"));
    Random sizes = new Random(5);
    for (int page = 0; page < 120; page++) {
      ByteSink b = c.begin();
      b.put((byte) page);
      // Pages of eight KiB and more go to the background threads; smaller ones are done inline.
      b.put(FILLER, 0, sizes.nextBoolean() ? FILLER.length : 10);
      // Bursts of one column, as a column-at-a-time batch hands them in.
      List<Integer> column = received.get((page / 4) % 3);
      c.submit(column, (bytes, length) -> column.add(bytes[0] & 0xFF));
    }
    c.drain();
    c.close();
    assertThat(received).allSatisfy(column -> assertThat(column).hasSize(40).isSorted());
    assertThat(closed.get()).isEqualTo(opened.get());
  }

  /**
   * A page still compressing holds back the later pages of its column only: another column's
   * finished page is handed back at once.
   */
  @org.junit.jupiter.api.Test
  void aSlowPageHoldsBackOnlyItsOwnColumn() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        PageCompressor.THREADS > 0, "needs a background compression thread (two or more cores)");
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<String> received = new ArrayList<>();
    PageCompressor c =
        new PageCompressor(
            () ->
                new PageCodec() {
                  @Override
                  int compress(byte[] src, int length, ByteSink out) {
                    if (src[0] == 0) {
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

                  @Override
                  public void close() {}
                },
            false);
    Object a = "a";
    Object b = "b";
    ByteSink slow = c.begin();
    slow.put((byte) 0);
    slow.put(FILLER, 0, FILLER.length);
    c.submit(a, (bytes, length) -> received.add("a0"));
    assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    c.begin().put((byte) 1);
    c.submit(a, (bytes, length) -> received.add("a1"));
    c.begin().put((byte) 2);
    c.submit(b, (bytes, length) -> received.add("b2"));

    assertThat(received).containsExactly("b2");
    release.countDown();
    c.drain();
    c.close();
    assertThat(received).containsExactly("b2", "a0", "a1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"background", "inline"})
  void aFailingPageFailsTheWriterAndClosesEverything(String mode) {
    List<Integer> received = new ArrayList<>();
    PageCompressor c = new PageCompressor(() -> new SlowCodec(7), mode.equals("inline"));
    assertThatThrownBy(
            () -> {
              for (int page = 0; page < 40; page++) {
                ByteSink b = c.begin();
                b.put((byte) page);
                b.put(FILLER, 0, page % 2 == 0 ? FILLER.length : 10);
                c.submit(received, (bytes, length) -> received.add(bytes[0] & 0xFF));
              }
              c.drain();
            })
        .hasMessageContaining("codec failed on page 7");
    c.close();
    // Pages before the failing one were handed back, in order; none after it.
    assertThat(received).isSorted().allMatch(p -> p < 7);
    assertThat(closed.get()).isEqualTo(opened.get());
  }
}
