package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Change;
import dev.meshwork.core.InputRead;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.StoreException;
import dev.meshwork.core.model.DataProduct;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental inputs, reruns and time travel on a real embedded Iceberg warehouse: the {@code shop}
 * product publishes orders, the {@code reporting} product consumes them.
 */
class IncrementalReadTest {
  private static final Path DIR = Path.of("src/test/resources/lifecycle");
  private static final Principal ME = Principal.service("incremental-test");

  record Order(long orderId, String region, BigDecimal amount, String note) {}

  record RegionTotal(String region, long orders, BigDecimal total) {}

  @TempDir Path warehouse;

  private Mesh mesh() {
    return Mesh.builder().store(IcebergStore.embedded(warehouse)).build();
  }

  private static DataProduct shop() {
    return DataProduct.load(DIR.resolve("shop.yaml"));
  }

  private static DataProduct reporting() {
    return DataProduct.load(DIR.resolve("reporting.yaml"));
  }

  private static RunResult publishOrders(Mesh mesh, int from, int n) {
    try (Run run = mesh.start(shop(), ME)) {
      run.output("orders", Order.class)
          .writeAll(
              IntStream.range(from, from + n)
                  .mapToObj(i -> new Order(i, "r" + i % 3, BigDecimal.valueOf(i, 2), null))
                  .toList());
      return run.commit();
    }
  }

  /** A reporting run that reads orders as {@code read} says; returns the ids it read. */
  private static Consumed consume(Mesh mesh, RunOptions.Builder options) {
    try (Run run = mesh.start(reporting(), ME, options.build())) {
      List<Long> ids;
      try (Stream<Order> rows = run.input("orders", Order.class).read()) {
        ids = rows.map(Order::orderId).sorted().toList();
      }
      run.output("region-totals", RegionTotal.class)
          .write(new RegionTotal("all", ids.size(), BigDecimal.ONE.setScale(2)));
      return new Consumed(ids, run.commit());
    }
  }

  record Consumed(List<Long> ids, RunResult result) {
    RunResult.Input input() {
      return result.inputs().get(0);
    }
  }

  private static RunOptions.Builder incremental() {
    return RunOptions.builder().read("orders", InputRead.incremental());
  }

