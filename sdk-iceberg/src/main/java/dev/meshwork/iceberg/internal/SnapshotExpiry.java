package dev.meshwork.iceberg.internal;

import dev.meshwork.core.SummaryKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires a table's snapshots older than a cut-off, keeping the current one, every branch and tag,
 * and what each consumer's latest published run read: the version it read (or, for an incremental
 * read, the version its range started after) is pinned first with a tag {@code
 * meshwork-consumed-by.<consumer table>.<port>}, moved as the consumer moves on, so that other
 * engines see (and keep) it too, and every later version on the current line is kept, since the
 * consumer's next incremental read (or a rerun of its latest run) walks them.
 */
public final class SnapshotExpiry {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotExpiry.class);

  /** The prefix of the tags that pin what consumers recorded as consumed. */
  public static final String CONSUMER_TAG = "meshwork-consumed-by.";

  private SnapshotExpiry() {}

  /**
   * A version a consumer needs: the one it read, or, for an incremental consumer, the one its range
   * started after, with every later version on the line (its next read walks them).
   */
  public record Pin(long snapshotId, Keep keep) {}

  /** What a pin keeps. */
  public enum Keep {
    /** The pinned version. */
    VERSION,
    /** The pinned version and every later one on the current line. */
    LINE
  }

  /** What one table's expiry did. */
  public record Result(String table, int expired, int kept, List<String> pins) {}

  /**
   * The versions of every table in {@code catalog} that a consumer's latest published version
   * (skipping compactions) recorded as consumed, by source table: consumer table and port →
   * snapshot id. Tables that cannot be loaded are skipped with a warning.
   */
  public static Map<String, Map<String, Pin>> consumed(Catalog catalog) {
    Map<String, Map<String, Pin>> bySource = new HashMap<>();
    if (!(catalog instanceof SupportsNamespaces namespaces)) {
      return bySource;
    }
    List<Namespace> open = new ArrayList<>(namespaces.listNamespaces());
    while (!open.isEmpty()) {
      Namespace ns = open.remove(open.size() - 1);
      open.addAll(namespaces.listNamespaces(ns));
      for (TableIdentifier id : catalog.listTables(ns)) {
        Snapshot current;
        try {
          current = RunIndex.latestPublished(catalog.loadTable(id)).orElse(null);
        } catch (RuntimeException e) {
          LOG.warn("Skipping {} while looking for consumers: {}", id, e.getMessage());
          continue;
        }
        if (current == null) {
          continue;
        }
        for (Map.Entry<String, String> e : current.summary().entrySet()) {
          String key = e.getKey();
          if (!key.startsWith(SummaryKeys.INPUT_PREFIX) || !key.endsWith(".table")) {
            continue;
          }
          String port =
              key.substring(SummaryKeys.INPUT_PREFIX.length(), key.length() - ".table".length());
          // A rerun of that run reads its range again: keep from where the range started.
          String after = current.summary().get(SummaryKeys.inputAfterSnapshotId(port));
          String snapshot =
              after != null ? after : current.summary().get(SummaryKeys.inputSnapshotId(port));
          if (snapshot == null || !snapshot.matches("-?\\d+")) {
            continue;
          }
          String read = current.summary().getOrDefault(SummaryKeys.inputRead(port), "");
          boolean incremental =
              after != null
                  || read.startsWith("incremental")
                  || read.startsWith("changes")
                  || read.startsWith("appended after");
          bySource
              .computeIfAbsent(e.getValue(), k -> new HashMap<>())
              .put(
                  id + "." + port,
                  new Pin(Long.parseLong(snapshot), incremental ? Keep.LINE : Keep.VERSION));
        }
      }
    }
    return bySource;
  }

  /**
   * Pins the versions {@code consumers} need, then expires the snapshots of {@code id} older than
   * {@code cutoff} (deleting the files only they held).
   */
  public static Result expire(
      Catalog catalog, TableIdentifier id, Instant cutoff, Map<String, Pin> consumers) {
    if (!catalog.tableExists(id)) {
      return new Result(id.toString(), 0, 0, List.of());
    }
    Table t = catalog.loadTable(id);
    if (t.currentSnapshot() == null) {
      return new Result(id.toString(), 0, 0, List.of());
    }
    List<String> pins = new ArrayList<>();
    var refs = t.manageSnapshots();
    boolean changed = false;
    for (Map.Entry<String, Pin> c : consumers.entrySet()) {
      String tag = CONSUMER_TAG + c.getKey();
      SnapshotRef ref = t.refs().get(tag);
      long pinned = c.getValue().snapshotId();
      if (t.snapshot(pinned) == null) {
        LOG.warn(
            "{} recorded version {} of {} as consumed, which no longer exists",
            c.getKey(),
            pinned,
            id);
        continue;
      }
      if (ref == null) {
        refs.createTag(tag, pinned);
        changed = true;
      } else if (ref.snapshotId() != pinned) {
        refs.replaceTag(tag, pinned);
        changed = true;
      }
      pins.add(tag + "=" + pinned);
    }
    if (changed) {
      refs.commit();
      t.refresh();
    }
    java.util.Set<Long> before = ids(t);
    java.util.Set<Long> lines = new java.util.HashSet<>();
    consumers.values().stream()
        .filter(p -> p.keep() == Keep.LINE)
        .forEach(p -> lines.add(p.snapshotId()));
    long keepFrom = Math.min(cutoff.toEpochMilli(), oldestPinnedAncestor(t, lines));
    if (keepFrom < cutoff.toEpochMilli()) {
      LOG.info(
          "Keeping the versions of {} since {}: a consumer's next incremental read starts there",
          id,
          Instant.ofEpochMilli(keepFrom));
    }
    t.expireSnapshots().expireOlderThan(keepFrom).retainLast(1).commit();
    t.refresh();
    java.util.Set<Long> after = ids(t);
    // Counted by id: writers may have added versions meanwhile.
    before.removeAll(after);
    if (!before.isEmpty()) {
      LOG.info("Expired {} snapshots of {}; {} kept", before.size(), id, after.size());
    }
    return new Result(id.toString(), before.size(), after.size(), pins);
  }

  /**
   * The time of the oldest consumed version on the current version's line of ancestors: an
   * incremental read walks from the current version back to it, so every version after it stays.
   */
  private static long oldestPinnedAncestor(Table t, java.util.Collection<Long> consumed) {
    long oldest = Long.MAX_VALUE;
    for (Snapshot s = t.currentSnapshot();
        s != null;
        s = s.parentId() == null ? null : t.snapshot(s.parentId())) {
      if (consumed.contains(s.snapshotId())) {
        oldest = Math.min(oldest, s.timestampMillis());
      }
    }
    return oldest;
  }

  private static java.util.Set<Long> ids(Table t) {
    java.util.Set<Long> ids = new java.util.HashSet<>();
    for (Snapshot s : t.snapshots()) {
      ids.add(s.snapshotId());
    }
    return ids;
  }
}
