package dev.meshwork.iceberg;

import static dev.meshwork.iceberg.StoreChecks.orderIds;
import static dev.meshwork.iceberg.StoreChecks.orders;
import static dev.meshwork.iceberg.StoreChecks.orphans;
import static dev.meshwork.iceberg.StoreChecks.publish;
import static dev.meshwork.iceberg.StoreChecks.snapshotCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Row;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.SummaryKeys;
import dev.meshwork.core.internal.binding.Direction;
import dev.meshwork.core.internal.binding.RecordShapes;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.iceberg.StoreChecks.Order;
import dev.meshwork.spi.OutputSpec;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.PartTarget;
import dev.meshwork.spi.PartedWrites;
import dev.meshwork.spi.PublishRequest;
import dev.meshwork.spi.PublishResult;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.StagedWriter;
import dev.meshwork.spi.TableAddress;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every storage × catalog combination must do, whatever is underneath: publish and read back
 * exactly, record exact file sizes, publish a rerun once, leave nothing behind on a failed run, and
 * keep every commit of concurrent writers. Subclasses supply a fresh, empty store per test.
 */
abstract class StoreContract {
  @TempDir Path tmp;
  private IcebergStore store;
  private Mesh mesh;

  /** A fresh, empty store for one test; {@code tmp} is the test's own folder. */
  protected abstract IcebergStore newStore(Path tmp) throws Exception;

  /** Secrets the store was configured with, which its description must not show. */
  protected List<String> secrets() {
    return List.of();
  }

  /** Releases what {@link #newStore} started. */
  protected void release() throws Exception {}

  @BeforeEach
  void open() throws Exception {
    store = newStore(tmp);
    mesh = Mesh.builder().store(store).listener(e -> {}).build();
  }

  @AfterEach
  void close() throws Exception {
    if (mesh != null) {
      mesh.close();
    }
    release();
  }

  @Test
  void aConsumerReadsBackExactlyWhatWasPublishedAndRecordedSizesAreStoredSizes() {
    List<Order> written = orders(0, 3_000);
    RunResult result = publish(mesh, "first", written);
    assertThat(result.output("orders").rows()).isEqualTo(3_000);

    List<Order> read;
    try (Run run = mesh.start(DataProduct.load(StoreChecks.DIR.resolve("reporting.yaml")), ME);
        Stream<Order> in = run.input("orders", Order.class).read()) {
      read = in.sorted(Comparator.comparingLong(Order::orderId)).toList();
    }
    assertThat(read).isEqualTo(written);

    Table table = StoreChecks.orders(store);
    table
        .currentSnapshot()
        .addedDataFiles(table.io())
        .forEach(
            f ->
                assertThat(f.fileSizeInBytes())
                    .as(f.location())
                    .isEqualTo(table.io().newInputFile(f.location()).getLength()));
    assertThat(orphans(table)).isEmpty();
    for (String secret : secrets()) {
      assertThat(store.describe()).doesNotContain(secret);
    }
  }

