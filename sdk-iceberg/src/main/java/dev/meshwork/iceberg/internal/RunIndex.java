package dev.meshwork.iceberg.internal;

import dev.meshwork.core.SummaryKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
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

  /** A run's published version: its snapshot (null once expired) and what it added. */
  record Entry(long snapshotId, Snapshot snapshot, long rows, long files, long bytes) {}

  /** The version {@code runId} published on main, if any. */
  static Optional<Entry> find(Table table, String runId) {
    Map<String, String> props = table.properties();
    String value = props.get(SummaryKeys.PUBLISHED_RUN_PREFIX + runId);
    if (value != null) {
      String[] f = value.split(":");
      long id = Long.parseLong(f[0]);
      return Optional.of(
          new Entry(
              id,
              table.snapshot(id),
              Long.parseLong(f[2]),
              Long.parseLong(f[3]),
              Long.parseLong(f[4])));
    }
    if (props.containsKey(SummaryKeys.PUBLISHED_RUNS) || table.currentSnapshot() == null) {
      return Optional.empty();
    }
    // A table published before it had an index: its history is the only record.
    for (Snapshot s : SnapshotUtil.currentAncestors(table)) {
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

  /** The entry of an existing snapshot. */
  static Entry entry(Snapshot s) {
    return new Entry(
        s.snapshotId(),
        s,
        summaryLong(s, "added-records"),
        summaryLong(s, "added-data-files"),
        summaryLong(s, "added-files-size"));
  }

  private static long summaryLong(Snapshot s, String key) {
    String v = s.summary().get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  /**
   * Adds {@code runId}'s version {@code published} to the index, in {@code txn}, dropping the
   * oldest entries beyond {@link #SIZE}.
   */
  static void record(Transaction txn, String runId, Snapshot published) {
    Entry e = entry(published);
    int size = size(txn.table().properties());
    UpdateProperties update =
        txn.updateProperties()
            .set(SummaryKeys.PUBLISHED_RUNS, String.valueOf(size))
            .set(
                SummaryKeys.PUBLISHED_RUN_PREFIX + runId,
                e.snapshotId()
                    + ":"
                    + published.sequenceNumber()
                    + ":"
                    + e.rows()
                    + ":"
                    + e.files()
                    + ":"
                    + e.bytes());
    List<Map.Entry<String, String>> kept = new ArrayList<>();
    for (Map.Entry<String, String> p : txn.table().properties().entrySet()) {
      if (p.getKey().startsWith(SummaryKeys.PUBLISHED_RUN_PREFIX) && !p.getKey().endsWith(runId)) {
        kept.add(p);
      }
    }
    int excess = kept.size() + 1 - size;
    if (excess > 0) {
      kept.sort(Comparator.comparingLong(p -> Long.parseLong(p.getValue().split(":")[1])));
      for (int i = 0; i < excess; i++) {
        update.remove(kept.get(i).getKey());
      }
    }
    update.commit();
  }
}
