package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.DescriptorException;
import dev.meshwork.core.Filter;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.RunStateException;
import dev.meshwork.core.WriteConflictException;
import dev.meshwork.core.WriteMode;
import dev.meshwork.core.model.DataProduct;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output modes on a real embedded Iceberg warehouse: what each leaves in the table (read back with
 * Iceberg's own reader, not Meshwork's), reruns of each, and concurrent writers that meet.
 */
class WriteModesTest {
  private static final Path DIR = Path.of("src/test/resources/modes");
  private static final Principal ME = Principal.service("modes-test");
  private static final LocalDate D1 = LocalDate.of(2026, 3, 1);
  private static final LocalDate D2 = D1.plusDays(1);
  private static final LocalDate D3 = D1.plusDays(2);

  record Entry(long entryId, LocalDate day, String account, double amount) {}

  record Balance(String account, String region, double balance) {}

  record Note(String text) {}

  @TempDir Path warehouse;

  private Mesh mesh() {
    return Mesh.builder().store(IcebergStore.embedded(warehouse)).build();
  }

  private static DataProduct ledger() {
    return DataProduct.load(DIR.resolve("ledger.yaml"));
  }

  private static List<Entry> day(LocalDate day, long firstId, int n, double amount) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Entry(firstId + i, day, "acct-" + i % 3, amount));
    }
    return out;
  }

  private static RunResult write(
      Mesh mesh, RunOptions options, WriteMode mode, List<Entry> entries) {
    try (Run run = mesh.start(ledger(), ME, options)) {
      run.output("entries", Entry.class, mode).writeAll(entries);
      return run.commit();
    }
  }

  private static RunResult write(Mesh mesh, WriteMode mode, List<Entry> entries) {
    return write(mesh, RunOptions.defaults(), mode, entries);
  }

  private static Table table(Mesh mesh, String port) {
    return ((IcebergStore) mesh.store())
        .catalog()
        .loadTable(TableIdentifier.parse("finance.ledger." + port));
  }

  /** The entries as Iceberg's own generic reader sees them, by id. */
  private static List<Entry> entries(Mesh mesh) {
    List<Entry> out =
        read(
            mesh,
            "entries",
            r ->
                new Entry(
                    (Long) r.getField("entry_id"),
                    (LocalDate) r.getField("day"),
                    (String) r.getField("account"),
                    (Double) r.getField("amount")));
    out.sort(java.util.Comparator.comparingLong(Entry::entryId));
    return out;
  }

  /** Every row of a port's table through Iceberg's generic reader. */
  private static <T> List<T> read(
      Mesh mesh, String port, java.util.function.Function<Record, T> row) {
    Table t = table(mesh, port);
    t.refresh();
    List<T> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
      rows.forEach(r -> out.add(row.apply(r)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  @SafeVarargs
  private static List<Entry> concat(List<Entry>... parts) {
    List<Entry> out = new ArrayList<>();
    for (List<Entry> p : parts) {
      out.addAll(p);
    }
    out.sort(java.util.Comparator.comparingLong(Entry::entryId));
    return out;
  }

  @Test
  void anOverwriteReplacesOnlyItsSliceEvenInsideSharedFilesAndItsRerunChangesNothingMore() {
    try (Mesh mesh = mesh()) {
      // One file holds all three days (unpartitioned): restating day 2 must rewrite it.
      write(
          mesh,
          WriteMode.append(),
          concat(day(D1, 0, 4, 1.0), day(D2, 100, 5, 2.0), day(D3, 200, 3, 3.0)));
      List<Entry> corrected = day(D2, 100, 4, 20.0);
      RunOptions restate = RunOptions.builder().runId("restate-day-2").build();

      RunResult r = write(mesh, restate, WriteMode.overwrite(Filter.eq("day", D2)), corrected);

      assertThat(r.output("entries").mode()).isEqualTo(WriteMode.overwrite(Filter.eq("day", D2)));
      assertThat(r.output("entries").rows()).isEqualTo(4);
      assertThat(r.output("entries").removedRows()).isEqualTo(5);
      List<Entry> expected = concat(day(D1, 0, 4, 1.0), corrected, day(D3, 200, 3, 3.0));
      assertThat(entries(mesh)).isEqualTo(expected);
      Table t = table(mesh, "entries");
      assertThat(t.currentSnapshot().operation()).isEqualTo("overwrite");

      int versions = iterable(t.snapshots()).size();
      RunResult again = write(mesh, restate, WriteMode.overwrite(Filter.eq("day", D2)), corrected);
      assertThat(again.output("entries").alreadyPublished()).isTrue();
      assertThat(again.output("entries").removedRows()).isEqualTo(5);
      assertThat(entries(mesh)).isEqualTo(expected);
      t.refresh();
      assertThat(iterable(t.snapshots())).hasSize(versions);
      assertThat(liveFiles(t)).allSatisfy(f -> assertThat(Files.exists(Path.of(f))).isTrue());
    }
  }

  @Test
  void aRowOutsideTheOverwriteFilterFailsTheWriteAndNothingIsPublished() {
    try (Mesh mesh = mesh()) {
      write(mesh, WriteMode.append(), day(D1, 0, 3, 1.0));
      try (Run run = mesh.start(ledger(), ME)) {
        var out = run.output("entries", Entry.class, WriteMode.overwrite(Filter.eq("day", D2)));
        out.write(new Entry(100, D2, "a", 1));
        assertThatThrownBy(() -> out.write(new Entry(101, D3, "a", 1)))
            .isInstanceOf(ContractViolationException.class)
            .hasMessageContaining("day=" + D3)
            .hasMessageContaining("overwrite where day == " + D2)
            .hasMessageContaining("Widen the filter");
        assertThatThrownBy(run::commit).isInstanceOf(RunStateException.class);
      }
      assertThat(entries(mesh)).isEqualTo(day(D1, 0, 3, 1.0));
    }
  }

  record OrderWithoutNote(long orderId, String region, java.math.BigDecimal amount) {}

  @Test
  void anOverwriteFilterOnAnOptionalColumnTheRecordLeavesOutSeesItAsNull() {
    DataProduct shop = DataProduct.load(Path.of("src/test/resources/lifecycle/shop.yaml"));
    try (Mesh mesh = mesh();
        Run run = mesh.start(shop, ME)) {
      var out =
          run.output("orders", OrderWithoutNote.class, WriteMode.overwrite(Filter.isNull("note")));
      out.write(new OrderWithoutNote(1, "north", java.math.BigDecimal.ONE.setScale(2)));
      assertThat(out.rows()).isEqualTo(1);
    }
    try (Mesh mesh = mesh();
        Run run = mesh.start(shop, ME)) {
      var out =
          run.output("orders", OrderWithoutNote.class, WriteMode.overwrite(Filter.eq("note", "x")));
      assertThatThrownBy(
              () -> out.write(new OrderWithoutNote(1, "north", java.math.BigDecimal.ONE)))
          .isInstanceOf(ContractViolationException.class)
          .hasMessageContaining("note=null");
    }
  }

  @Test
  void aDeleteRemovesWhatItsFilterMatchesAndTakesNoRows() {
    try (Mesh mesh = mesh()) {
      write(mesh, WriteMode.append(), concat(day(D1, 0, 4, 1.0), day(D2, 100, 2, 2.0)));
      write(mesh, WriteMode.append(), day(D3, 200, 3, 3.0));
      WriteMode retention = WriteMode.delete(Filter.lt("day", D2));

      try (Run run = mesh.start(ledger(), ME)) {
        var out = run.output("entries", Entry.class, retention);
        assertThatThrownBy(() -> out.write(new Entry(1, D1, "a", 1)))
            .isInstanceOf(RunStateException.class)
            .hasMessageContaining("takes no rows");
      }
      RunResult r = write(mesh, retention, List.of());

      assertThat(r.output("entries").removedRows()).isEqualTo(4);
      assertThat(r.output("entries").rows()).isZero();
      assertThat(entries(mesh)).isEqualTo(concat(day(D2, 100, 2, 2.0), day(D3, 200, 3, 3.0)));
      Table t = table(mesh, "entries");
      assertThat(t.currentSnapshot().operation()).isEqualTo("overwrite");
      assertThat(t.currentSnapshot().summary())
          .containsEntry("meshwork.write.mode", "delete where day < " + D2);
    }
  }

  /**
   * {@code not (amount >= 3)} holds for NaN (NaN compares false), so a file of NaN amounts must be
   * looked at: Iceberg's own negation ({@code amount < 3}) would rule it out and keep its rows.
   */
  @Test
  void aDeleteWithNotOfAComparisonRemovesNaNRowsToo() {
    try (Mesh mesh = mesh()) {
      write(mesh, WriteMode.append(), day(D1, 0, 2, Double.NaN));
      write(mesh, WriteMode.append(), concat(day(D2, 10, 2, 5.0), day(D3, 20, 1, 1.0)));

      RunResult r = write(mesh, WriteMode.delete(Filter.not(Filter.ge("amount", 3.0))), List.of());

      assertThat(entries(mesh)).isEqualTo(day(D2, 10, 2, 5.0));
      assertThat(r.output("entries").removedRows()).isEqualTo(3);
    }
  }

  @Test
  void replacePartitionsReplacesOnlyThePartitionsWritten() {
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(ledger(), ME)) {
        run.output("balances", Balance.class, WriteMode.append())
            .writeAll(
                List.of(
                    new Balance("a", "north", 1),
                    new Balance("b", "north", 2),
                    new Balance("c", "south", 3)));
        run.commit();
      }
      RunResult r;
      try (Run run = mesh.start(ledger(), ME)) {
        run.output("balances", Balance.class, WriteMode.replacePartitions())
            .write(new Balance("d", "north", 4));
        r = run.commit();
      }
      assertThat(r.output("balances").removedRows()).isEqualTo(2);
      assertThat(balances(mesh))
          .containsExactly(new Balance("c", "south", 3), new Balance("d", "north", 4));
    }
  }

  @Test
  void anUpsertReplacesRowsByPrimaryKeyAndAddsNewKeysTheDescriptorsDefaultMode() {
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(ledger(), ME)) {
        // The port's writeMode property makes upsert its default.
        run.output("balances", Balance.class)
            .writeAll(
                List.of(
                    new Balance("a", "north", 1),
                    new Balance("b", "north", 2),
                    new Balance("c", "south", 3)));
        run.commit();
      }
      RunResult r;
      try (Run run = mesh.start(ledger(), ME)) {
        run.output("balances", Balance.class)
            .writeAll(List.of(new Balance("b", "north", 20), new Balance("e", "east", 5)));
        r = run.commit();
      }
      assertThat(r.output("balances").mode()).isEqualTo(new WriteMode.Upsert(List.of("account")));
      assertThat(r.output("balances").removedRows()).isEqualTo(1);
      assertThat(balances(mesh))
          .containsExactly(
              new Balance("a", "north", 1),
              new Balance("b", "north", 20),
              new Balance("c", "south", 3),
              new Balance("e", "east", 5));

      try (Run run = mesh.start(ledger(), ME)) {
        run.output("balances", Balance.class)
            .writeAll(List.of(new Balance("a", "north", 7), new Balance("a", "north", 8)));
        assertThatThrownBy(run::commit)
            .isInstanceOf(ContractViolationException.class)
            .hasMessageContaining("key account=a more than once");
      }
      assertThat(balances(mesh)).hasSize(4).contains(new Balance("a", "north", 1));
    }
  }

  @Test
  void anUpsertWrittenInPartsByTasksCommitsAsOneVersionAndAKeyInTwoPartsIsRefused() {
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(ledger(), ME)) {
        run.output("balances", Balance.class)
            .writeAll(List.of(new Balance("a", "north", 1), new Balance("b", "south", 2)));
        run.commit();
      }
      int versions = iterable(table(mesh, "balances").snapshots()).size();
      RunResult r;
      try (Run run = mesh.start(ledger(), ME)) {
        // The port's writeMode (upsert) holds for the parts tasks write.
        var spec = run.parts("balances", Balance.class);
        List<dev.meshwork.core.StagedPart> parts = new ArrayList<>();
        parts.add(part(spec, 0, new Balance("a", "north", 10), new Balance("c", "east", 3)));
        parts.add(part(spec, 1, new Balance("d", "west", 4)));
        r = run.commit(parts);
      }
      assertThat(r.output("balances").removedRows()).isEqualTo(1);
      assertThat(iterable(table(mesh, "balances").snapshots())).hasSize(versions + 1);
      assertThat(balances(mesh))
          .containsExactly(
              new Balance("a", "north", 10),
              new Balance("b", "south", 2),
              new Balance("c", "east", 3),
              new Balance("d", "west", 4));

      try (Run run = mesh.start(ledger(), ME)) {
        var spec = run.parts("balances", Balance.class);
        List<dev.meshwork.core.StagedPart> parts =
            List.of(
                part(spec, 0, new Balance("b", "south", 20)),
                part(spec, 1, new Balance("b", "south", 21)));
        assertThatThrownBy(() -> run.commit(parts))
            .isInstanceOf(ContractViolationException.class)
            .hasMessageContaining("key account=b more than once");
      }
      assertThat(balances(mesh)).contains(new Balance("b", "south", 2));
    }
  }

  /** A task's part: opened from the spec, written and finished. */
  @SafeVarargs
  private static <T> dev.meshwork.core.StagedPart part(
      dev.meshwork.core.PartSpec<T> spec, int part, T... rows) {
    try (dev.meshwork.core.PartWriter<T> w = spec.open(part, 0)) {
      for (T b : rows) {
        w.write(b);
      }
      return w.finish();
    }
  }

  @Test
  void aDayRestatedInPartsByTasksReplacesThatDayAsOneVersionInTheModeChosenInCode() {
    try (Mesh mesh = mesh()) {
      write(mesh, WriteMode.append(), concat(day(D1, 1, 4, 1.0), day(D2, 100, 3, 2.0)));
      WriteMode restate = WriteMode.overwrite(Filter.eq("day", D1));
      RunResult r;
      try (Run run = mesh.start(ledger(), ME)) {
        var spec = run.parts("entries", Entry.class, restate);
        assertThat(spec.mode()).isEqualTo(restate);
        assertThatThrownBy(() -> run.parts("entries", Entry.class, WriteMode.append()))
            .isInstanceOf(dev.meshwork.core.RunStateException.class)
            .hasMessageContaining("handed them out to " + restate + " already");
        // A task refuses a row outside the restated day before anything is staged for it.
        try (dev.meshwork.core.PartWriter<Entry> w = spec.open(2, 0)) {
          assertThatThrownBy(() -> w.write(day(D3, 900, 1, 9.0).get(0)))
              .isInstanceOf(ContractViolationException.class)
              .hasMessageContaining("day=" + D3)
              .hasMessageContaining("part 2 (attempt 0) of output port 'entries'");
        }
        List<Entry> corrected = day(D1, 1, 6, 5.0);
        r =
            run.commit(
                List.of(
                    part(spec, 0, corrected.subList(0, 3).toArray(Entry[]::new)),
                    part(spec, 1, corrected.subList(3, 6).toArray(Entry[]::new))));
      }
      assertThat(r.output("entries").mode()).isEqualTo(restate);
      assertThat(r.output("entries").removedRows()).isEqualTo(4);
      assertThat(entries(mesh)).isEqualTo(concat(day(D1, 1, 6, 5.0), day(D2, 100, 3, 2.0)));
    }
  }

  @Test
  void anUpsertNeedsAPrimaryKeyAndAWriteModeMustBeOneTheDescriptorCanName() throws IOException {
    try (Mesh mesh = mesh()) {
      try (Run run = mesh.start(ledger(), ME)) {
        assertThatThrownBy(() -> run.output("notes", Note.class, WriteMode.upsert()))
            .isInstanceOf(ContractViolationException.class)
            .hasMessageContaining("declares no primary key")
            .hasMessageContaining("primaryKey: true");
      }
    }
    Path bad = warehouse.resolve("bad");
    Files.createDirectories(bad.resolve("contracts"));
    try (Stream<Path> contracts = Files.list(DIR.resolve("contracts"))) {
      for (Path c : contracts.toList()) {
        Files.copy(c, bad.resolve("contracts").resolve(c.getFileName()));
      }
    }
    Files.writeString(
        bad.resolve("ledger.yaml"),
        Files.readString(DIR.resolve("ledger.yaml")).replace("value: upsert", "value: merge"));
    assertThatThrownBy(() -> DataProduct.load(bad.resolve("ledger.yaml")))
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining("ledger.yaml:17:16")
        .hasMessageContaining("writeMode must be 'append', 'replacePartitions' or 'upsert'");
  }

  @Test
  void twoWritersThatReplaceTheSameRowsDoNotLoseEachOthersChanges() {
    try (Mesh mesh = mesh()) {
      write(mesh, WriteMode.append(), concat(day(D1, 0, 3, 1.0), day(D2, 100, 3, 2.0)));
      WriteMode restate = WriteMode.overwrite(Filter.eq("day", D2));

      // A restatement opened, then another writer appends a late row of the same day.
      try (Run slow = mesh.start(ledger(), ME)) {
        slow.output("entries", Entry.class, restate).writeAll(day(D2, 100, 2, 9.0));
        write(mesh, WriteMode.append(), List.of(new Entry(150, D2, "late", 5.0)));
        assertThatThrownBy(slow::commit)
            .isInstanceOf(WriteConflictException.class)
            .hasMessageContaining("another writer changed rows")
            .hasMessageContaining("Nothing was published");
      }
      assertThat(entries(mesh)).extracting(Entry::entryId).contains(150L);

      // Two restatements of the same day opened together: the second to commit fails.
      try (Run first = mesh.start(ledger(), ME);
          Run second = mesh.start(ledger(), ME)) {
        first.output("entries", Entry.class, restate).writeAll(day(D2, 100, 1, 7.0));
        second.output("entries", Entry.class, restate).writeAll(day(D2, 100, 2, 8.0));
        first.commit();
        assertThatThrownBy(second::commit).isInstanceOf(WriteConflictException.class);
      }
      assertThat(entries(mesh)).isEqualTo(concat(day(D1, 0, 3, 1.0), day(D2, 100, 1, 7.0)));

      // A restatement of another day meets nothing: both land.
      try (Run a = mesh.start(ledger(), ME);
          Run b = mesh.start(ledger(), ME)) {
        a.output("entries", Entry.class, WriteMode.overwrite(Filter.eq("day", D1)))
            .writeAll(day(D1, 0, 2, 1.5));
        b.output("entries", Entry.class, WriteMode.append()).writeAll(day(D3, 200, 1, 3.0));
        b.commit();
        a.commit();
      }
      assertThat(entries(mesh))
          .isEqualTo(concat(day(D1, 0, 2, 1.5), day(D2, 100, 1, 7.0), day(D3, 200, 1, 3.0)));
      assertThat(orphanData(mesh)).isEmpty();
    }
  }

  @Test
  void mergeOnReadMarksRowsInOneDeleteFilePerDataFileThatReadersAndCompactionApply() {
    try (Mesh mesh = mesh()) {
      write(mesh, WriteMode.append(), concat(day(D1, 0, 4, 1.0), day(D2, 100, 5, 2.0)));
      table(mesh, "entries")
          .updateProperties()
          .set("write.delete.mode", "merge-on-read")
          .set("write.update.mode", "merge-on-read")
          .set("write.merge.mode", "merge-on-read")
          .commit();
      Table t = table(mesh, "entries");
      String dataFile = liveFiles(t).get(0);

      RunResult deleted = write(mesh, WriteMode.delete(Filter.eq("entry_id", 101L)), List.of());
      RunResult restated =
          write(mesh, WriteMode.overwrite(Filter.eq("day", D1)), day(D1, 0, 2, 1.5));
      RunResult upserted =
          write(
              mesh,
              WriteMode.upsert(),
              List.of(new Entry(102, D2, "x", 9.0), new Entry(300, D3, "y", 3.0)));

      assertThat(deleted.output("entries").removedRows()).isEqualTo(1);
      assertThat(restated.output("entries").removedRows()).isEqualTo(4);
      assertThat(upserted.output("entries").removedRows()).isEqualTo(1);
      List<Entry> expected =
          concat(
              day(D1, 0, 2, 1.5),
              List.of(
                  new Entry(100, D2, "acct-0", 2.0),
                  new Entry(102, D2, "x", 9.0),
                  new Entry(103, D2, "acct-0", 2.0),
                  new Entry(104, D2, "acct-1", 2.0),
                  new Entry(300, D3, "y", 3.0)));
      assertThat(entries(mesh)).isEqualTo(expected);
      t.refresh();
      assertThat(t.currentSnapshot().operation()).isEqualTo("overwrite");
      assertThat(liveFiles(t)).as("the first file is marked, not rewritten").contains(dataFile);
      assertThat(t.currentSnapshot().summary())
          .as("each mark replaces the data file's earlier one")
          .containsEntry("total-position-deletes", "6")
          .containsEntry("total-delete-files", "1");

      var compacted = Maintenance.of((IcebergStore) mesh.store()).compact(ledger());
      assertThat(compacted).anySatisfy(c -> assertThat(c.rewrittenFiles()).isPositive());
      t.refresh();
      assertThat(t.currentSnapshot().summary()).containsEntry("total-delete-files", "0");
      assertThat(entries(mesh)).isEqualTo(expected);
      assertThat(orphanData(mesh)).isEmpty();
    }
  }

  @Test
  void readsOfAMergeOnReadTableSkipTheMarkedRowsInEveryRowGroupWholeFilteredAndInSplits() {
    try (Mesh mesh = mesh()) {
      write(mesh, WriteMode.append(), day(D1, 0, 1, 1.0));
      table(mesh, "entries")
          .updateProperties()
          .set("write.parquet.row-group-size-bytes", "16384")
          .set("write.parquet.page-size-bytes", "2048")
          .set("write.delete.mode", "merge-on-read")
          .commit();
      List<Entry> many = new ArrayList<>();
      for (int i = 1; i <= 20_000; i++) {
        many.add(new Entry(i, D1.plusDays(i % 3), "acct-" + i % 11, i % 500));
      }
      write(mesh, WriteMode.append(), many);
      try (Run run = mesh.start(DataProduct.load(DIR.resolve("reader.yaml")), ME);
          Stream<VectorSchemaRoot> batches = run.input("entries", VectorSchemaRoot.class).read()) {
        List<Entry> all = new ArrayList<>(entries(mesh));
        assertThat(entries(batches))
            .as("Arrow batches decoded column by column (no deletes yet)")
            .hasSize(20_001)
            .isEqualTo(all);
      }
      List<Object> gone = new ArrayList<>();
      for (long id = 3; id <= 20_000; id += 7) {
        gone.add(id);
      }
      RunResult r = write(mesh, WriteMode.delete(Filter.in("entry_id", gone)), List.of());
      assertThat(r.output("entries").removedRows()).isEqualTo(gone.size());
      Table t = table(mesh, "entries");
      try (var tasks = t.newScan().planFiles()) {
        assertThat(tasks)
            .as("the big file has many row groups, and a mark")
            .anySatisfy(
                task -> {
                  assertThat(task.file().splitOffsets()).hasSizeGreaterThan(3);
                  assertThat(task.deletes()).hasSize(1);
                });
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      List<Entry> expected = entries(mesh);
      assertThat(expected).hasSize(20_001 - gone.size());
      try (Run run = mesh.start(DataProduct.load(DIR.resolve("reader.yaml")), ME)) {
        try (Stream<Entry> rows = run.input("entries", Entry.class).read()) {
          assertThat(rows.sorted(java.util.Comparator.comparingLong(Entry::entryId)).toList())
              .isEqualTo(expected);
        }
        try (Stream<Entry> rows =
            run.input("entries", Entry.class).read(Filter.lt("entry_id", 5_000L))) {
          assertThat(rows.sorted(java.util.Comparator.comparingLong(Entry::entryId)).toList())
              .isEqualTo(expected.stream().filter(e -> e.entryId() < 5_000).toList());
        }
        try (Stream<VectorSchemaRoot> batches =
            run.input("entries", VectorSchemaRoot.class).read()) {
          assertThat(entries(batches)).as("Arrow batches").isEqualTo(expected);
        }
        try (Stream<VectorSchemaRoot> batches =
            run.input("entries", VectorSchemaRoot.class).read(Filter.lt("entry_id", 5_000L))) {
          assertThat(entries(batches))
              .as("Arrow batches, filtered")
              .isEqualTo(expected.stream().filter(e -> e.entryId() < 5_000).toList());
        }
        List<Entry> split = new ArrayList<>();
        for (var s : run.splits("entries", Entry.class, 3)) {
          try (Stream<Entry> rows = s.read()) {
            rows.forEach(split::add);
          }
        }
        split.sort(java.util.Comparator.comparingLong(Entry::entryId));
        assertThat(split).isEqualTo(expected);
      }
    }
  }

  /**
   * Another engine's deletion vectors (a format-version 3 table, Puffin delete files) are applied
   * by every Meshwork read: records decoded from pages, filtered, in splits and as Arrow batches.
   */
  @Test
  void deletionVectorsOfAVersion3TableHideTheirRowsFromEveryRead() throws IOException {
    try (Mesh mesh = mesh()) {
      write(mesh, WriteMode.append(), threeThousand());
      Table t = table(mesh, "entries");
      t.updateProperties().set("format-version", "3").commit();
      org.apache.iceberg.deletes.BaseDVFileWriter dvs =
          new org.apache.iceberg.deletes.BaseDVFileWriter(
              org.apache.iceberg.io.OutputFileFactory.builderFor(t, 1, 1)
                  .format(org.apache.iceberg.FileFormat.PUFFIN)
                  .build(),
              path -> null);
      try (dvs;
          var tasks = t.newScan().planFiles()) {
        for (var task : tasks) {
          for (long pos = 0; pos < task.file().recordCount(); pos += 3) {
            dvs.delete(
                task.file().location(),
                pos,
                t.specs().get(task.file().specId()),
                task.file().partition());
          }
        }
      }
      org.apache.iceberg.RowDelta delta = t.newRowDelta();
      dvs.result().deleteFiles().forEach(delta::addDeletes);
      delta.commit();
      t.refresh();
      try (var tasks = t.newScan().planFiles()) {
        assertThat(tasks)
            .allSatisfy(
                task ->
                    assertThat(task.deletes())
                        .singleElement()
                        .satisfies(
                            d ->
                                assertThat(d.format())
                                    .isEqualTo(org.apache.iceberg.FileFormat.PUFFIN)));
      }

      List<Entry> expected = entries(mesh);
      assertThat(expected).hasSize(2_000);
      assertEveryReadGives(mesh, expected);
    }
  }

  /**
   * Another engine's equality deletes (an upsert sink keyed by account) are applied by every
   * Meshwork read, as Iceberg's reader applies them.
   */
  @Test
  void equalityDeletesOfAnotherEngineHideTheirRowsFromEveryRead() throws IOException {
    try (Mesh mesh = mesh()) {
      write(mesh, WriteMode.append(), threeThousand());
      Table t = table(mesh, "entries");
      org.apache.iceberg.Schema byAccount = t.schema().select("account");
      org.apache.iceberg.deletes.EqualityDeleteWriter<Record> writer =
          org.apache.iceberg.parquet.Parquet.writeDeletes(
                  t.io()
                      .newOutputFile(
                          t.locationProvider().newDataLocation("other-engine-eq.parquet")))
              .forTable(t)
              .rowSchema(byAccount)
              .equalityFieldIds(List.of(t.schema().findField("account").fieldId()))
              .createWriterFunc(org.apache.iceberg.data.parquet.GenericParquetWriter::create)
              .buildEqualityWriter();
      try (writer) {
        for (String account : List.of("acct-3", "acct-5")) {
          Record r = org.apache.iceberg.data.GenericRecord.create(byAccount);
          r.setField("account", account);
          writer.write(r);
        }
      }
      t.newRowDelta().addDeletes(writer.toDeleteFile()).commit();

      List<Entry> expected = entries(mesh);
      assertThat(expected)
          .hasSize(3_000 - 2 * 3_000 / 7)
          .noneMatch(e -> e.account().equals("acct-3") || e.account().equals("acct-5"));
      assertEveryReadGives(mesh, expected);
    }
  }

  /** Entries 1 to 3,000 over two days and seven accounts. */
  private static List<Entry> threeThousand() {
    List<Entry> many = new ArrayList<>();
    for (int i = 1; i <= 3_000; i++) {
      many.add(new Entry(i, D1.plusDays(i % 2), "acct-" + i % 7, i % 90));
    }
    return many;
  }

  /** Records (whole, filtered, in splits) and Arrow batches read exactly {@code expected}. */
  private static void assertEveryReadGives(Mesh mesh, List<Entry> expected) {
    try (Run run = mesh.start(DataProduct.load(DIR.resolve("reader.yaml")), ME)) {
      try (Stream<Entry> rows = run.input("entries", Entry.class).read()) {
        assertThat(rows.sorted(java.util.Comparator.comparingLong(Entry::entryId)).toList())
            .isEqualTo(expected);
      }
      try (Stream<Entry> rows =
          run.input("entries", Entry.class).read(Filter.ge("entry_id", 1_500L))) {
        assertThat(rows.sorted(java.util.Comparator.comparingLong(Entry::entryId)).toList())
            .isEqualTo(expected.stream().filter(e -> e.entryId() >= 1_500).toList());
      }
      List<Entry> split = new ArrayList<>();
      for (var sp : run.splits("entries", Entry.class, 2)) {
        try (Stream<Entry> rows = sp.read()) {
          rows.forEach(split::add);
        }
      }
      split.sort(java.util.Comparator.comparingLong(Entry::entryId));
      assertThat(split).isEqualTo(expected);
      try (Stream<VectorSchemaRoot> batches = run.input("entries", VectorSchemaRoot.class).read()) {
        assertThat(entries(batches)).isEqualTo(expected);
      }
    }
  }

  /** The entries in Arrow batches, sorted by id; each batch is closed once read. */
  private static List<Entry> entries(Stream<VectorSchemaRoot> batches) {
    List<Entry> out = new ArrayList<>();
    batches.forEach(
        b -> {
          try (b) {
            var id = (org.apache.arrow.vector.BigIntVector) b.getVector("entry_id");
            var day = (org.apache.arrow.vector.DateDayVector) b.getVector("day");
            var amount = (org.apache.arrow.vector.Float8Vector) b.getVector("amount");
            for (int i = 0; i < b.getRowCount(); i++) {
              out.add(
                  new Entry(
                      id.get(i),
                      LocalDate.ofEpochDay(day.get(i)),
                      b.getVector("account").getObject(i).toString(),
                      amount.get(i)));
            }
          }
        });
    out.sort(java.util.Comparator.comparingLong(Entry::entryId));
    return out;
  }

  private static List<Balance> balances(Mesh mesh) {
    List<Balance> out =
        read(
            mesh,
            "balances",
            r ->
                new Balance(
                    (String) r.getField("account"),
                    (String) r.getField("region"),
                    (Double) r.getField("balance")));
    out.sort(java.util.Comparator.comparing(Balance::account));
    return out;
  }

  private static List<String> liveFiles(Table t) {
    List<String> out = new ArrayList<>();
    try (var tasks = t.newScan().planFiles()) {
      tasks.forEach(task -> out.add(task.file().location().replaceFirst("^file:", "")));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  /** Data files of the entries table that no version references: what a failed commit left. */
  private List<Path> orphanData(Mesh mesh) {
    Table t = table(mesh, "entries");
    t.refresh();
    java.util.Set<String> referenced = new java.util.HashSet<>();
    for (var s : t.snapshots()) {
      for (var m : s.dataManifests(t.io())) {
        names(org.apache.iceberg.ManifestFiles.read(m, t.io(), t.specs()), referenced);
      }
      for (var m : s.deleteManifests(t.io())) {
        names(
            org.apache.iceberg.ManifestFiles.readDeleteManifest(m, t.io(), t.specs()), referenced);
      }
    }
    Path data = Path.of(t.location().replaceFirst("^file:", "")).resolve("data");
    try (Stream<Path> files = Files.walk(data)) {
      return files
          .filter(p -> p.toString().endsWith(".parquet"))
          .filter(p -> !referenced.contains(p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Adds the file names a manifest lists to {@code into}. */
  private static void names(
      CloseableIterable<? extends org.apache.iceberg.ContentFile<?>> files,
      java.util.Set<String> into) {
    try (files) {
      files.forEach(f -> into.add(Path.of(f.location()).getFileName().toString()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static <T> List<T> iterable(Iterable<T> items) {
    List<T> out = new ArrayList<>();
    items.forEach(out::add);
    return out;
  }
}
