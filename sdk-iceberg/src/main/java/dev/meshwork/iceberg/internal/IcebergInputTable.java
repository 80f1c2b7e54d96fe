package dev.meshwork.iceberg.internal;

import dev.meshwork.core.InputRead;
import dev.meshwork.core.StoreException;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.ReadSplit;
import dev.meshwork.spi.Scan;
import dev.meshwork.spi.TableInfo;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.StructShape;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** An upstream Iceberg table, read at one pinned snapshot or between two. */
final class IcebergInputTable implements InputTable {
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
    long version = scan.version().getAsLong();
    CloseableIterable<Record> records;
    try {
      records = IcebergGenerics.read(table).useSnapshot(version).select(columns(shape)).build();
    } catch (RuntimeException e) {
      throw new StoreException(
          "Cannot read " + info.identifier() + " at snapshot " + version + ": " + e.getMessage(),
          e);
    }
    return values(records, shape, info.identifier());
  }

  private static List<String> columns(StructShape<?> shape) {
    return shape.members().stream().map(Member::field).map(f -> f.name()).toList();
  }

  /** Records as values of {@code shape}; closing the stream closes the reader of {@code what}. */
  static <T> Stream<T> values(
      CloseableIterable<Record> records, StructShape<T> shape, String what) {
    return StreamSupport.stream(records.spliterator(), false)
        .map(r -> ValueReaders.struct(shape, r))
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
  public Appended appended(long after, long version) {
    table.refresh();
    List<Long> appends = new ArrayList<>();
    List<Long> skipped = new ArrayList<>();
    long rows = 0;
    Snapshot s = table.snapshot(version);
    while (s.snapshotId() != after) {
      String op = s.operation();
      if (DataOperations.APPEND.equals(op)) {
        appends.add(s.snapshotId());
        String added = s.summary().get("added-records");
        rows += added == null ? 0 : Long.parseLong(added);
      } else if (DataOperations.REPLACE.equals(op)) {
        skipped.add(s.snapshotId());
      } else {
        throw new StoreException(
            "Cannot read "
                + info.identifier()
                + " incrementally after version "
                + after
                + ": version "
                + describe(s)
                + " is not an append, it "
                + (DataOperations.DELETE.equals(op) ? "deleted" : "overwrote")
                + " rows that may already have been consumed. Re-read the whole table with"
                + " InputRead.latest() (and replace what was derived from it), or continue with"
                + " InputRead.appendedAfter("
                + s.snapshotId()
                + ") to take only what was appended after it.");
      }
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
    return new Appended(appends, rows, skipped);
  }

  @Override
  public long rows(OptionalLong version) {
    if (version.isEmpty()) {
      return 0;
    }
    Snapshot s = table.snapshot(version.getAsLong());
    String total = s == null ? null : s.summary().get("total-records");
    return total == null ? -1 : Long.parseLong(total);
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

  /** The file tasks {@code scan} covers (a non-empty version). */
  private List<FileScanTask> plan(Scan scan) {
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
                .planFiles()
            : table.newScan().useSnapshot(version).planFiles()) {
      for (FileScanTask t : tasks) {
        if (!t.deletes().isEmpty()) {
          throw new StoreException(
              "Cannot read "
                  + info.identifier()
                  + " file by file: snapshot "
                  + version
                  + " has delete files (written by another engine). Read its whole version"
                  + " through the input port on the coordinator instead.");
        }
        planned.add(t);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new StoreException(
          "Cannot plan the files of " + info.identifier() + ": " + e.getMessage(), e);
    }
    return planned;
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