  private static List<Long> range(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> (long) i).toList();
  }

  private Table orders(Mesh mesh) {
    return ((IcebergStore) mesh.store())
        .catalog()
        .loadTable(TableIdentifier.parse("sales.shop.orders"));
  }

  @Test
  void eachRunReadsOnlyWhatWasAppendedSinceTheLastPublishedRunSkippingCompactions() {
    try (Mesh mesh = mesh()) {
      RunResult day1 = publishOrders(mesh, 0, 5);
      Consumed first = consume(mesh, incremental());
      assertThat(first.ids()).isEqualTo(range(0, 5));
      assertThat(first.input().appendedAfter()).isNull();
      assertThat(first.input().rows()).isEqualTo(5);
      assertThat(first.input().read()).contains("first read: everything");

      publishOrders(mesh, 5, 4);
      publishOrders(mesh, 9, 3);
      assertThat(Maintenance.of((IcebergStore) mesh.store()).compact(shop()))
          .anySatisfy(c -> assertThat(c.rewrittenFiles()).isGreaterThan(1));
      Consumed second = consume(mesh, incremental());
      assertThat(second.ids()).as("the compaction's rewrite adds no rows").isEqualTo(range(5, 12));
      assertThat(second.input().appendedAfter()).isEqualTo(day1.output("orders").version());
      assertThat(second.input().rows()).isEqualTo(7);

      Consumed nothingNew = consume(mesh, incremental());
      assertThat(nothingNew.ids()).isEmpty();
      assertThat(nothingNew.input().rows()).isZero();

      // The consumer's own table compacted: its latest published run is still found under it.
      Maintenance.of((IcebergStore) mesh.store()).compact(reporting());
      publishOrders(mesh, 12, 2);
      assertThat(consume(mesh, incremental()).ids()).isEqualTo(range(12, 14));
      assertThat(consume(mesh, RunOptions.builder()).ids())
          .as("latest (the default) reads the whole table")
          .isEqualTo(range(0, 14));
    }
  }

  /**
   * Splits handed to tasks (Spark's consumer) cover the same pinned range as the port: together
   * they read exactly what was appended since the last published run, each row once.
   */
  @Test
  void splitsOfAnIncrementalInputReadTheSameRangeAsThePort() {
    try (Mesh mesh = mesh()) {
      publishOrders(mesh, 0, 6);
      consume(mesh, incremental());
      publishOrders(mesh, 6, 5);
      publishOrders(mesh, 11, 4);
      try (Run run = mesh.start(reporting(), ME, incremental().build())) {
        List<dev.meshwork.core.InputSplit<Order>> splits = run.splits("orders", Order.class, 3);
        List<Long> fromSplits = new java.util.ArrayList<>();
        for (dev.meshwork.core.InputSplit<Order> split : splits) {
          try (Stream<Order> rows = split.read()) {
            rows.forEach(o -> fromSplits.add(o.orderId()));
          }
        }
        List<Long> fromPort;
        try (Stream<Order> rows = run.input("orders", Order.class).read()) {
          fromPort = rows.map(Order::orderId).sorted().toList();
        }
        assertThat(splits).hasSizeGreaterThan(1);
        assertThat(fromSplits.stream().sorted().toList())
            .isEqualTo(fromPort)
            .isEqualTo(range(6, 15));
      }
    }
  }

  @Test
  void aRerunOfARunThatPublishedReadsExactlyWhatItsFirstAttemptRead() {
    try (Mesh mesh = mesh()) {
      publishOrders(mesh, 0, 5);
      consume(mesh, incremental());
      publishOrders(mesh, 5, 5);
      String runId = UUID.randomUUID().toString();
      Consumed attempt = consume(mesh, incremental().runId(runId));
      publishOrders(mesh, 10, 5);

      Consumed rerun = consume(mesh, incremental().runId(runId));
      assertThat(rerun.ids()).isEqualTo(attempt.ids()).isEqualTo(range(5, 10));
      assertThat(rerun.input().version()).isEqualTo(attempt.input().version());
      assertThat(rerun.input().read()).contains("first attempt");
      assertThat(rerun.result().output("region-totals").alreadyPublished()).isTrue();
      // Even a rerun asking for the latest version reads what the first attempt read.
      assertThat(consume(mesh, RunOptions.builder().runId(runId)).ids()).isEqualTo(range(5, 10));
      assertThat(consume(mesh, incremental()).ids()).isEqualTo(range(10, 15));
    }
  }

  @Test
  void anOverwriteUpstreamStopsAnIncrementalReadNamingItAndTheWaysOn() {
    try (Mesh mesh = mesh()) {
      publishOrders(mesh, 0, 5);
      consume(mesh, incremental());
      publishOrders(mesh, 5, 5);
      Table t = orders(mesh);
      t.newDelete().deleteFromRowFilter(Expressions.equal("region", "r0")).commit();
      long delete = orders(mesh).currentSnapshot().snapshotId();
      publishOrders(mesh, 10, 2);

      assertThatThrownBy(() -> consume(mesh, incremental()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("sales.shop.orders")
          .hasMessageContaining("version " + delete)
          .hasMessageContaining("is not an append, it deleted rows")
          .hasMessageContaining("InputRead.latest()")
          .hasMessageContaining("InputRead.appendedAfter(" + delete + ")");
      assertThat(
              consume(mesh, RunOptions.builder().read("orders", InputRead.appendedAfter(delete)))
                  .ids())
          .isEqualTo(range(10, 12));
      assertThat(consume(mesh, incremental()).ids()).as("and on from there").isEmpty();
    }
  }

  /** A change set read by a reporting run, as {@code +id@amount} and {@code -id@amount}. */
  private static Changed changes(Mesh mesh, RunOptions.Builder options) {
    try (Run run = mesh.start(reporting(), ME, options.build())) {
      List<String> changes;
      try (Stream<Change<Order>> rows = run.input("orders", Order.class).changes()) {
        changes =
            rows.map(c -> (c.added() ? "+" : "-") + c.row().orderId() + "@" + c.row().amount())
                .toList();
      }
      run.output("region-totals", RegionTotal.class)
          .write(new RegionTotal("all", changes.size(), BigDecimal.ONE.setScale(2)));
      return new Changed(changes, run.commit());
    }
  }

  record Changed(List<String> changes, RunResult result) {}

  private static RunOptions.Builder changeSet() {
    return RunOptions.builder().read("orders", InputRead.changes());
  }

  @Test
  void aChangeSetShowsWhatAppendsOverwritesAndDeletesUpstreamAddedAndRemoved() {
    try (Mesh mesh = mesh()) {
      publishOrders(mesh, 0, 6); // one file per region: r0 {0, 3}, r1 {1, 4}, r2 {2, 5}
      Changed first = changes(mesh, changeSet());
      assertThat(first.changes())
          .containsExactlyInAnyOrder(
              "+0@0.00", "+1@0.01", "+2@0.02", "+3@0.03", "+4@0.04", "+5@0.05");

      publishOrders(mesh, 6, 2);
      // A correction and an erasure, copy-on-write: order 4 and order 0 are carried over unchanged.
      long fix =
          UpstreamEdits.rewrite(
              orders(mesh),
              r -> {
                if ((Long) r.getField("order_id") == 1) {
                  r.setField("amount", new BigDecimal("9.99"));
                }
                return r;
              });
      long erase =
          UpstreamEdits.rewrite(orders(mesh), r -> (Long) r.getField("order_id") == 3 ? null : r);
      assertThat(orders(mesh).snapshot(fix).operation()).isEqualTo("overwrite");

      // Incremental (appends only) refuses the range and names the change-set way on.
      assertThatThrownBy(() -> consume(mesh, incremental()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("version " + fix)
          .hasMessageContaining("it overwrote rows")
          .hasMessageContaining("InputRead.changes()");
      // A plain read of the change set's range would miss the removals: refused.
      try (Run run = mesh.start(reporting(), ME, changeSet().build())) {
        assertThatThrownBy(() -> run.input("orders", Order.class).read())
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("input 'orders' of sales.shop.orders")
            .hasMessageContaining("overwrote or deleted rows upstream")
            .hasMessageContaining("Read it with changes()");
      }

      String runId = UUID.randomUUID().toString();
      Changed second = changes(mesh, changeSet().runId(runId));
      assertThat(second.changes())
          .as("appends in version order, then each correction; carried-over rows are no change")
          .containsExactly("+6@0.06", "+7@0.07", "+1@9.99", "-1@0.01", "-3@0.03");
      RunResult.Input in = second.result().inputs().get(0);
      assertThat(in.appendedAfter()).isEqualTo(first.result().inputs().get(0).version());
      assertThat(in.version()).isEqualTo(erase);
      assertThat(in.read()).isEqualTo("changes");
      assertThat(in.files()).as("2 appended, 2 rewritten and their 2 replacements").isEqualTo(6);
      assertThat(in.bytes()).isPositive();

      // A rerun reads the same change set, however the source moved on.
      publishOrders(mesh, 8, 1);
      Changed rerun = changes(mesh, changeSet().runId(runId));
      assertThat(rerun.changes()).isEqualTo(second.changes());
      assertThat(rerun.result().output("region-totals").alreadyPublished()).isTrue();
      assertThat(changes(mesh, changeSet()).changes()).containsExactly("+8@0.08");
    }
  }

  @Test
  void timeTravelReadsASnapshotATimeARefOrWhatAnUpstreamRunPublished() {
    try (Mesh mesh = mesh()) {
      RunResult first = publishOrders(mesh, 0, 3);
      long v1 = first.output("orders").version();
      Instant between = Instant.ofEpochMilli(orders(mesh).snapshot(v1).timestampMillis());
      publishOrders(mesh, 3, 4);
      orders(mesh).manageSnapshots().createTag("audited", v1).commit();

      assertThat(read(mesh, InputRead.snapshot(v1))).isEqualTo(range(0, 3));
      assertThat(read(mesh, InputRead.asOf(between))).isEqualTo(range(0, 3));
      assertThat(read(mesh, InputRead.ref("audited"))).isEqualTo(range(0, 3));
      assertThat(read(mesh, InputRead.publishedBy(first.runId()))).isEqualTo(range(0, 3));
      assertThat(read(mesh, InputRead.ref("main"))).isEqualTo(range(0, 7));

      assertThatThrownBy(() -> read(mesh, InputRead.snapshot(42)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("Cannot read sales.shop.orders: snapshot 42 does not exist")
          .hasMessageContaining("It has 2 versions; the newest: ")
          .hasMessageContaining(v1 + " (append at ")
          .hasMessageContaining("by run " + first.runId());
      assertThatThrownBy(() -> read(mesh, InputRead.asOf(between.minusSeconds(60))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("nothing was published by " + between.minusSeconds(60));
      assertThatThrownBy(() -> read(mesh, InputRead.ref("nightly")))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("no such branch or tag. It has [audited, main]");
      String unknown = UUID.randomUUID().toString();
      assertThatThrownBy(() -> read(mesh, InputRead.publishedBy(unknown)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("no version was published by run " + unknown);
    }
  }

  private static List<Long> read(Mesh mesh, InputRead read) {
    return consume(mesh, RunOptions.builder().read("orders", read)).ids();
  }

  @Test
  void aReadModeInTheDescriptorIsCheckedWhereItIsWritten() {
    assertThatThrownBy(() -> DataProduct.load(DIR.resolve("incremental/bad-read.yaml")))
        .hasMessageContaining("bad-read.yaml:14:")
        .hasMessageContaining(
            "read must be 'latest', 'incremental' or 'changes', but was 'sometimes'");
    try (Mesh mesh = mesh()) {
      publishOrders(mesh, 0, 2);
      DataProduct product = DataProduct.load(DIR.resolve("incremental/reporting.yaml"));
      for (int round = 0; round < 2; round++) {
        try (Run run = mesh.start(product, ME)) {
          long n;
          try (Stream<Order> rows = run.input("orders", Order.class).read()) {
            n = rows.count();
          }
          assertThat(n).isEqualTo(round == 0 ? 2 : 1);
          run.output("region-totals", RegionTotal.class)
              .write(new RegionTotal("all", n, BigDecimal.ONE.setScale(2)));
          run.commit();
        }
        publishOrders(mesh, 2, 1);
      }
    }
  }
}