  @Test
  void everyWriteModeLeavesWhatItPromisesCopyOnWriteAndMergeOnRead() {
    publish(mesh, "base", orders(0, 40));
    java.util.TreeMap<Long, Order> model = new java.util.TreeMap<>();
    orders(0, 40).forEach(o -> model.put(o.orderId(), o));

    // A slice restated: the south orders replaced by two new ones.
    List<Order> south =
        List.of(
            new Order(100, "south", new BigDecimal("1.00"), null),
            new Order(101, "south", new BigDecimal("10.00"), "restated"));
    write(
        dev.meshwork.core.WriteMode.overwrite(dev.meshwork.core.Filter.eq("region", "south")),
        south);
    model.values().removeIf(o -> o.region().equals("south"));
    south.forEach(o -> model.put(o.orderId(), o));
    // The partitions written replaced: north only.
    List<Order> north = orders(200, 4).stream().filter(o -> o.region().equals("north")).toList();
    write(dev.meshwork.core.WriteMode.replacePartitions(), north);
    model.values().removeIf(o -> o.region().equals("north"));
    north.forEach(o -> model.put(o.orderId(), o));
    assertThat(StoreChecks.orderIds(StoreChecks.orders(store)))
        .containsExactlyInAnyOrderElementsOf(model.keySet());

    StoreChecks.orders(store)
        .updateProperties()
        .set("write.merge.mode", "merge-on-read")
        .set("write.delete.mode", "merge-on-read")
        .commit();
    List<Order> upserts =
        List.of(
            new Order(100, "south", new BigDecimal("5.00"), "upserted"),
            new Order(300, "north", new BigDecimal("3.00"), null));
    write(dev.meshwork.core.WriteMode.upsert(), upserts);
    upserts.forEach(o -> model.put(o.orderId(), o));
    write(
        dev.meshwork.core.WriteMode.delete(dev.meshwork.core.Filter.eq("order_id", 101L)),
        List.of());
    model.remove(101L);

    List<Order> read;
    try (Run run = mesh.start(DataProduct.load(StoreChecks.DIR.resolve("reporting.yaml")), ME);
        Stream<Order> in = run.input("orders", Order.class).read()) {
      read = in.sorted(Comparator.comparingLong(Order::orderId)).toList();
    }
    assertThat(read).isEqualTo(List.copyOf(model.values()));
    assertThat(StoreChecks.orderIds(StoreChecks.orders(store)))
        .containsExactlyInAnyOrderElementsOf(model.keySet());
  }

  private void write(dev.meshwork.core.WriteMode mode, List<Order> rows) {
    try (Run run = mesh.start(StoreChecks.shop(), ME)) {
      run.output("orders", Order.class, mode).writeAll(rows);
      run.commit();
    }
  }

  @Test
  void aRerunOfAPublishedRunAppendsNothing() {
    publish(mesh, "once", orders(0, 1_000));
    RunResult again = publish(mesh, "once", orders(0, 1_000));

    assertThat(again.output("orders").alreadyPublished()).isTrue();
    Table table = StoreChecks.orders(store);
    assertThat(snapshotCount(table)).isEqualTo(1);
    assertThat(orderIds(table)).hasSize(1_000).doesNotHaveDuplicates();
    assertThat(orphans(table)).as("the rerun's staged files were deleted").isEmpty();
  }

  /**
   * A coordinator that retries its commit hands the store the very files it already published (a
   * lost answer, a restored checkpoint): the store must find the run's version and delete none of
   * those files, which are now live.
   */
  @Test
  void aRetriedCommitOfTheSameStagedFilesKeepsThemLive() {
    OutputTable table = things("retry");
    StagedWriter<Row> writer =
        table.newWriter(RecordShapes.forRows(THINGS, Direction.WRITE), "retried");
    for (long i = 0; i < 2_000; i++) {
      writer.write(Row.of(Map.of("id", i, "name", "n" + i)));
    }
    StagedFiles files = writer.finish();
    PublishRequest request =
        new PublishRequest("retried", files, Map.of(SummaryKeys.RUN_ID, "retried"));

    assertThat(table.publish(request).outcome()).isEqualTo(PublishResult.Outcome.PUBLISHED);
    PublishResult again = table.publish(request);

    assertThat(again.outcome()).isEqualTo(PublishResult.Outcome.ALREADY_PUBLISHED);
    Table iceberg = store.catalog().loadTable(TableIdentifier.of("sales", "retry", "things"));
    assertThat(snapshotCount(iceberg)).isEqualTo(1);
    for (String location : files.locations()) {
      assertThat(iceberg.io().newInputFile(location).exists()).as(location).isTrue();
    }
    assertThat(ids(iceberg)).hasSize(2_000).doesNotHaveDuplicates();
  }

