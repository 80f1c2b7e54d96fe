package dev.meshwork.iceberg.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.StructLikeWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites a table's small data files, and the files that row-level deletes apply to, partition by
 * partition, into files of about the table's target size, as one Iceberg {@code replace} snapshot
 * that keeps the live rows and the partition layout; other engines read it as any compaction. Rows
 * are read through their delete files, and the position delete files that only concern rewritten
 * files go with them (equality deletes, which may concern other files, stay).
 */
public final class Compaction {
  private static final Logger LOG = LoggerFactory.getLogger(Compaction.class);

  /** The summary key that marks a Meshwork compaction snapshot. */
  public static final String SUMMARY_KEY = "meshwork.maintenance";

  private Compaction() {}

  /** What a compaction did to one table. */
  public record Result(String table, int rewritten, int added, long snapshotId) {}

  /** Compacts {@code t}; files below three quarters of the target size count as small. */
  public static Result compact(Table t, String name) {
    Snapshot base = t.currentSnapshot();
    if (base == null) {
      return new Result(name, 0, 0, -1);
    }
    long target =
        PropertyUtil.propertyAsLong(
            t.properties(),
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    Map<StructLikeWrapper, List<FileScanTask>> small = new LinkedHashMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        t.newScan().useSnapshot(base.snapshotId()).planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile f = task.file();
        if (task.deletes().isEmpty() && f.fileSizeInBytes() >= target * 3 / 4) {
          continue;
        }
        PartitionSpec spec = t.specs().get(f.specId());
        StructLikeWrapper key = StructLikeWrapper.forType(spec.partitionType()).set(f.partition());
        small.computeIfAbsent(key, k -> new ArrayList<>()).add(task);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<DataFile> rewritten = new HashSet<>();
    Set<DataFile> added = new HashSet<>();
    List<org.apache.iceberg.DeleteFile> deletes = new ArrayList<>();
    OutputFileFactory files =
        OutputFileFactory.builderFor(t, 0, base.snapshotId()).format(FileFormat.PARQUET).build();
    try {
      for (List<FileScanTask> group : small.values()) {
        for (List<FileScanTask> bin : bins(group, target)) {
          if (bin.size() < 2 && bin.get(0).deletes().isEmpty()) {
            continue;
          }
          added.add(rewrite(t, files, bin));
          bin.forEach(task -> rewritten.add(task.file()));
        }
      }
      if (rewritten.isEmpty()) {
        return new Result(name, 0, 0, base.snapshotId());
      }
      java.util.Set<String> gone = new HashSet<>();
      rewritten.forEach(f -> gone.add(f.location()));
      for (List<FileScanTask> group : small.values()) {
        for (FileScanTask task : group) {
          for (org.apache.iceberg.DeleteFile d : task.deletes()) {
            String marks = org.apache.iceberg.util.ContentFileUtil.referencedDataFileLocation(d);
            if (marks != null
                && gone.contains(marks)
                && deletes.stream().noneMatch(x -> x.location().equals(d.location()))) {
              deletes.add(d);
            }
          }
        }
      }
      RewriteFiles rewrite =
          t.newRewrite().validateFromSnapshot(base.snapshotId()).set(SUMMARY_KEY, "compaction");
      rewritten.forEach(rewrite::deleteFile);
      deletes.forEach(rewrite::deleteFile);
      added.forEach(rewrite::addFile);
      rewrite.dataSequenceNumber(base.sequenceNumber());
      rewrite.commit();
    } catch (RuntimeException e) {
      // Nothing references what this pass wrote: remove it before saying why.
      added.forEach(f -> t.io().deleteFile(f.location()));
      throw e;
    }
    t.refresh();
    LOG.info(
        "Compacted {}: {} small files rewritten as {} (snapshot {})",
        name,
        rewritten.size(),
        added.size(),
        t.currentSnapshot().snapshotId());
    return new Result(name, rewritten.size(), added.size(), t.currentSnapshot().snapshotId());
  }

  /** The files of one partition in bins of at most {@code target} bytes, in their given order. */
  private static List<List<FileScanTask>> bins(List<FileScanTask> files, long target) {
    List<List<FileScanTask>> bins = new ArrayList<>();
    List<FileScanTask> bin = new ArrayList<>();
    long size = 0;
    for (FileScanTask f : files) {
      long bytes = f.file().fileSizeInBytes();
      if (!bin.isEmpty() && size + bytes > target) {
        bins.add(bin);
        bin = new ArrayList<>();
        size = 0;
      }
      bin.add(f);
      size += bytes;
    }
    if (!bin.isEmpty()) {
      bins.add(bin);
    }
    return bins;
  }

  /** The live rows of a bin's files (read through their deletes) in one new file. */
  private static DataFile rewrite(Table t, OutputFileFactory files, List<FileScanTask> bin) {
    DataWriter<Record> writer = writer(t, files, bin.get(0).file());
    try (writer) {
      for (FileScanTask task : bin) {
        RowLevelPlan.copyLive(t, task, r -> false, writer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDataFile();
  }

  /** A writer of generic records into a new data file of {@code like}'s spec and partition. */
  static DataWriter<Record> writer(Table t, OutputFileFactory files, DataFile like) {
    PartitionSpec spec = t.specs().get(like.specId());
    StructLike partition = like.partition();
    try {
      return Parquet.writeData(
              spec.isUnpartitioned() ? files.newOutputFile() : files.newOutputFile(spec, partition))
          .forTable(t)
          .withSpec(spec)
          .withPartition(spec.isUnpartitioned() ? null : partition)
          .createWriterFunc(GenericParquetWriter::create)
          .overwrite()
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
