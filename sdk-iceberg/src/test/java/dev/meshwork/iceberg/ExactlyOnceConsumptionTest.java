package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Change;
import dev.meshwork.core.CommitStateUnknownException;
import dev.meshwork.core.InputRead;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.StoreException;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.InputSpec;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.OutputSpec;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.PartTarget;
import dev.meshwork.spi.PartedWrites;
import dev.meshwork.spi.PublishRequest;
import dev.meshwork.spi.PublishResult;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.StagedWriter;
import dev.meshwork.spi.TableAddress;
import dev.meshwork.spi.TableInfo;
import dev.meshwork.spi.TableStore;
import dev.meshwork.spi.write.StructShape;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Exactly-once incremental consumption under random histories on a real embedded warehouse: shop
 * runs append orders (several at once, some failing), another engine corrects and erases orders
 * copy-on-write, maintenance compacts both products and expires snapshots, and the copier product
 * copies what it reads (appends, or the signed change set) to one output and totals it in another,
 * failing before it writes, after it writes and in the middle of its commit (one output landed, the
 * other not, or a publish that landed but whose answer was lost), and rerunning. Whatever happened,
 * the copy, each row counted with its sign, holds every current upstream order exactly once and the
 * totals add up to the same.
 */
class ExactlyOnceConsumptionTest {
  private static final Path DIR = Path.of("src/test/resources/lifecycle");
  private static final Principal ME = Principal.service("exactly-once-test");
  private static final List<String> OUTPUTS = List.of("order-copy", "region-totals");

  record Order(long orderId, String region, BigDecimal amount, String note) {}

  record RegionTotal(String region, long orders, BigDecimal total) {}

  enum Kind {
    APPEND,
    TWO_WRITERS,
    UPSTREAM_FAILS,
    COMPACT_UPSTREAM,
    COMPACT_CONSUMER,
    CONSUME,
    CONSUME_FAILS_BEFORE_WRITE,
    CONSUME_FAILS_AFTER_WRITE,
    CONSUME_FAILS_IN_COMMIT,
    RERUN,
    RESTATE,
    ERASE,
    EXPIRE
  }

  /**
   * How the copier reads: appends only (overwrites upstream are refused, so histories in this mode
   * have none), or the change set, which it copies with a sign in the {@code note} column.
   */
  enum Mode {
    INCREMENTAL,
    CHANGES
  }

  /**
   * One step: {@code n} sizes appends and picks the output whose publish fails; {@code landed} says
   * whether that publish reached the table before it failed, and orders two writers' commits.
   */
  record Step(Kind kind, int n, boolean landed) {}

