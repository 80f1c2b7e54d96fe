package dev.meshwork.iceberg.internal;

import dev.meshwork.core.ErasureReport;
import dev.meshwork.core.Filter;
import dev.meshwork.core.SummaryKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases a data subject's rows from one Iceberg table, its history and its storage: a copy-on-write
 * delete that rewrites every file physically holding a matching row (one snapshot, recorded under
 * the erasure id, marked as maintenance so that consumers' positions stay with the last run's
 * version); every older version that still refers to a file holding the subject is expired, with
 * the files only such versions held (Meshwork's consumer pins and audit branches on them are
 * removed first; versions that hold nothing of the subject stay, and so do the pins on them);
 * unreferenced files under the table that hold the subject are deleted; and every data file of
 * every version left is read back.
 */
public final class SubjectErasure {
  private static final Logger LOG = LoggerFactory.getLogger(SubjectErasure.class);

  private SubjectErasure() {}

  /** Erases the rows {@code where} matches from {@code id}; empty when the table does not exist. */
  public static Optional<ErasureReport.TableErasure> erase(
      Catalog catalog,
      TableIdentifier id,
      String product,
      String port,
      List<String> columns,
      Filter where,
      String erasureId) {
    if (!catalog.tableExists(id)) {
      return Optional.empty();
    }
    Table t = catalog.loadTable(id);
    List<String> consumers =
        new ArrayList<>(
            new TreeSet<>(
                SnapshotExpiry.consumed(catalog).getOrDefault(id.toString(), Map.of()).keySet()));
    Long version = null;
    long deleted = 0;
    Optional<RunIndex.Entry> earlier = RunIndex.find(t, erasureId);
    if (earlier.isPresent()) {
      version = earlier.get().snapshotId();
      deleted = earlier.get().removedRows();
    } else if (t.currentSnapshot() != null) {
      RowLevelPlan plan = RowLevelPlan.erasure(t, where, id.toString());
      if (plan.touchesFiles()) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put(SummaryKeys.RUN_ID, erasureId);
        summary.put(SummaryKeys.ERASURE_ID, erasureId);
        summary.put(Compaction.SUMMARY_KEY, "erasure");
        try {
          Transaction txn = OncePerRun.newTransaction(t, List.of(erasureId));
          plan.apply(txn, List.of(), summary);
          RunIndex.record(txn, List.of(erasureId), txn.table().currentSnapshot());
          txn.commitTransaction();
        } catch (RuntimeException e) {
          IcebergOutputTable.deleteQuietly(t, plan.written(), id.toString());
          throw e;
        }
        t.refresh();
        RunIndex.Entry e = RunIndex.find(t, erasureId).orElseThrow();
        version = e.snapshotId();
        deleted = e.removedRows();
      }
    }
    // The versions that still hold the subject: those referring to a file that holds a row of it.
    Map<String, Boolean> holds = new java.util.HashMap<>();
    Set<Long> holding = new java.util.LinkedHashSet<>();
    Map<Long, Set<String>> filesOf = new LinkedHashMap<>();
    for (Snapshot s : t.snapshots()) {
      filesOf.put(s.snapshotId(), dataFiles(t, s));
    }
    long current = t.currentSnapshot() == null ? -1 : t.currentSnapshot().snapshotId();
    for (Map.Entry<Long, Set<String>> e : filesOf.entrySet()) {
      if (e.getKey() == current) {
        continue;
      }
      for (String f : e.getValue()) {
        if (holds.computeIfAbsent(f, x -> RowLevelPlan.holds(t, x, where))) {
          holding.add(e.getKey());
          break;
        }
      }
    }
    List<String> dropped = dropMeshworkRefs(t, holding);
    int expired = 0;
    int[] removedFiles = {0};
    Set<Long> referenced = new HashSet<>();
    t.refs().values().forEach(r -> referenced.add(r.snapshotId()));
    holding.removeAll(referenced);
    if (!holding.isEmpty()) {
      org.apache.iceberg.ExpireSnapshots expire = t.expireSnapshots();
      holding.forEach(expire::expireSnapshotId);
      expire
          .deleteWith(
              path -> {
                t.io().deleteFile(path);
                if (path.endsWith(".parquet")) {
                  removedFiles[0]++;
                }
              })
          .commit();
      t.refresh();
      expired = holding.size();
    }
    Map<String, String> live = liveDataFiles(t);
    removedFiles[0] += removeUnreferenced(t, live.keySet(), where);
    List<String> remaining = new ArrayList<>();
    for (Map.Entry<String, String> f : live.entrySet()) {
      if (RowLevelPlan.holds(t, f.getKey(), where)) {
        remaining.add(f.getKey() + " (" + f.getValue() + ")");
      }
    }
    LOG.info(
        "Erasure {} of {}: {} rows deleted, {} snapshots expired, {} files removed, {} files read"
            + " back, {}",
        erasureId,
        id,
        deleted,
        expired,
        removedFiles[0],
        live.size(),
        remaining.isEmpty() ? "none holds the subject" : "still held by " + remaining);
    return Optional.of(
        new ErasureReport.TableErasure(
            product,
            port,
            id.toString(),
            columns,
            version,
            deleted,
            expired,
            removedFiles[0],
            live.size(),
            remaining,
            consumers,
            dropped));
  }

  /**
   * Removes the consumer pins and audit branches on versions that hold the subject: the erasure
   * must expire those versions. Other tags and branches stay (and fail the verification).
   */
  private static List<String> dropMeshworkRefs(Table t, Set<Long> holding) {
    List<String> dropped = new ArrayList<>();
    for (Map.Entry<String, SnapshotRef> r : t.refs().entrySet()) {
      String name = r.getKey();
      if ((name.startsWith(SnapshotExpiry.CONSUMER_TAG) || name.startsWith("audit-"))
          && holding.contains(r.getValue().snapshotId())) {
        dropped.add(name);
      }
    }
    if (!dropped.isEmpty()) {
      org.apache.iceberg.ManageSnapshots refs = t.manageSnapshots();
      for (String name : dropped) {
        if (t.refs().get(name).isBranch()) {
          refs.removeBranch(name);
        } else {
          refs.removeTag(name);
        }
      }
      refs.commit();
      t.refresh();
    }
    return dropped;
  }

  /** The data files a version refers to, by location. */
  private static Set<String> dataFiles(Table t, Snapshot s) {
    Set<String> out = new HashSet<>();
    for (ManifestFile m : s.dataManifests(t.io())) {
      try (CloseableIterable<DataFile> files = ManifestFiles.read(m, t.io(), t.specs())) {
        files.forEach(f -> out.add(f.location()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** Every data file of every version left, by location, with the versions that hold it. */
  private static Map<String, String> liveDataFiles(Table t) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Snapshot s : t.snapshots()) {
      for (String f : dataFiles(t, s)) {
        out.merge(f, "snapshot " + s.snapshotId(), (a, b) -> a + ", " + b);
      }
    }
    return out;
  }

  /**
   * Deletes the Parquet files under the table's data folder that no version refers to and that hold
   * the subject (files of failed or running attempts): whatever their age, since a run that would
   * publish them would publish the subject again.
   */
  private static int removeUnreferenced(Table t, Set<String> live, Filter where) {
    if (!(t.io() instanceof SupportsPrefixOperations io)) {
      return 0;
    }
    Set<String> referenced = new HashSet<>();
    live.forEach(l -> referenced.add(name(l)));
    for (Snapshot s : t.snapshots()) {
      for (ManifestFile m : s.deleteManifests(t.io())) {
        try (var files = ManifestFiles.readDeleteManifest(m, t.io(), t.specs())) {
          files.forEach(f -> referenced.add(name(f.location())));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    int removed = 0;
    for (FileInfo f : io.listPrefix(t.location() + "/data")) {
      if (!f.location().endsWith(".parquet") || referenced.contains(name(f.location()))) {
        continue;
      }
      try {
        if (RowLevelPlan.holds(t, f.location(), where)) {
          t.io().deleteFile(f.location());
          removed++;
        }
      } catch (RuntimeException e) {
        LOG.warn("Cannot check unreferenced file {}: {}", f.location(), e.getMessage());
      }
    }
    return removed;
  }

  private static String name(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }
}
