package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Change;
import dev.meshwork.core.Filter;
import dev.meshwork.core.InputRead;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.WriteMode;
import dev.meshwork.core.model.DataProduct;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Random sequences of write modes on a real embedded warehouse hold exactly the table a simple
 * in-memory model predicts, read back with Iceberg's own reader after every step: appends, restated
 * days, whole-table replaces, upserts of old and new keys, deletes by filter, reruns of the
 * previous step with its run id (which change nothing), and compactions in between. A consumer of
 * change sets ({@code InputRead.changesAfter}) applies what each step added and removed,
 * copy-on-write or merge-on-read, and holds the same rows.
 */
class WriteModeSequencesTest {
  private static final Path DIR = Path.of("src/test/resources/modes");
  private static final Principal ME = Principal.service("mode-sequences-test");
  private static final LocalDate D0 = LocalDate.of(2026, 3, 1);

  record Entry(long entryId, LocalDate day, String account, double amount) {}

  enum Kind {
    APPEND,
    OVERWRITE_DAY,
    REPLACE_ALL,
    UPSERT,
    DELETE_DAY,
    DELETE_SMALL,
    RERUN_PREVIOUS,
    COMPACT
  }

  /** One step: what to do, and the numbers that shape it. */
  record Step(Kind kind, int day, int rows, int seed) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, 6),
            Arbitraries.integers().between(0, 1000))
        .as(Step::new)
        .list()
        .ofMinSize(3)
        .ofMaxSize(12);
  }

  /**
   * Found by the property: a partition replace after a merge-on-read overwrite counted the row the
   * overwrite had marked deleted among the rows it removed (14 for 13).
   */
  @Example
  void aReplaceCountsOnlyTheLiveRowsItRemoves() throws IOException {
    everySequenceOfModesLeavesTheTableTheModelPredicts(
        List.of(
            new Step(Kind.APPEND, 0, 2, 0),
            new Step(Kind.APPEND, 0, 1, 468),
            new Step(Kind.OVERWRITE_DAY, 1, 6, 21),
            new Step(Kind.REPLACE_ALL, 2, 0, 112),
            new Step(Kind.APPEND, 2, 5, 51),
            new Step(Kind.REPLACE_ALL, 0, 4, 277)),
        true);
  }

  @Property(tries = 24, seed = "20261207")
  void everySequenceOfModesLeavesTheTableTheModelPredicts(
      @ForAll("steps") List<Step> steps, @ForAll boolean mergeOnRead) throws IOException {
    Path warehouse = Files.createTempDirectory("modes");
    TreeMap<Long, Entry> model = new TreeMap<>();
    long[] nextId = {0};
    Written previous = null;
    int runs = 0;
    ChangeConsumer consumer = new ChangeConsumer();
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      for (Step step : steps) {
        LocalDate day = D0.plusDays(step.day());
        Written now =
            switch (step.kind()) {
              case APPEND -> new Written(WriteMode.append(), fresh(nextId, step, day, false));
              case OVERWRITE_DAY ->
                  new Written(
                      WriteMode.overwrite(Filter.eq("day", day)), fresh(nextId, step, day, true));
              case REPLACE_ALL ->
                  new Written(WriteMode.replacePartitions(), fresh(nextId, step, day, false));
              case UPSERT -> new Written(WriteMode.upsert(), upserts(model, nextId, step, day));
              case DELETE_DAY -> new Written(WriteMode.delete(Filter.eq("day", day)), List.of());
              case DELETE_SMALL ->
                  new Written(WriteMode.delete(Filter.lt("amount", step.seed() / 2.0)), List.of());
              case RERUN_PREVIOUS -> previous;
              case COMPACT -> null;
            };
        if (mergeOnRead) {
          mergeOnRead(mesh);
        }
        if (step.kind() == Kind.COMPACT) {
          Maintenance.of((IcebergStore) mesh.store()).compact(ledger());
          assertThat(entries(mesh)).as("after %s", step).isEqualTo(List.copyOf(model.values()));
          assertThat(consumer.consume(mesh))
              .as("changes after %s", step)
              .isEqualTo(List.copyOf(model.values()));
          continue;
        }
        if (now == null) {
          continue; // a rerun with nothing before it
        }
        String runId = step.kind() == Kind.RERUN_PREVIOUS ? now.runId : "run-" + runs++;
        RunResult r;
        try (Run run = mesh.start(ledger(), ME, RunOptions.builder().runId(runId).build())) {
          run.output("entries", Entry.class, now.mode).writeAll(now.rows);
          r = run.commit();
        }
        if (step.kind() == Kind.RERUN_PREVIOUS) {
          assertThat(r.output("entries").alreadyPublished()).isTrue();
        } else {
          long before = model.size();
          long removed = apply(model, now);
          assertThat(r.output("entries").removedRows())
              .as("removed by %s", now.mode)
              .isEqualTo(removed);
          assertThat(model.size()).isEqualTo(before - removed + now.rows.size());
          previous = new Written(now.mode, now.rows, runId);
        }
        assertThat(entries(mesh)).as("after %s", step).isEqualTo(List.copyOf(model.values()));
        assertThat(throughMeshwork(mesh))
            .as("Meshwork's reads after %s", step)
            .isEqualTo(List.copyOf(model.values()));
        assertThat(consumer.consume(mesh))
            .as("changes after %s", step)
            .isEqualTo(List.copyOf(model.values()));
      }
    } finally {
      deleteTree(warehouse);
    }
  }

  /**
   * A consumer of change sets: reads what changed since the version it last read and applies it to
   * the rows it holds (a multiset, so that the order of a version's changes does not matter).
   */
  private static final class ChangeConsumer {
    private final Map<Entry, Integer> rows = new java.util.HashMap<>();
    private Long seen;

    List<Entry> consume(Mesh mesh) {
      if (!((IcebergStore) mesh.store())
          .catalog()
          .tableExists(TableIdentifier.parse("finance.ledger.entries"))) {
        return List.of();
      }
      RunOptions options =
          RunOptions.builder()
              .read("entries", seen == null ? InputRead.latest() : InputRead.changesAfter(seen))
              .build();
      try (Run run = mesh.start(DataProduct.load(DIR.resolve("reader.yaml")), ME, options)) {
        var port = run.input("entries", Entry.class);
        try (Stream<Change<Entry>> changes = port.changes()) {
          changes.forEach(c -> rows.merge(c.row(), c.added() ? 1 : -1, Integer::sum));
        }
        seen = port.version().isPresent() ? port.version().getAsLong() : seen;
      }
      rows.values().removeIf(n -> n == 0);
      assertThat(rows.values()).as("no row removed that was not there").allMatch(n -> n > 0);
      List<Entry> out = new ArrayList<>();
      rows.forEach((e, n) -> out.addAll(java.util.Collections.nCopies(n, e)));
      out.sort(java.util.Comparator.comparingLong(Entry::entryId));
      return out;
    }
  }

  /** A step's mode and rows, and the run id that published them. */
  record Written(WriteMode mode, List<Entry> rows, String runId) {
    Written(WriteMode mode, List<Entry> rows) {
      this(mode, rows, null);
    }
  }

  /** Applies a step to the model; returns the rows it removed. */
  private static long apply(TreeMap<Long, Entry> model, Written w) {
    Predicate<Entry> removes =
        switch (w.mode.kind()) {
          case APPEND -> e -> false;
          // The table is unpartitioned: one partition, replaced when a row is written.
          case REPLACE_PARTITIONS -> e -> !w.rows.isEmpty();
          case OVERWRITE -> {
            Filter f = ((WriteMode.Overwrite) w.mode).where();
            yield e -> f.test(column(e));
          }
          case DELETE -> {
            Filter f = ((WriteMode.Delete) w.mode).where();
            yield e -> f.test(column(e));
          }
          case UPSERT -> {
            java.util.Set<Long> keys = new java.util.HashSet<>();
            w.rows.forEach(e -> keys.add(e.entryId()));
            yield e -> keys.contains(e.entryId());
          }
        };
    long removed = model.values().stream().filter(removes).count();
    model.values().removeIf(removes);
    w.rows.forEach(e -> model.put(e.entryId(), e));
    return removed;
  }

  private static java.util.function.Function<String, Object> column(Entry e) {
    return c ->
        switch (c) {
          case "day" -> e.day();
          case "amount" -> e.amount();
          case "account" -> e.account();
          default -> e.entryId();
        };
  }

  private static List<Entry> fresh(long[] nextId, Step step, LocalDate day, boolean oneDay) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < step.rows(); i++) {
      LocalDate d = oneDay ? day : day.plusDays(i % 3);
      out.add(
          new Entry(nextId[0]++, d, "acct-" + (step.seed() + i) % 4, (step.seed() + 37 * i) % 500));
    }
    return out;
  }

  /** Rows of existing keys (every other one, from a seeded start) and new keys. */
  private static List<Entry> upserts(
      Map<Long, Entry> model, long[] nextId, Step step, LocalDate day) {
    List<Entry> out = new ArrayList<>();
    List<Long> keys = new ArrayList<>(model.keySet());
    for (int i = step.seed() % 2; i < keys.size() && out.size() < step.rows(); i += 2) {
      out.add(new Entry(keys.get(i), day, "upserted", step.seed() + i));
    }
    for (int i = 0; i < step.rows() / 2; i++) {
      out.add(new Entry(nextId[0]++, day, "new", step.seed() + i));
    }
    return out;
  }

  /** Asks the table for merge-on-read in every mode, once it exists. */
  private static void mergeOnRead(Mesh mesh) {
    var catalog = ((IcebergStore) mesh.store()).catalog();
    TableIdentifier id = TableIdentifier.parse("finance.ledger.entries");
    if (catalog.tableExists(id)
        && !catalog.loadTable(id).properties().containsKey("write.merge.mode")) {
      catalog
          .loadTable(id)
          .updateProperties()
          .set("write.delete.mode", "merge-on-read")
          .set("write.update.mode", "merge-on-read")
          .set("write.merge.mode", "merge-on-read")
          .commit();
    }
  }

  /** The entries as a consumer reads them: whole, filtered (all rows match) and in two splits. */
  private static List<Entry> throughMeshwork(Mesh mesh) {
    List<Entry> whole;
    List<Entry> filtered;
    List<Entry> split = new ArrayList<>();
    try (Run run = mesh.start(DataProduct.load(DIR.resolve("reader.yaml")), ME)) {
      try (var rows = run.input("entries", Entry.class).read()) {
        whole = rows.sorted(java.util.Comparator.comparingLong(Entry::entryId)).toList();
      }
      try (var rows = run.input("entries", Entry.class).read(Filter.ge("amount", -1.0))) {
        filtered = rows.sorted(java.util.Comparator.comparingLong(Entry::entryId)).toList();
      }
      for (var s : run.splits("entries", Entry.class, 2)) {
        try (var rows = s.read()) {
          rows.forEach(split::add);
        }
      }
    }
    split.sort(java.util.Comparator.comparingLong(Entry::entryId));
    assertThat(filtered).isEqualTo(whole);
    assertThat(split).isEqualTo(whole);
    return whole;
  }

  private static DataProduct ledger() {
    return DataProduct.load(DIR.resolve("ledger.yaml"));
  }

  private static List<Entry> entries(Mesh mesh) {
    if (!((IcebergStore) mesh.store())
        .catalog()
        .tableExists(TableIdentifier.parse("finance.ledger.entries"))) {
      return List.of();
    }
    Table t =
        ((IcebergStore) mesh.store())
            .catalog()
            .loadTable(TableIdentifier.parse("finance.ledger.entries"));
    List<Entry> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
      for (Record r : rows) {
        out.add(
            new Entry(
                (Long) r.getField("entry_id"),
                (LocalDate) r.getField("day"),
                (String) r.getField("account"),
                (Double) r.getField("amount")));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    out.sort(java.util.Comparator.comparingLong(Entry::entryId));
    return out;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
