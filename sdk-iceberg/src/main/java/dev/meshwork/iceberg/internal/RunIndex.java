package dev.meshwork.iceberg.internal;

import dev.meshwork.core.SummaryKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Which run published which version of a table: one table property per recent run, set in the same
 * Iceberg transaction as the version, so that finding a run costs no walk of the history (a
 * streaming job commits thousands of times) and survives the expiry of the run's snapshot. The
 * index keeps the most recent {@link #SIZE} runs; a rerun of a run older than that is not
 * recognised. Key-level properties merge safely when concurrent commits retry.
 */
final class RunIndex {
  /** Runs kept by default (table property {@code meshwork.published-runs}): ~100 bytes each. */
  static final int SIZE = 256;

  private RunIndex() {}

  /**
   * A run's published version: its snapshot (null once expired), what it added and the rows and
   * files it removed (an overwrite, upsert or delete).
   */
  record Entry(
      long snapshotId,
      Snapshot snapshot,
      long rows,
      long files,
      long bytes,
      long removedRows,
      long removedFiles) {}

  /** The version {@code runId} published on main, if any. */
  static Optional<Entry> find(Table table, String runId) {
    return find(table.properties(), table.currentSnapshot(), table::snapshot, runId);
  }

  /**
   * Whether the table version {@code metadata} holds a version of {@code runId}: the check a commit
   * makes against the very metadata it replaces.
   */
  static boolean holds(TableMetadata metadata, String runId) {
    return find(metadata.properties(), metadata.currentSnapshot(), metadata::snapshot, runId)
        .isPresent();
  }

  private static Optional<Entry> find(
      Map<String, String> props,
      Snapshot current,
      java.util.function.LongFunction<Snapshot> snapshots,
      String runId) {
    String value = props.get(SummaryKeys.PUBLISHED_RUN_PREFIX + runId);
    if (value != null) {
      String[] f = value.split(":");
      long id = Long.parseLong(f[0]);
      return Optional.of(
          new Entry(
              id,
              snapshots.apply(id),
              Long.parseLong(f[2]),
              Long.parseLong(f[3]),
              Long.parseLong(f[4]),
              f.length > 5 ? Long.parseLong(f[5]) : 0,
              f.length > 6 ? Long.parseLong(f[6]) : 0));
    }
    if (props.containsKey(SummaryKeys.PUBLISHED_RUNS) || current == null) {
      return Optional.empty();
    }
    // A table published before it had an index: its history is the only record.
    for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), snapshots::apply)) {
      if (runId.equals(s.summary().get(SummaryKeys.RUN_ID))) {
        return Optional.of(entry(s));
      }
    }
    return Optional.empty();
  }

  /**
   * The latest version of main a run published: the current one, or, when maintenance rewrote the
   * table since (compaction's {@code replace} snapshots), the last one before that; its summary
   * says what that run consumed. Empty for a table without versions.
   */
  static Optional<Snapshot> latestPublished(Table table) {
    for (Snapshot s : SnapshotUtil.currentAncestors(table)) {
      if (!s.summary().containsKey(Compaction.SUMMARY_KEY)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The index size the table asks for ({@code meshwork.published-runs}), else {@link #SIZE}. */
  private static int size(Map<String, String> props) {
    try {
      int n = Integer.parseInt(props.getOrDefault(SummaryKeys.PUBLISHED_RUNS, ""));
      return n > 0 ? n : SIZE;
    } catch (NumberFormatException e) {
      return SIZE;
    }
  }

  /** The entry of an existing snapshot: rows a copy-on-write commit rewrote do not count. */
  static Entry entry(Snapshot s) {
    long[] added = RowLevelPlan.added(s.summary());
    return new Entry(
        s.snapshotId(),
        s,
        added[0],
        added[1],
        added[2],
        RowLevelPlan.removedRows(s.summary()),
        summaryLong(s, "deleted-data-files"));
  }

  private static long summaryLong(Snapshot s, String key) {
    String v = s.summary().get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  /**
   * Adds the version {@code published} of {@code runIds} (one run, or the runs whose rows it
   * carries together) to the index, in {@code txn}, dropping the oldest entries beyond the size.
   */
  static void record(Transaction txn, java.util.Collection<String> runIds, Snapshot published) {
    Entry e = entry(published);
    int size = size(txn.table().properties());
    String value =
        e.snapshotId()
            + ":"
            + published.sequenceNumber()
            + ":"
            + e.rows()
            + ":"
            + e.files()
            + ":"
            + e.bytes()
            + ":"
            + e.removedRows()
            + ":"
            + e.removedFiles();
    UpdateProperties update =
        txn.updateProperties().set(SummaryKeys.PUBLISHED_RUNS, String.valueOf(size));
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (String runId : runIds) {
      keys.add(SummaryKeys.PUBLISHED_RUN_PREFIX + runId);
      update.set(SummaryKeys.PUBLISHED_RUN_PREFIX + runId, value);
    }
    List<Map.Entry<String, String>> kept = new ArrayList<>();
    for (Map.Entry<String, String> p : txn.table().properties().entrySet()) {
      if (p.getKey().startsWith(SummaryKeys.PUBLISHED_RUN_PREFIX) && !keys.contains(p.getKey())) {
        kept.add(p);
      }
    }
    int excess = kept.size() + keys.size() - size;
    if (excess > 0) {
      kept.sort(Comparator.comparingLong(p -> Long.parseLong(p.getValue().split(":")[1])));
      for (int i = 0; i < excess && i < kept.size(); i++) {
        update.remove(kept.get(i).getKey());
      }
    }
    update.commit();
  }
}
