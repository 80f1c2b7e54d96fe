package dev.meshwork.iceberg.internal;

import dev.meshwork.core.Change;
import dev.meshwork.core.Filter;
import dev.meshwork.core.InputRead;
import dev.meshwork.core.StoreException;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.iceberg.internal.parquet.ShapeReader;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.ReadSplit;
import dev.meshwork.spi.Scan;
import dev.meshwork.spi.TableInfo;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.StructShape;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/** An upstream Iceberg table, read at one pinned snapshot or between two. */
final class IcebergInputTable implements InputTable, dev.meshwork.spi.ColumnarReads {
  private static final int NEAREST = 5;

  private final Table table;
  private final TableInfo info;

  IcebergInputTable(Table table, TableInfo info) {
    this.table = table;
    this.info = info;
  }

  @Override
  public TableInfo info() {
    return info;
  }

  @Override
  public Schema schema() {
    return IcebergSchemas.fromIceberg(table.schema());
  }

  @Override
  public OptionalLong currentVersion() {
    table.refresh();
    return table.currentSnapshot() == null
        ? OptionalLong.empty()
        : OptionalLong.of(table.currentSnapshot().snapshotId());
  }

  @Override
  public <T> Stream<T> read(StructShape<T> shape, Scan scan) {
    if (scan.version().isEmpty()) {
      return Stream.empty();
    }
    if (scan.incremental()) {
      return IcebergReadSplit.read(table, info.identifier(), plan(scan), shape);
    }
    // Files with row-level deletes are read through them, file by file as the others.
    return IcebergReadSplit.read(
        table, info.identifier(), tasks(scan, Expressions.alwaysTrue()), shape);
  }

  private static List<String> columns(StructShape<?> shape) {
    return shape.members().stream().map(Member::field).map(f -> f.name()).toList();
  }

  /** The records as a stream; closing it closes the reader of {@code what}. */
  static Stream<Record> records(CloseableIterable<Record> records, String what) {
    return StreamSupport.stream(records.spliterator(), false)
        .onClose(
            () -> {
              try {
                records.close();
              } catch (IOException e) {
                throw new StoreException(
                    "Cannot close the reader of " + what + ": " + e.getMessage(), e);
              }
            });
  }

  @Override
  public long resolve(InputRead read) {
    table.refresh();
    if (read instanceof InputRead.Snapshot s) {
      if (table.snapshot(s.snapshotId()) == null) {
        throw missing("snapshot " + s.snapshotId() + " does not exist (expired or never there)");
      }
      return s.snapshotId();
    }
    if (read instanceof InputRead.AsOf a) {
      return asOf(a.time());
    }
    if (read instanceof InputRead.Ref r) {
      SnapshotRef ref = table.refs().get(r.name());
      if (ref == null) {
        throw new StoreException(
            "Cannot read "
                + info.identifier()
                + " at ref '"
                + r.name()
                + "': no such branch or tag. It has "
                + table.refs().keySet().stream().sorted().toList()
                + ".");
      }
      return ref.snapshotId();
    }
    if (read instanceof InputRead.PublishedBy p) {
      return publishedBy(p.runId());
    }
    throw new IllegalArgumentException(read + " is chosen by the run, not resolved by the table");
  }

  private long asOf(Instant time) {
    Snapshot chosen = null;
    for (org.apache.iceberg.HistoryEntry h : table.history()) {
      if (h.timestampMillis() <= time.toEpochMilli()) {
        chosen = table.snapshot(h.snapshotId());
      }
    }
    if (chosen == null) {
      throw missing("nothing was published by " + time);
    }
    return chosen.snapshotId();
  }

  private long publishedBy(String runId) {
    Optional<RunIndex.Entry> e = RunIndex.find(table, runId);
    if (e.isEmpty()) {
      throw missing("no version was published by run " + runId);
    }
    if (e.get().snapshot() == null) {
      throw missing(
          "run " + runId + " published snapshot " + e.get().snapshotId() + ", which has expired");
    }
    return e.get().snapshotId();
  }