  /**
   * A rerun is recognised from the run index, not from the run's snapshot: after that snapshot
   * expired, re-publishing the same parts appends nothing, and sweeping the run's part files
   * deletes none of them (later versions still hold them).
   */
  @Test
  void aRunIsFoundAfterItsSnapshotExpiredAndItsLiveFilesAreNeverSwept() throws Exception {
    OutputTable table = things("expiry");
    byte[] target = serialize(((PartedWrites) table).partTarget());
    String first = UUID.randomUUID().toString();
    StagedFiles files = stagePart(target, first, 0, 0, 500);
    PublishRequest request = new PublishRequest(first, files, Map.of(SummaryKeys.RUN_ID, first));
    assertThat(table.publish(request).outcome()).isEqualTo(PublishResult.Outcome.PUBLISHED);
    for (int i = 0; i < 2; i++) {
      String later = UUID.randomUUID().toString();
      table.publish(
          new PublishRequest(
              later, stagePart(target, later, 0, 0, 100), Map.of(SummaryKeys.RUN_ID, later)));
    }
    Table iceberg = store.catalog().loadTable(TableIdentifier.of("sales", "expiry", "things"));
    long firstSnapshot = iceberg.snapshots().iterator().next().snapshotId();
    iceberg.expireSnapshots().expireSnapshotId(firstSnapshot).commit();
    iceberg.refresh();
    assertThat(iceberg.snapshot(firstSnapshot)).isNull();

    PublishResult again = table.publish(request);
    ((PartedWrites) table).discardParts(first);

    assertThat(again.outcome()).isEqualTo(PublishResult.Outcome.ALREADY_PUBLISHED);
    assertThat(again.rows()).isEqualTo(500);
    iceberg.refresh();
    assertThat(snapshotCount(iceberg)).isEqualTo(2);
    for (String location : files.locations()) {
      assertThat(iceberg.io().newInputFile(location).exists()).as(location).isTrue();
    }
    assertThat(ids(iceberg)).hasSize(700);
  }

  /**
   * Parts staged by tasks elsewhere: each task gets a serialized copy of the table's part target
   * (no catalog), sends its staged files back serialized, a speculative second attempt of one part
   * is discarded, and the coordinator publishes the winners as one snapshot.
   */
  @Test
  void partsStagedByTasksPublishAsOneSnapshotAndLosingAttemptsLeaveNothing() throws Exception {
    OutputTable table = things("parts");
    byte[] target = serialize(((PartedWrites) table).partTarget());
    ExecutorService tasks = Executors.newFixedThreadPool(2);
    List<Future<StagedFiles>> attempts = new ArrayList<>();
    int parts = 3;
    for (int part = 0; part < parts; part++) {
      int p = part;
      attempts.add(tasks.submit(() -> stagePart(target, p, 0, 1_000)));
    }
    Future<StagedFiles> speculative = tasks.submit(() -> stagePart(target, 1, 1, 1_000));
    tasks.shutdown();
    List<StagedFiles> winners = new ArrayList<>();
    for (Future<StagedFiles> f : attempts) {
      winners.add(f.get(60, TimeUnit.SECONDS));
    }
    StagedFiles loser = speculative.get(60, TimeUnit.SECONDS);
    table.discard(loser);
    StagedFiles combined = ((PartedWrites) table).combine(winners);
    PublishRequest request =
        new PublishRequest("parts", combined, Map.of(SummaryKeys.RUN_ID, "parts"));

    assertThat(table.publish(request).outcome()).isEqualTo(PublishResult.Outcome.PUBLISHED);
    assertThat(table.publish(request).outcome()).isEqualTo(PublishResult.Outcome.ALREADY_PUBLISHED);
    Table iceberg = store.catalog().loadTable(TableIdentifier.of("sales", "parts", "things"));
    assertThat(snapshotCount(iceberg)).isEqualTo(1);
    assertThat(ids(iceberg)).hasSize(parts * 1_000).doesNotHaveDuplicates();
    assertThat(orphans(iceberg)).as("the losing attempt's files are gone").isEmpty();
    assertThat(combined.locations()).allMatch(l -> l.contains("parts-part"));
  }