  @Provide
  Arbitrary<List<Step>> histories() {
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, 3),
            Arbitraries.of(true, false))
        .as(Step::new)
        .list()
        .ofMinSize(3)
        .ofMaxSize(14);
  }

  @Property(tries = 24, seed = "20261207")
  void everyCommittedUpstreamOrderIsConsumedExactlyOnce(
      @ForAll Mode mode, @ForAll("histories") List<Step> history) throws IOException {
    Path warehouse = Files.createTempDirectory("exactly-once");
    IcebergStore iceberg = IcebergStore.embedded(warehouse);
    FaultyStore store = new FaultyStore(iceberg);
    History h = new History(mode);
    try (Mesh mesh = Mesh.builder().store(store).build()) {
      h.apply(mesh, store, iceberg, new Step(Kind.APPEND, 0, false));
      for (Step step : history) {
        h.apply(mesh, store, iceberg, step);
      }
      if (h.partial != null) {
        h.consume(mesh, h.partial);
      }
      h.consume(mesh, UUID.randomUUID().toString());

      // Every copied row counted with its sign: what is left is each current upstream order once.
      Map<String, Integer> net = new TreeMap<>();
      for (Record r : read(iceberg, "sales.copier.order_copy")) {
        String key = r.getField("order_id") + "@" + r.getField("amount");
        net.merge(key, "-".equals(r.getField("note")) ? -1 : 1, Integer::sum);
      }
      net.values().removeIf(n -> n == 0);
      Map<String, Integer> expected = new TreeMap<>();
      h.current.forEach((id, amount) -> expected.put(id + "@" + amount, 1));
      assertThat(net).as("%s after %s", mode, history).isEqualTo(expected);
      List<Record> totals = read(iceberg, "sales.copier.region_totals");
      assertThat(totals.stream().mapToLong(r -> (Long) r.getField("orders")).sum())
          .isEqualTo(h.current.size());
      assertThat(
              totals.stream()
                  .map(r -> (BigDecimal) r.getField("total"))
                  .reduce(BigDecimal.ZERO, BigDecimal::add))
          .isEqualByComparingTo(
              h.current.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
    } finally {
      try (Stream<Path> files = Files.walk(warehouse)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The model: the orders upstream (id → amount) and which consumer run is unfinished. */
  private static final class History {
    final Mode mode;
    final Map<Long, BigDecimal> current = new TreeMap<>();
    final List<String> runIds = new ArrayList<>();
    long nextOrder;

    /**
     * Runs that published before the last expiry, other than the latest: their ranges may be gone.
     */
    final java.util.Set<String> maybeExpired = new java.util.HashSet<>();

    History(Mode mode) {
      this.mode = mode;
    }

    /** A consumer run that published some but not all of its outputs: only its rerun may go on. */
    String partial;

    void apply(Mesh mesh, FaultyStore store, IcebergStore iceberg, Step step) {
      switch (step.kind()) {
        case APPEND -> {
          try (Run run = mesh.start(shop(), ME)) {
            writeOrders(run, step.n() + 1);
            run.commit();
          }
        }
        case TWO_WRITERS -> {
          try (Run a = mesh.start(shop(), ME);
              Run b = mesh.start(shop(), ME)) {
            writeOrders(a, step.n() + 1);
            writeOrders(b, 2);
            (step.landed() ? a : b).commit();
            (step.landed() ? b : a).commit();
          }
        }
        case UPSTREAM_FAILS -> {
          try (Run run = mesh.start(shop(), ME)) {
            writeOrders(run, step.n() + 1).forEach(current::remove);
          }
        }
        case RESTATE -> {
          if (mode == Mode.CHANGES) {
            int every = step.n() + 2;
            UpstreamEdits.rewrite(
                orders(iceberg),
                r -> {
                  long id = (Long) r.getField("order_id");
                  if (id % every == 0) {
                    r.setField("amount", ((BigDecimal) r.getField("amount")).add(BigDecimal.ONE));
                  }
                  return r;
                });
            current.replaceAll((id, a) -> id % every == 0 ? a.add(BigDecimal.ONE) : a);
          }
        }
        case ERASE -> {
          if (mode == Mode.CHANGES) {
            int every = step.n() + 3;
            UpstreamEdits.rewrite(
                orders(iceberg), r -> (Long) r.getField("order_id") % every == 1 ? null : r);
            current.keySet().removeIf(id -> id % every == 1);
          }
        }
        case EXPIRE -> {
          Maintenance.of(iceberg).expireSnapshots(shop(), java.time.Duration.ZERO);
          maybeExpired.addAll(runIds);
          if (!runIds.isEmpty()) {
            maybeExpired.remove(runIds.get(runIds.size() - 1));
          }
          maybeExpired.remove(partial);
        }
        case COMPACT_UPSTREAM -> Maintenance.of(iceberg).compact(shop());
        case COMPACT_CONSUMER -> Maintenance.of(iceberg).compact(copier());
        case CONSUME -> freshRun(mesh, () -> consume(mesh, UUID.randomUUID().toString()));
        case CONSUME_FAILS_BEFORE_WRITE, CONSUME_FAILS_AFTER_WRITE ->
            freshRun(
                mesh,
                () -> {
                  String runId = UUID.randomUUID().toString();
                  runIds.add(runId);
                  try (Run run = start(mesh, runId)) {
                    List<Order> read = readOrders(run);
                    if (step.kind() == Kind.CONSUME_FAILS_AFTER_WRITE) {
                      writeOutputs(run, read);
                    }
                    // closed without commit: nothing published
                  }
                });
        case CONSUME_FAILS_IN_COMMIT ->
            freshRun(
                mesh,
                () -> {
                  String runId = UUID.randomUUID().toString();
                  runIds.add(runId);
                  int failing = step.n() % OUTPUTS.size();
                  store.failNext(OUTPUTS.get(failing), step.landed());
                  assertThatThrownBy(() -> consume(mesh, runId))
                      .hasMessageContaining("injected publish failure");
                  store.failNext(null, false);
                  int landed = failing + (step.landed() ? 1 : 0);
                  if (landed > 0 && landed < OUTPUTS.size()) {
                    partial = runId;
                  }
                });
        case RERUN -> {
          if (partial != null) {
            consume(mesh, partial);
            partial = null;
          } else if (!runIds.isEmpty()) {
            String runId = runIds.get(step.n() % runIds.size());
            try {
              consume(mesh, runId);
            } catch (StoreException e) {
              // An older run's range may have expired: the rerun says so and changes nothing.
              assertThat(maybeExpired).contains(runId);
              assertThat(e).hasMessageContaining("Cannot rerun run " + runId);
            }
          }
        }
      }
    }

    /** A run with a new id: refused, naming the unfinished run, while one is unfinished. */
    private void freshRun(Mesh mesh, Runnable run) {
      if (partial == null) {
        run.run();
        return;
      }
      assertThatThrownBy(() -> consume(mesh, UUID.randomUUID().toString()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("run " + partial + " of product 'copier' published only some")
          .hasMessageContaining("rerun it with RunOptions.builder().runId(\"" + partial + "\")");
    }

    /** A consumer run that reads, writes both outputs and commits. */
    void consume(Mesh mesh, String runId) {
      if (!runIds.contains(runId)) {
        runIds.add(runId);
      }
      try (Run run = start(mesh, runId)) {
        writeOutputs(run, readOrders(run));
        run.commit();
      }
    }

    private Run start(Mesh mesh, String runId) {
      RunOptions.Builder options = RunOptions.builder().runId(runId);
      if (mode == Mode.CHANGES) {
        options.read("orders", InputRead.changes());
      }
      return mesh.start(copier(), ME, options.build());
    }

    /** What the run reads: the appended orders, or the change set signed in {@code note}. */
    private List<Order> readOrders(Run run) {
      if (mode == Mode.INCREMENTAL) {
        try (Stream<Order> rows = run.input("orders", Order.class).read()) {
          return rows.toList();
        }
      }
      try (Stream<Change<Order>> changes = run.input("orders", Order.class).changes()) {
        return changes
            .map(
                c ->
                    new Order(
                        c.row().orderId(),
                        c.row().region(),
                        c.row().amount(),
                        c.added() ? "+" : "-"))
            .toList();
      }
    }

    /** Writes {@code n} new orders; they count as committed until the caller says otherwise. */
    List<Long> writeOrders(Run run, int n) {
      List<Order> orders = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long id = nextOrder++;
        orders.add(new Order(id, "r" + id % 3, amount(id), null));
        current.put(id, amount(id));
      }
      run.output("orders", Order.class).writeAll(orders);
      return orders.stream().map(Order::orderId).toList();
    }
  }

  private static org.apache.iceberg.Table orders(IcebergStore store) {
    return store.catalog().loadTable(TableIdentifier.parse("sales.shop.orders"));
  }

  private static void writeOutputs(Run run, List<Order> read) {
    run.output("order-copy", Order.class).writeAll(read);
    Map<String, List<Order>> byRegion =
        read.stream()
            .collect(Collectors.groupingBy(Order::region, TreeMap::new, Collectors.toList()));
    List<RegionTotal> totals = new ArrayList<>();
    byRegion.forEach(
        (region, orders) ->
            totals.add(
                new RegionTotal(
                    region,
                    orders.stream().mapToLong(o -> sign(o)).sum(),
                    orders.stream()
                        .map(o -> o.amount().multiply(BigDecimal.valueOf(sign(o))))
                        .reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add))));
    if (totals.isEmpty()) {
      totals.add(new RegionTotal("none", 0, BigDecimal.ZERO.setScale(2)));
    }
    run.output("region-totals", RegionTotal.class).writeAll(totals);
  }

  private static BigDecimal amount(long id) {
    return BigDecimal.valueOf(id * 7 % 1000, 2);
  }

  private static int sign(Order o) {
    return "-".equals(o.note()) ? -1 : 1;
  }

  private static List<Record> read(IcebergStore store, String table) throws IOException {
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(store.catalog().loadTable(TableIdentifier.parse(table))).build()) {
      List<Record> out = new ArrayList<>();
      rows.forEach(out::add);
      return out;
    }
  }

  private static DataProduct shop() {
    return DataProduct.load(DIR.resolve("shop.yaml"));
  }

  private static DataProduct copier() {
    return DataProduct.load(DIR.resolve("incremental/copier.yaml"));
  }

  /**
   * The embedded store, except that the next publish to one chosen output fails: before it reaches
   * the table (a known failure, as a refused commit) or after (the answer lost on the way back).
   */
  private static final class FaultyStore implements TableStore {
    private final TableStore delegate;
    private volatile String failingPort;
    private volatile boolean afterLanding;

    FaultyStore(TableStore delegate) {
      this.delegate = delegate;
    }

    void failNext(String port, boolean landed) {
      this.failingPort = port;
      this.afterLanding = landed;
    }

    @Override
    public String describe() {
      return "faulty " + delegate.describe();
    }

    @Override
    public OutputTable openOutput(OutputSpec spec) {
      OutputTable table = delegate.openOutput(spec);
      return spec.address().port().equals(failingPort) ? new FaultyOutput(table) : table;
    }

    @Override
    public InputTable openInput(InputSpec spec) {
      return delegate.openInput(spec);
    }

    @Override
    public Optional<InputTable> openExisting(TableAddress address) {
      return delegate.openExisting(address);
    }

    @Override
    public void close() {
      delegate.close();
    }

    private final class FaultyOutput implements OutputTable, PartedWrites {
      private final OutputTable table;

      FaultyOutput(OutputTable table) {
        this.table = table;
      }

      @Override
      public TableInfo info() {
        return table.info();
      }

      @Override
      public <T> StagedWriter<T> newWriter(StructShape<T> shape, String runId) {
        return table.newWriter(shape, runId);
      }

      @Override
      public PublishResult publish(PublishRequest request) {
        if (failingPort == null) {
          return table.publish(request);
        }
        failingPort = null;
        if (afterLanding) {
          table.publish(request);
          throw new CommitStateUnknownException(
              "injected publish failure after " + info().identifier() + " committed", null);
        }
        table.discard(request.files());
        throw new StoreException("injected publish failure before " + info().identifier());
      }

      @Override
      public void discard(StagedFiles files) {
        table.discard(files);
      }

      @Override
      public PartTarget partTarget() {
        return ((PartedWrites) table).partTarget();
      }

      @Override
      public StagedFiles combine(List<StagedFiles> parts) {
        return ((PartedWrites) table).combine(parts);
      }

      @Override
      public void discardParts(String runId) {
        ((PartedWrites) table).discardParts(runId);
      }
    }
  }
}