  /** An error for a version that is not there, naming the newest versions that are. */
  private StoreException missing(String why) {
    List<Snapshot> newest = new ArrayList<>();
    for (Snapshot s : table.snapshots()) {
      newest.add(s);
    }
    newest.sort(Comparator.comparingLong(Snapshot::timestampMillis).reversed());
    List<String> shown = new ArrayList<>();
    for (Snapshot s : newest.subList(0, Math.min(NEAREST, newest.size()))) {
      shown.add(describe(s));
    }
    return new StoreException(
        "Cannot read "
            + info.identifier()
            + ": "
            + why
            + ". "
            + (newest.isEmpty()
                ? "The table has no versions yet."
                : "It has "
                    + newest.size()
                    + " versions; the newest: "
                    + String.join(", ", shown)
                    + (newest.size() > NEAREST
                        ? "; the oldest: " + describe(newest.get(newest.size() - 1))
                        : "")
                    + "."));
  }

  private static String describe(Snapshot s) {
    String run = s.summary().get(dev.meshwork.core.SummaryKeys.RUN_ID);
    return s.snapshotId()
        + " ("
        + s.operation()
        + " at "
        + Instant.ofEpochMilli(s.timestampMillis())
        + (run == null ? "" : " by run " + run)
        + ")";
  }

  @Override
  public Range appended(long after, long version) {
    return walk(after, version, Span.APPENDS);
  }

  @Override
  public Range changed(long after, long version) {
    return walk(after, version, Span.CHANGES);
  }

  private enum Span {
    APPENDS,
    CHANGES
  }

  /** The versions after {@code after} up to {@code version}, oldest first, checked. */
  private List<Snapshot> between(long after, long version) {
    table.refresh();
    List<Snapshot> versions = new ArrayList<>();
    Snapshot s = table.snapshot(version);
    while (s.snapshotId() != after) {
      versions.add(s);
      Long parent = s.parentId();
      if (parent != null && parent == after) {
        break;
      }
      Snapshot next = parent == null ? null : table.snapshot(parent);
      if (next == null) {
        throw missing(
            "version "
                + after
                + ", where the last incremental read stopped, is not an ancestor of the current"
                + " version "
                + version
                + (parent == null
                    ? " (the table was rolled back or replaced)"
                    : ", or version "
                        + parent
                        + " between them has expired, so the appends after it cannot be told"
                        + " apart")
                + ". Re-read the whole table with InputRead.latest(), or continue with"
                + " InputRead.appendedAfter(<a version whose rows were consumed>); keep snapshots"
                + " longer than the consumer's schedule (the contract's SLA retention)");
      }
      s = next;
    }
    Collections.reverse(versions);
    return versions;
  }

  private Range walk(long after, long version, Span span) {
    List<Long> appends = new ArrayList<>();
    List<Long> changes = new ArrayList<>();
    List<Long> skipped = new ArrayList<>();
    long rows = 0;
    long files = 0;
    long bytes = 0;
    long removed = 0;
    for (Snapshot s : between(after, version)) {
      String op = s.operation();
      Map<String, String> sum = s.summary();
      if (DataOperations.REPLACE.equals(op)) {
        skipped.add(s.snapshotId());
        continue;
      }
      if (!DataOperations.APPEND.equals(op)) {
        if (span == Span.APPENDS) {
          throw new StoreException(
              "Cannot read "
                  + info.identifier()
                  + " incrementally after version "
                  + after
                  + ": version "
                  + describe(s)
                  + " is not an append, it "
                  + (DataOperations.DELETE.equals(op) ? "deleted" : "overwrote")
                  + " rows that may already have been consumed. Read what changed with"
                  + " InputRead.changes() and InputPort.changes() (rows added and removed), re-read"
                  + " the whole table with InputRead.latest() and replace what was derived from it"
                  + " (WriteMode.overwrite(...) or replacePartitions() on the outputs), or continue"
                  + " with InputRead.appendedAfter("
                  + s.snapshotId()
                  + ") to take only what was appended after it.");
        }
        changes.add(s.snapshotId());
        removed += count(sum, "deleted-records") + count(sum, "added-position-deletes");
        files += count(sum, "deleted-data-files");
        bytes += count(sum, "removed-files-size");
      } else {
        appends.add(s.snapshotId());
      }
      rows += count(sum, "added-records");
      files += count(sum, "added-data-files");
      bytes += count(sum, "added-files-size");
    }
    return new Range(appends, changes, skipped, new Volume(rows + removed, files, bytes), removed);
  }

