package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many small commits to one port, with a second writer, two readers and maintenance (orphan files,
 * snapshots older than 5 s) every 50 commits all the while: every commit lands once, readers never
 * fail, the metadata folder stays bounded, and closing the mesh leaves no thread or open file
 * behind. Latency (first and last 200 commits) and heap are reported in {@code target/soak.md}, not
 * asserted. {@code -Dmeshwork.soak.commits=2000} runs the long variant (300 by default).
 */
class SoakTest {
  private static final Path DIR = Path.of("src/test/resources/lifecycle");
  private static final Principal ME = Principal.service("soak-test");
  private static final int COMMITS = Integer.getInteger("meshwork.soak.commits", 300);
  private static final int ROWS = 10;

  record Order(long orderId, String region, BigDecimal amount, String note) {}

  @TempDir Path warehouse;

  @Test
  void manySmallCommitsWithAnotherWriterAndReadersStayBoundedAndLeakNothing() throws Exception {
    DataProduct shop = DataProduct.load(DIR.resolve("shop.yaml"));
    Set<String> threadsBefore = liveThreads();
    long filesBefore = openFiles();
    long heapBefore = usedHeapAfterGc();
    long[] latencies = new long[COMMITS];
    AtomicLong second = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build()) {
      publish(mesh, shop, -ROWS);
      List<Thread> others = new ArrayList<>();
      others.add(
          new Thread(
              () -> {
                // The second writer: commits between the first one's, conflicting with them.
                try {
                  for (long i = 1; !done.get() && i <= COMMITS / 4; i++) {
                    publish(mesh, shop, -ROWS * (i + 1));
                    second.incrementAndGet();
                  }
                } catch (Throwable t) {
                  failures.add(t);
                }
              },
              "soak-second-writer"));
      for (int r = 0; r < 2; r++) {
        others.add(
            new Thread(
                () -> {
                  try {
                    while (!done.get()) {
                      long n = count(table(mesh));
                      assertThat(n % ROWS).isZero();
                      reads.incrementAndGet();
                    }
                  } catch (Throwable t) {
                    failures.add(t);
                  }
                },
                "soak-reader-" + r));
      }
      others.forEach(Thread::start);
      Maintenance maintenance = Maintenance.of((IcebergStore) mesh.store());
      int removed = 0;
      int expired = 0;
      for (int i = 0; i < COMMITS; i++) {
        long start = System.nanoTime();
        publish(mesh, shop, (long) i * ROWS);
        latencies[i] = System.nanoTime() - start;
        if (i % 50 == 49) {
          // Upkeep while both writers and the readers run: the metadata files of commits that
          // lost a conflict (Iceberg's JDBC catalog leaves them) go, nothing younger is touched.
          removed += maintenance.removeOrphanFiles(shop, Duration.ofSeconds(2)).deletedFiles();
          // Versions older than 5 s go, so the metadata file stops growing; a reader's scan takes
          // well under that.
          expired +=
              maintenance.expireSnapshots(shop, Duration.ofSeconds(5)).stream()
                  .mapToInt(Maintenance.ExpiryResult::expired)
                  .sum();
        }
      }
      done.set(true);
      for (Thread t : others) {
        t.join();
      }
      assertThat(failures).isEmpty();
      removed += maintenance.removeOrphanFiles(shop, Duration.ZERO).deletedFiles();
      Table t = table(mesh);
      long commits = 1 + COMMITS + second.get();
      assertThat(count(t)).isEqualTo(commits * ROWS);
      int kept = 0;
      for (org.apache.iceberg.Snapshot ignored : t.snapshots()) {
        kept++;
      }
      assertThat(kept + expired).as("every commit made a version").isEqualTo((int) commits);
      long metadataFiles;
      long metadataBytes;
      try (Stream<Path> files = Files.list(warehouse.resolve("sales/shop/orders/metadata"))) {
        List<Path> json = files.filter(p -> p.toString().endsWith(".metadata.json")).toList();
        metadataFiles = json.size();
        metadataBytes = json.stream().mapToLong(SoakTest::size).sum();
      }
      assertThat(metadataFiles).as("metadata files kept").isLessThanOrEqualTo(101 + 2);
      report(
          latencies,
          commits,
          second.get(),
          reads.get(),
          metadataFiles,
          metadataBytes,
          removed,
          expired,
          kept,
          heapBefore);
    }
    assertThat(liveThreads()).as("threads after the mesh closed").isSubsetOf(threadsBefore);
    assertThat(openFiles())
        .as("open files after the mesh closed")
        .isLessThanOrEqualTo(filesBefore + 2);
  }

  private void report(
      long[] latencies,
      long commits,
      long second,
      long reads,
      long metadataFiles,
      long metadataBytes,
      int removed,
      int expired,
      int kept,
      long heapBefore)
      throws IOException {
    int window = Math.min(200, COMMITS / 2);
    long[] first = Arrays.copyOfRange(latencies, 0, window);
    long[] last = Arrays.copyOfRange(latencies, COMMITS - window, COMMITS);
    List<String> lines =
        List.of(
            "| soak | value |",
            "|---|---:|",
            "| commits (first writer / second writer) | " + COMMITS + " / " + second + " |",
            "| reads by two readers | " + reads + " |",
            String.format(
                "| commit latency, first %d: p50 / p99 | %.1f / %.1f ms |",
                window, percentile(first, 50), percentile(first, 99)),
            String.format(
                "| commit latency, last %d: p50 / p99 | %.1f / %.1f ms |",
                window, percentile(last, 50), percentile(last, 99)),
            "| metadata files kept / bytes | " + metadataFiles + " / " + metadataBytes + " |",
            "| orphan files removed by maintenance during and after | " + removed + " |",
            String.format(
                "| heap used after GC, before / after (MiB) | %.1f / %.1f |",
                heapBefore / 1048576.0, usedHeapAfterGc() / 1048576.0),
            "| versions made / expired by maintenance / kept | "
                + commits
                + " / "
                + expired
                + " / "
                + kept
                + " |");
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target/soak.md"), lines, StandardCharsets.UTF_8);
  }

  private static double percentile(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int at = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, at)] / 1e6;
  }

  private static void publish(Mesh mesh, DataProduct shop, long from) {
    String[] regions = {"north", "south", "east"};
    try (Run run = mesh.start(shop, ME)) {
      run.output("orders", Order.class)
          .writeAll(
              IntStream.range(0, ROWS)
                  .mapToObj(
                      i -> new Order(from + i, regions[i % 3], BigDecimal.valueOf(i, 2), null))
                  .toList());
      run.commit();
    }
  }

  private static Table table(Mesh mesh) {
    return ((IcebergStore) mesh.store())
        .catalog()
        .loadTable(TableIdentifier.parse("sales.shop.orders"));
  }

  private static long count(Table t) throws IOException {
    long n = 0;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
      for (Record ignored : rows) {
        n++;
      }
    }
    return n;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static Set<String> liveThreads() throws InterruptedException {
    // Threads that are ending may still count for a moment.
    Thread.sleep(200);
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        // Process-wide, started once by Iceberg and the JDK (the reaper of Hadoop's one-off shell
        // commands), not per mesh.
        .filter(
            n ->
                !n.startsWith("iceberg-worker-pool")
                    && !n.startsWith("ForkJoinPool")
                    && !n.equals("process reaper"))
        .collect(java.util.stream.Collectors.toSet());
  }

  private static long openFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