  /**
   * Attempts of one run id publish at the same moment (an orchestrator retries a task whose first
   * attempt is still alive), each having opened the port itself, the first round onto a table that
   * does not exist yet: exactly one attempt lands each round, every attempt reports that version,
   * every row is there once and the losers' files are deleted.
   */
  @Test
  void concurrentAttemptsOfOneRunPublishItExactlyOnce() throws Exception {
    int attempts = 3;
    int rounds = 4;
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    try {
      for (int round = 0; round < rounds; round++) {
        String runId = UUID.randomUUID().toString();
        java.util.concurrent.CyclicBarrier together =
            new java.util.concurrent.CyclicBarrier(attempts);
        int r = round;
        List<Future<PublishResult>> results = new ArrayList<>();
        for (int a = 0; a < attempts; a++) {
          results.add(
              pool.submit(
                  () -> {
                    OutputTable table = things("race");
                    StagedFiles files = stage(table, runId, r * 1_000_000L, 500);
                    together.await(60, TimeUnit.SECONDS);
                    return table.publish(
                        new PublishRequest(runId, files, Map.of(SummaryKeys.RUN_ID, runId)));
                  }));
        }
        List<PublishResult> outcomes = new ArrayList<>();
        for (Future<PublishResult> f : results) {
          outcomes.add(f.get(3, TimeUnit.MINUTES));
        }

        assertThat(outcomes)
            .as("round %d", round)
            .extracting(PublishResult::outcome)
            .containsOnlyOnce(PublishResult.Outcome.PUBLISHED);
        assertThat(outcomes.stream().map(PublishResult::version).distinct())
            .as("every attempt reports the winner's version")
            .hasSize(1);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.rows()).isEqualTo(500));
        Table iceberg = store.catalog().loadTable(TableIdentifier.of("sales", "race", "things"));
        iceberg.refresh();
        assertThat(iceberg.currentSnapshot().snapshotId()).isEqualTo(outcomes.get(0).version());
        assertThat(snapshotCount(iceberg)).isEqualTo(round + 1);
        assertThat(ids(iceberg)).hasSize((round + 1) * 500).doesNotHaveDuplicates();
        assertThat(orphans(iceberg)).as("the losers' files are gone").isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Two coordinators (a retried driver while the first still runs) commit the very same parts at
   * the same moment: one version lands, the other reports it, and none of the shared files is
   * deleted.
   */
  @Test
  void twoCoordinatorsCommittingTheSamePartsPublishThemOnceAndKeepTheirFiles() throws Exception {
    String runId = UUID.randomUUID().toString();
    byte[] target = serialize(((PartedWrites) things("shared")).partTarget());
    List<StagedFiles> parts =
        List.of(stagePart(target, runId, 0, 0, 700), stagePart(target, runId, 1, 0, 700));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
      List<Future<PublishResult>> results = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        results.add(
            pool.submit(
                () -> {
                  OutputTable table = things("shared");
                  StagedFiles combined = ((PartedWrites) table).combine(parts);
                  together.await(60, TimeUnit.SECONDS);
                  return table.publish(
                      new PublishRequest(runId, combined, Map.of(SummaryKeys.RUN_ID, runId)));
                }));
      }
      List<PublishResult> outcomes = new ArrayList<>();
      for (Future<PublishResult> f : results) {
        outcomes.add(f.get(3, TimeUnit.MINUTES));
      }
      assertThat(outcomes)
          .extracting(PublishResult::outcome)
          .containsExactlyInAnyOrder(
              PublishResult.Outcome.PUBLISHED, PublishResult.Outcome.ALREADY_PUBLISHED);
      assertThat(outcomes.get(0).version()).isEqualTo(outcomes.get(1).version());
    } finally {
      pool.shutdownNow();
    }
    Table iceberg = store.catalog().loadTable(TableIdentifier.of("sales", "shared", "things"));
    assertThat(snapshotCount(iceberg)).isEqualTo(1);
    for (StagedFiles part : parts) {
      for (String location : part.locations()) {
        assertThat(iceberg.io().newInputFile(location).exists()).as(location).isTrue();
      }
    }
    assertThat(ids(iceberg)).hasSize(1_400).doesNotHaveDuplicates();
  }

  /**
   * A version that carries the rows of several runs (the quality history keeps runs together) is
   * published only if none of them was: one already published makes it ALREADY_PUBLISHED, and its
   * files are deleted; every run it carries is recorded.
   */
  @Test
  void aVersionCarryingARunThatIsAlreadyPublishedIsNotPublished() {
    OutputTable table = things("carried");
    String q = UUID.randomUUID().toString();
    String r = UUID.randomUUID().toString();
    String s = UUID.randomUUID().toString();
    assertThat(table.publish(new PublishRequest(r, stage(table, r, 0, 10), Map.of())).outcome())
        .isEqualTo(PublishResult.Outcome.PUBLISHED);

    StagedFiles clash = stage(table, s, 100, 10);
    PublishResult refused =
        table.publish(
            new PublishRequest(
                s, clash, Map.of(), PublishRequest.OnFailure.DELETE_FILES, List.of(q, r)));
    PublishResult together =
        table.publish(
            new PublishRequest(
                s,
                stage(table, s, 200, 10),
                Map.of(),
                PublishRequest.OnFailure.DELETE_FILES,
                List.of(q)));

    assertThat(refused.outcome()).isEqualTo(PublishResult.Outcome.ALREADY_PUBLISHED);
    assertThat(together.outcome()).isEqualTo(PublishResult.Outcome.PUBLISHED);
    Table iceberg = store.catalog().loadTable(TableIdentifier.of("sales", "carried", "things"));
    assertThat(ids(iceberg)).hasSize(20);
    assertThat(orphans(iceberg)).as("the refused version's files are deleted").isEmpty();
    assertThat(iceberg.properties())
        .containsKeys(
            SummaryKeys.PUBLISHED_RUN_PREFIX + q,
            SummaryKeys.PUBLISHED_RUN_PREFIX + r,
            SummaryKeys.PUBLISHED_RUN_PREFIX + s);
  }

  /**
   * A port opened while another run's first publish creates its table (the table is missing when
   * the port looks, and there when it stages its create) opens the table as it is.
   */
  @Test
  void aPortOpenedWhileAnotherRunCreatesItsTableOpensTheTableAsItIs() {
    String first = UUID.randomUUID().toString();
    OutputTable creator = things("late");
    creator.publish(new PublishRequest(first, stage(creator, first, 0, 5), Map.of()));
    org.apache.iceberg.catalog.Catalog real = store.catalog();
    java.util.concurrent.atomic.AtomicBoolean lied =
        new java.util.concurrent.atomic.AtomicBoolean();
    org.apache.iceberg.catalog.Catalog racing =
        new org.apache.iceberg.catalog.Catalog() {
          @Override
          public boolean tableExists(TableIdentifier id) {
            // The first look happens just before the other run's create lands.
            return lied.getAndSet(true) && real.tableExists(id);
          }

          @Override
          public java.util.List<TableIdentifier> listTables(
              org.apache.iceberg.catalog.Namespace ns) {
            return real.listTables(ns);
          }

          @Override
          public boolean dropTable(TableIdentifier id, boolean purge) {
            return real.dropTable(id, purge);
          }

          @Override
          public void renameTable(TableIdentifier from, TableIdentifier to) {
            real.renameTable(from, to);
          }

          @Override
          public Table loadTable(TableIdentifier id) {
            return real.loadTable(id);
          }

          @Override
          public TableBuilder buildTable(TableIdentifier id, org.apache.iceberg.Schema schema) {
            return real.buildTable(id, schema);
          }

          @Override
          public String name() {
            return real.name();
          }
        };
    OutputTable late =
        IcebergStore.of(racing)
            .openOutput(
                new OutputSpec(
                    new TableAddress("sales", "late", "things"),
                    "things",
                    new Schema(THINGS, List.of(), List.of()),
                    Map.of()));
    String second = UUID.randomUUID().toString();

    assertThat(late.info().state()).isEqualTo(dev.meshwork.spi.TableInfo.TableState.EXISTING);
    assertThat(
            late.publish(new PublishRequest(second, stage(late, second, 5, 5), Map.of())).outcome())
        .isEqualTo(PublishResult.Outcome.PUBLISHED);
    assertThat(ids(store.catalog().loadTable(TableIdentifier.of("sales", "late", "things"))))
        .hasSize(10);
  }

  private static StagedFiles stage(OutputTable table, String runId, long from, int n) {
    StagedWriter<Row> writer =
        table.newWriter(RecordShapes.forRows(THINGS, Direction.WRITE), runId);
    for (long i = from; i < from + n; i++) {
      writer.write(Row.of(Map.of("id", i, "name", "n" + i)));
    }
    return writer.finish();
  }

  private static final StructType THINGS =
      new StructType(
          List.of(
              Field.required("id", PrimitiveType.LONG),
              Field.optional("name", PrimitiveType.STRING)));

  /** The SPI output table {@code sales.<product>.things} (id, name), opened as a run would. */
  private OutputTable things(String product) {
    return store.openOutput(
        new OutputSpec(
            new TableAddress("sales", product, "things"),
            "things",
            new Schema(THINGS, List.of(), List.of()),
            Map.of()));
  }

  /** What a task does: rebuild the target from bytes, stage rows, send the files back as bytes. */
  private static StagedFiles stagePart(byte[] target, int part, int attempt, int rows)
      throws Exception {
    return stagePart(target, "parts", part, attempt, rows);
  }

  private static StagedFiles stagePart(byte[] target, String runId, int part, int attempt, int rows)
      throws Exception {
    PartTarget t = (PartTarget) deserialize(target);
    StagedWriter<Row> writer =
        t.newWriter(RecordShapes.forRows(THINGS, Direction.WRITE), runId, part, attempt);
    for (long i = 0; i < rows; i++) {
      long id = part * 1_000_000L + i;
      writer.write(Row.of(Map.of("id", id, "name", "n" + id)));
    }
    return (StagedFiles) deserialize(serialize(writer.finish()));
  }

  private static byte[] serialize(Object o) throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static Object deserialize(byte[] bytes) throws Exception {
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }

  private static List<Long> ids(Table iceberg) {
    List<Long> ids = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(iceberg).build()) {
      rows.forEach(r -> ids.add((Long) r.getField("id")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return ids;
  }

  @Test
  void aFailedRunPublishesNothingAndLeavesNoDataFiles() {
    publish(mesh, "seed", orders(0, 100));
    assertThatThrownBy(
            () -> {
              try (Run run = mesh.start(StoreChecks.shop(), ME)) {
                run.output("orders", Order.class).writeAll(orders(100, 2_000));
                throw new IllegalStateException("pipeline failed after writing");
              }
            })
        .hasMessage("pipeline failed after writing");

    Table table = StoreChecks.orders(store);
    assertThat(snapshotCount(table)).isEqualTo(1);
    assertThat(orderIds(table)).hasSize(100);
    assertThat(orphans(table)).isEmpty();
  }

  @Test
  void concurrentWritersEachCommitExactlyOnce() throws Exception {
    publish(mesh, "seed", orders(0, 10));
    int writers = 3;
    int commits = 2;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  for (int c = 0; c < commits; c++) {
                    long from = 1_000L * (1 + writer * commits + c);
                    publish(mesh, "writer-" + writer + "-" + c, orders(from, 100));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(3, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    Table table = StoreChecks.orders(store);
    assertThat(snapshotCount(table)).isEqualTo(1 + writers * commits);
    List<Long> ids = orderIds(table);
    assertThat(ids).hasSize(10 + writers * commits * 100);
    assertThat(new HashSet<>(ids)).as("no duplicate keys").hasSameSizeAs(ids);
    assertThat(orphans(table)).isEmpty();
  }

  private static final Principal ME = Principal.service("contract-test");
}
