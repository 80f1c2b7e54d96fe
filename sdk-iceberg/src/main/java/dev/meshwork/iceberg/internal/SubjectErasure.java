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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
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
 *
 * <p>Equality delete files another engine wrote with the subject's values (a key column that
 * identifies the subject) are rewritten without those rows, in the same commit, keeping their data
 * sequence number so that they go on deleting what else they delete: once the rows the subject had
 * are physically gone, deletes of them change nothing, and the values must not stay on disk.
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
      List<DeleteFile> keyed = equalityDeletesHolding(t, t.currentSnapshot(), where);
      if (plan.touchesFiles() || !keyed.isEmpty()) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put(SummaryKeys.RUN_ID, erasureId);
        summary.put(SummaryKeys.ERASURE_ID, erasureId);
        summary.put(Compaction.SUMMARY_KEY, "erasure");
        List<String> written = new ArrayList<>();
        try {
          Transaction txn = OncePerRun.newTransaction(t, List.of(erasureId));
          if (plan.touchesFiles()) {
            plan.apply(txn, List.of(), summary);
            // The rewrite drops delete files that no longer apply to any file.
            keyed = equalityDeletesHolding(txn.table(), txn.table().currentSnapshot(), where);
          }
          if (!keyed.isEmpty()) {
            rewriteWithout(txn, keyed, where, summary, written);
          }
          RunIndex.record(txn, List.of(erasureId), txn.table().currentSnapshot());
          txn.commitTransaction();
        } catch (RuntimeException e) {
          IcebergOutputTable.deleteQuietly(t, plan.written(), id.toString());
          IcebergOutputTable.deleteQuietly(t, written, id.toString());
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
      if (!holding.contains(e.getKey())
          && !equalityDeletesHolding(t, t.snapshot(e.getKey()), where).isEmpty()) {
        holding.add(e.getKey());
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
    Set<String> keyedLeft = new java.util.TreeSet<>();
    for (Snapshot s : t.snapshots()) {
      equalityDeletesHolding(t, s, where).forEach(d -> keyedLeft.add(d.location()));
    }
    keyedLeft.forEach(d -> remaining.add(d + " (equality deletes)"));
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

  /**
   * The equality delete files of a version whose rows hold the subject: those keyed by every column
   * the subject is found by, with a row that matches.
   */
  private static List<DeleteFile> equalityDeletesHolding(Table t, Snapshot s, Filter where) {
    List<DeleteFile> out = new ArrayList<>();
    if (s == null) {
      return out;
    }
    Set<Integer> needed = new HashSet<>();
    for (String c : where.columns()) {
      needed.add(t.schema().findField(c).fieldId());
    }
    for (ManifestFile m : s.deleteManifests(t.io())) {
      try (CloseableIterable<DeleteFile> files =
          ManifestFiles.readDeleteManifest(m, t.io(), t.specs())) {
        for (DeleteFile d : files) {
          if (d.content() == FileContent.EQUALITY_DELETES
              && d.equalityFieldIds().containsAll(needed)
              && RowLevelPlan.holds(t, d.location(), where)) {
            out.add(d.copy());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /**
   * Replaces each of {@code files} (equality deletes holding the subject) with a copy of its other
   * rows under the same data sequence number, or with nothing, in one rewrite of {@code txn}.
   */
  private static void rewriteWithout(
      Transaction txn,
      List<DeleteFile> files,
      Filter where,
      Map<String, String> summary,
      List<String> written) {
    Table t = txn.table();
    org.apache.iceberg.RewriteFiles rewrite =
        txn.newRewrite().validateFromSnapshot(t.currentSnapshot().snapshotId());
    for (DeleteFile d : files) {
      rewrite.deleteFile(d);
      org.apache.iceberg.Schema keys =
          org.apache.iceberg.types.TypeUtil.select(t.schema(), new HashSet<>(d.equalityFieldIds()));
      List<org.apache.iceberg.data.Record> kept = new ArrayList<>();
      try (CloseableIterable<org.apache.iceberg.data.Record> rows =
          org.apache.iceberg.parquet.Parquet.read(t.io().newInputFile(d.location()))
              .project(keys)
              .createReaderFunc(
                  fs -> org.apache.iceberg.data.parquet.GenericParquetReaders.buildReader(keys, fs))
              .build()) {
        for (org.apache.iceberg.data.Record r : rows) {
          if (!where.test(r::getField)) {
            kept.add(r.copy());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + d.location(), e);
      }
      if (kept.isEmpty()) {
        continue;
      }
      String location =
          t.locationProvider()
              .newDataLocation("erased-" + java.util.UUID.randomUUID() + "-eq-deletes.parquet");
      written.add(location);
      org.apache.iceberg.deletes.EqualityDeleteWriter<org.apache.iceberg.data.Record> writer;
      try {
        writer =
            org.apache.iceberg.parquet.Parquet.writeDeletes(t.io().newOutputFile(location))
                .forTable(t)
                .withSpec(t.specs().get(d.specId()))
                .withPartition(d.partition())
                .rowSchema(keys)
                .equalityFieldIds(d.equalityFieldIds())
                .createWriterFunc(org.apache.iceberg.data.parquet.GenericParquetWriter::create)
                .overwrite()
                .buildEqualityWriter();
        try (writer) {
          kept.forEach(writer::write);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + location, e);
      }
      rewrite.addFile(writer.toDeleteFile(), d.dataSequenceNumber());
    }
    summary.forEach(rewrite::set);
    Map<String, String> deleted = t.currentSnapshot().summary();
    if (Objects.equals(deleted.get(SummaryKeys.ERASURE_ID), summary.get(SummaryKeys.ERASURE_ID))) {
      // The run index records this, the erasure's last version: it carries the delete's figures.
      deleted.forEach(
          (k, v) -> {
            if (k.startsWith("meshwork.write.")) {
              rewrite.set(k, v);
            }
          });
    }
    rewrite.commit();
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
