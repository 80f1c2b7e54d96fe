package dev.meshwork.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;

/**
 * Corrections made upstream the way another engine's copy-on-write {@code UPDATE}/{@code DELETE}
 * makes them: every data file holding a row the edit changes is rewritten with the edited rows (an
 * unchanged row is carried over into the new file), in one {@code overwrite} snapshot, or {@code
 * delete} when the edit only removes.
 */
final class UpstreamEdits {
  private UpstreamEdits() {}

  /**
   * Applies {@code edit} (a row → the row, another row, or null to remove it) to {@code t}'s
   * current version; returns the new snapshot id, or -1 when no row changed.
   */
  static long rewrite(Table t, UnaryOperator<Record> edit) {
    t.refresh();
    if (t.currentSnapshot() == null) {
      return -1;
    }
    long base = t.currentSnapshot().snapshotId();
    OverwriteFiles overwrite = t.newOverwrite().validateFromSnapshot(base);
    OutputFileFactory files =
        OutputFileFactory.builderFor(t, 7, base).format(FileFormat.PARQUET).build();
    boolean changed = false;
    try (CloseableIterable<FileScanTask> tasks = t.newScan().useSnapshot(base).planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile f = task.file();
        List<Record> kept = new ArrayList<>();
        boolean fileChanged = false;
        for (Record r : rows(t, f)) {
          Record edited = edit.apply(r.copy());
          fileChanged |= !Objects.equals(edited, r);
          if (edited != null) {
            kept.add(edited);
          }
        }
        if (!fileChanged) {
          continue;
        }
        changed = true;
        overwrite.deleteFile(f);
        if (!kept.isEmpty()) {
          overwrite.addFile(write(t, files, f, kept));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!changed) {
      return -1;
    }
    overwrite.commit();
    t.refresh();
    return t.currentSnapshot().snapshotId();
  }

  private static List<Record> rows(Table t, DataFile f) throws IOException {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> rows =
        Parquet.read(t.io().newInputFile(f.location()))
            .project(t.schema())
            .createReaderFunc(s -> GenericParquetReaders.buildReader(t.schema(), s))
            .build()) {
      rows.forEach(out::add);
    }
    return out;
  }

  private static DataFile write(Table t, OutputFileFactory files, DataFile like, List<Record> rows)
      throws IOException {
    PartitionSpec spec = t.specs().get(like.specId());
    DataWriter<Record> writer =
        Parquet.writeData(
                spec.isUnpartitioned()
                    ? files.newOutputFile()
                    : files.newOutputFile(spec, like.partition()))
            .forTable(t)
            .withSpec(spec)
            .withPartition(spec.isUnpartitioned() ? null : like.partition())
            .createWriterFunc(GenericParquetWriter::create)
            .overwrite()
            .build();
    try (writer) {
      rows.forEach(writer::write);
    }
    return writer.toDataFile();
  }
}