  private static long count(Map<String, String> summary, String key) {
    String v = summary.get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  /** Whether a version wrote row-level delete files, or its parent had any its files may meet. */
  private boolean meetsRowDeletes(Snapshot s) {
    Snapshot parent = s.parentId() == null ? null : table.snapshot(s.parentId());
    return count(s.summary(), "added-delete-files") + count(s.summary(), "removed-delete-files") > 0
        || (parent != null && count(parent.summary(), "total-delete-files") > 0);
  }

  @Override
  public <T> Stream<Change<T>> changes(StructShape<T> shape, Scan scan) {
    if (scan.version().isEmpty()) {
      return Stream.empty();
    }
    long version = scan.version().getAsLong();
    if (!scan.incremental()) {
      return read(shape, scan).map(row -> new Change<>(Change.Kind.ADDED, row, version));
    }
    long after = scan.after().getAsLong();
    if (after == version) {
      return Stream.empty();
    }
    org.apache.iceberg.Schema projected = table.schema().select(columns(shape));
    return between(after, version).stream()
        .filter(s -> !DataOperations.REPLACE.equals(s.operation()))
        .flatMap(s -> changesOf(s, projected, shape));
  }

  /**
   * What one version added and removed. A rewritten file's unchanged rows (copy-on-write) are in
   * both a removed and an added file; they cancel out, so only real changes are reported. The rows
   * of the version's removed files are held in memory for that.
   */
  private <T> Stream<Change<T>> changesOf(
      Snapshot s, org.apache.iceberg.Schema projected, StructShape<T> shape) {
    long id = s.snapshotId();
    org.apache.iceberg.SnapshotChanges files =
        org.apache.iceberg.SnapshotChanges.builderFor(table).snapshot(s).build();
    List<DataFile> added = new ArrayList<>();
    files.addedDataFiles().forEach(added::add);
    if (DataOperations.APPEND.equals(s.operation())) {
      return added.stream()
          .flatMap(f -> rows(f, projected))
          .map(r -> new Change<>(Change.Kind.ADDED, ValueReaders.struct(shape, r), id));
    }
    Map<Record, Integer> removed = new HashMap<>();
    Stream<Record> addedRows;
    if (meetsRowDeletes(s)) {
      // Row-level deletes (merge-on-read): compare the live rows of every file whose rows or
      // delete files the version changed, before and after it.
      Map<String, FileScanTask> before = tasksAt(s.parentId());
      Map<String, FileScanTask> after = tasksAt(id);
      List<FileScanTask> then = new ArrayList<>();
      List<FileScanTask> now = new ArrayList<>();
      for (Map.Entry<String, FileScanTask> e : before.entrySet()) {
        FileScanTask later = after.get(e.getKey());
        if (later == null || !deleteFiles(later).equals(deleteFiles(e.getValue()))) {
          then.add(e.getValue());
          if (later != null) {
            now.add(later);
          }
        }
      }
      after.forEach(
          (file, task) -> {
            if (!before.containsKey(file)) {
              now.add(task);
            }
          });
      for (FileScanTask t : then) {
        try (Stream<Record> rows = liveRows(t, projected)) {
          rows.forEach(r -> removed.merge(r, 1, Integer::sum));
        }
      }
      addedRows = now.stream().flatMap(t -> liveRows(t, projected));
    } else {
      for (DataFile f : files.removedDataFiles()) {
        try (Stream<Record> rows = rows(f, projected)) {
          rows.forEach(r -> removed.merge(r, 1, Integer::sum));
        }
      }
      addedRows = added.stream().flatMap(f -> rows(f, projected));
    }
    Stream<Change<T>> adds =
        addedRows
            .filter(r -> !takeOne(removed, r))
            .map(r -> new Change<>(Change.Kind.ADDED, ValueReaders.struct(shape, r), id));
    // Lazily, so that the removed rows left are those no added row carried over.
    Stream<Change<T>> removes =
        Stream.<Map<Record, Integer>>of(removed)
            .flatMap(m -> m.entrySet().stream())
            .flatMap(
                e ->
                    Collections.nCopies(
                        e.getValue(),
                        new Change<>(
                            Change.Kind.REMOVED, ValueReaders.struct(shape, e.getKey()), id))
                        .stream());
    return Stream.concat(adds, removes);
  }

  /** The file tasks of a version (one per data file, with its delete files), by data file. */
  private Map<String, FileScanTask> tasksAt(Long version) {
    Map<String, FileScanTask> out = new HashMap<>();
    if (version == null) {
      return out;
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(version).planFiles()) {
      tasks.forEach(t -> out.put(t.file().location(), t));
    } catch (IOException e) {
      throw new StoreException(
          "Cannot plan the files of "
              + info.identifier()
              + " at version "
              + version
              + ": "
              + e.getMessage(),
          e);
    }
    return out;
  }

  private static java.util.Set<String> deleteFiles(FileScanTask task) {
    java.util.Set<String> out = new java.util.HashSet<>();
    task.deletes().forEach(d -> out.add(d.location()));
    return out;
  }

  /**
   * A task's rows that its delete files leave, as records of exactly {@code projected} (deletes may
   * read more columns, such as the row position, which must not tell equal rows apart).
   */
  private Stream<Record> liveRows(FileScanTask task, org.apache.iceberg.Schema projected) {
    return IcebergReadSplit.records(
            table, projected, task, info.identifier() + " (" + task.file().location() + ")")
        .map(
            r -> {
              Record out = org.apache.iceberg.data.GenericRecord.create(projected);
              for (org.apache.iceberg.types.Types.NestedField f : projected.columns()) {
                out.setField(f.name(), r.getField(f.name()));
              }
              return out;
            });
  }

  /** Takes one of {@code row} out of {@code counts}; whether there was one. */
  private static boolean takeOne(Map<Record, Integer> counts, Record row) {
    Integer n = counts.get(row);
    if (n == null) {
      return false;
    }
    if (n == 1) {
      counts.remove(row);
    } else {
      counts.put(row, n - 1);
    }
    return true;
  }

  private Stream<Record> rows(DataFile f, org.apache.iceberg.Schema projected) {
    CloseableIterable<Record> records =
        Parquet.read(table.io().newInputFile(f.location()))
            .project(projected)
            .createReaderFunc(
                fileSchema -> GenericParquetReaders.buildReader(projected, fileSchema))
            .build();
    return records(records, info.identifier() + " (" + f.location() + ")");
  }

  @Override
  public Volume volume(OptionalLong version) {
    if (version.isEmpty()) {
      return Volume.NONE;
    }
    Snapshot s = table.snapshot(version.getAsLong());
    if (s == null) {
      return Volume.UNKNOWN;
    }
    Map<String, String> sum = s.summary();
    return sum.containsKey("total-records")
        ? new Volume(
            count(sum, "total-records"),
            count(sum, "total-data-files"),
            count(sum, "total-files-size"))
        : Volume.UNKNOWN;
  }

  @Override
  public Map<String, String> publishedSummary() {
    table.refresh();
    return RunIndex.latestPublished(table).map(Snapshot::summary).orElse(Map.of());
  }

  @Override
  public Optional<Map<String, String>> publishedSummary(String runId) {
    table.refresh();
    return RunIndex.find(table, runId)
        .map(RunIndex.Entry::snapshot)
        .filter(java.util.Objects::nonNull)
        .map(Snapshot::summary);
  }

  @Override
  public boolean hasPublished(String runId) {
    table.refresh();
    return RunIndex.find(table, runId).isPresent();
  }

  /** The file tasks {@code scan} covers (a non-empty version), with their delete files. */
  private List<FileScanTask> plan(Scan scan) {
    return tasks(scan, Expressions.alwaysTrue());
  }

  /**
   * The file tasks {@code scan} covers (a non-empty version) whose partition values and column
   * metrics do not rule out every row matching {@code filter}.
   */
  private List<FileScanTask> tasks(Scan scan, Expression filter) {
    long version = scan.version().getAsLong();
    List<FileScanTask> planned = new ArrayList<>();
    if (scan.incremental() && scan.after().getAsLong() == version) {
      // Nothing appended since: Iceberg refuses a range whose start is its end.
      return planned;
    }
    try (CloseableIterable<FileScanTask> tasks =
        scan.incremental()
            ? table
                .newIncrementalAppendScan()
                .fromSnapshotExclusive(scan.after().getAsLong())
                .toSnapshot(version)
                .filter(filter)
                .planFiles()
            : table.newScan().useSnapshot(version).filter(filter).planFiles()) {
      tasks.forEach(planned::add);
    } catch (IOException | IllegalArgumentException e) {
      throw new StoreException(
          "Cannot plan the files of " + info.identifier() + ": " + e.getMessage(), e);
    }
    return planned;
  }

  @Override
  public <T> Optional<Stream<T>> read(StructShape<T> shape, Scan scan, Filter where) {
    if (scan.version().isEmpty()) {
      return Optional.of(Stream.empty());
    }
    List<FileScanTask> tasks = tasks(scan, IcebergFilters.expression(where, table.schema()));
    return filtered(table, info.identifier(), tasks, shape, where);
  }

  /**
   * The rows of {@code tasks} that match {@code where}, decoded straight into the shape where it is
   * flat and the file has no delete files (others go through Iceberg's generic records with their
   * deletes applied); empty when the shape is not flat (the caller filters whole rows).
   */
  static <T> Optional<Stream<T>> filtered(
      Table table, String name, List<FileScanTask> tasks, StructShape<T> shape, Filter where) {
    Optional<ShapeReader<T>> direct = ShapeReader.of(shape, table.schema(), where);
    if (direct.isEmpty()) {
      return Optional.empty();
    }
    java.util.Set<String> columns = new java.util.LinkedHashSet<>(columns(shape));
    columns.addAll(where.columns());
    org.apache.iceberg.Schema projected = table.schema().select(columns);
    return Optional.of(
        tasks.stream()
            .flatMap(
                task -> {
                  String what = name + " (" + task.file().location() + ")";
                  if (!IcebergReadSplit.positionDeletesOnly(task)) {
                    return IcebergReadSplit.records(table, projected, task, what)
                        .filter(r -> where.test(r::getField))
                        .map(r -> ValueReaders.struct(shape, r));
                  }
                  return direct
                      .get()
                      .read(
                          IcebergReadSplit.dataFile(table, task),
                          task.start(),
                          task.length(),
                          IcebergReadSplit.deletedPositions(table, task, projected),
                          what)
                      .orElseGet(
                          () ->
                              IcebergReadSplit.records(table, projected, task, what)
                                  .filter(r -> where.test(r::getField))
                                  .map(r -> ValueReaders.struct(shape, r)));
                }));
  }

  @Override
  public Optional<Stream<dev.meshwork.spi.ColumnBatch>> readColumns(
      dev.meshwork.core.schema.StructType columns, Scan scan, int batchRows) {
    if (scan.version().isEmpty()) {
      return Optional.of(Stream.empty());
    }
    Optional<dev.meshwork.iceberg.internal.parquet.BatchReader> reader =
        dev.meshwork.iceberg.internal.parquet.BatchReader.of(columns, table.schema());
    if (reader.isEmpty()) {
      return Optional.empty();
    }
    List<FileScanTask> tasks = plan(scan);
    if (tasks.stream().anyMatch(t -> !t.deletes().isEmpty())) {
      // Rows that deletes remove are left out row by row.
      return Optional.empty();
    }
    dev.meshwork.spi.ColumnBatch batch = new dev.meshwork.spi.ColumnBatch(reader.get().widths());
    org.apache.iceberg.Schema projected =
        table.schema().select(columns.fields().stream().map(f -> f.name()).toList());
    return Optional.of(
        tasks.stream()
            .flatMap(
                task -> {
                  String what = info.identifier() + " (" + task.file().location() + ")";
                  return reader
                      .get()
                      .read(
                          IcebergReadSplit.dataFile(table, task),
                          task.start(),
                          task.length(),
                          batch,
                          batchRows,
                          what)
                      .orElseGet(
                          () ->
                              dev.meshwork.iceberg.internal.parquet.BatchReader.fromRecords(
                                  IcebergReadSplit.records(table, projected, task, what),
                                  columns,
                                  batch,
                                  batchRows));
                }));
  }

  @Override
  public List<ReadSplit> splits(Scan scan, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, but was " + count);
    }
    if (scan.version().isEmpty()) {
      return List.of();
    }
    List<FileScanTask> planned = plan(scan);
    // Largest first onto the lightest share: shares of about equal bytes.
    planned.sort(
        Comparator.comparingLong((FileScanTask t) -> t.file().fileSizeInBytes()).reversed());
    int n = Math.min(count, Math.max(1, planned.size()));
    List<List<FileScanTask>> shares = new ArrayList<>();
    long[] bytes = new long[n];
    for (int i = 0; i < n; i++) {
      shares.add(new ArrayList<>());
    }
    for (FileScanTask t : planned) {
      int lightest = 0;
      for (int i = 1; i < n; i++) {
        if (bytes[i] < bytes[lightest]) {
          lightest = i;
        }
      }
      shares.get(lightest).add(t);
      bytes[lightest] += t.file().fileSizeInBytes();
    }
    Table copy = SerializableTable.copyOf(table);
    List<ReadSplit> out = new ArrayList<>();
    for (List<FileScanTask> share : shares) {
      out.add(new IcebergReadSplit(copy, info.identifier(), share));
    }
    return out;
  }
}
