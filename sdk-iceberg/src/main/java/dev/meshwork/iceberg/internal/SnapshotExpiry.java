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
 * and the version each consumer's latest published run recorded as consumed: those are pinned first
 * with a tag {@code meshwork-consumed-by.<consumer table>.<port>}, moved as the consumer moves on,
 * so that other engines see (and keep) them too.
 */
public final class SnapshotExpiry {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotExpiry.class);

  /** The prefix of the tags that pin what consumers recorded as consumed. */
  public static final String CONSUMER_TAG = "meshwork-consumed-by.";

  private SnapshotExpiry() {}

  /** What one table's expiry did. */
  public record Result(String table, int expired, int kept, List<String> pins) {}

  /**
   * The versions of every table in {@code catalog} that a consumer's latest published version
   * (skipping compactions) recorded as consumed, by source table: consumer table and port →
   * snapshot id. Tables that cannot be loaded are skipped with a warning.
   */
  public static Map<String, Map<String, Long>> consumed(Catalog catalog) {
    Map<String, Map<String, Long>> bySource = new HashMap<>();
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
          String snapshot = current.summary().get(SummaryKeys.inputSnapshotId(port));
          if (snapshot == null || !snapshot.matches("-?\\d+")) {
            continue;
          }
          bySource
              .computeIfAbsent(e.getValue(), k -> new HashMap<>())
              .put(id + "." + port, Long.parseLong(snapshot));
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
      Catalog catalog, TableIdentifier id, Instant cutoff, Map<String, Long> consumers) {
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
    for (Map.Entry<String, Long> c : consumers.entrySet()) {
      String tag = CONSUMER_TAG + c.getKey();
      SnapshotRef ref = t.refs().get(tag);
      if (t.snapshot(c.getValue()) == null) {
        LOG.warn(
            "{} recorded version {} of {} as consumed, which no longer exists",
            c.getKey(),
            c.getValue(),
            id);
        continue;
      }
      if (ref == null) {
        refs.createTag(tag, c.getValue());
        changed = true;
      } else if (ref.snapshotId() != c.getValue()) {
        refs.replaceTag(tag, c.getValue());
        changed = true;
      }
      pins.add(tag + "=" + c.getValue());
    }
    if (changed) {
      refs.commit();
      t.refresh();
    }
    java.util.Set<Long> before = ids(t);
    t.expireSnapshots().expireOlderThan(cutoff.toEpochMilli()).retainLast(1).commit();
    t.refresh();
    java.util.Set<Long> after = ids(t);
    // Counted by id: writers may have added versions meanwhile.
    before.removeAll(after);
    if (!before.isEmpty()) {
      LOG.info("Expired {} snapshots of {}; {} kept", before.size(), id, after.size());
    }
    return new Result(id.toString(), before.size(), after.size(), pins);
  }

  private static java.util.Set<Long> ids(Table t) {
    java.util.Set<Long> ids = new java.util.HashSet<>();
    for (Snapshot s : t.snapshots()) {
      ids.add(s.snapshotId());
    }
    return ids;
  }
}
