package dev.meshwork.iceberg.internal;

import dev.meshwork.iceberg.internal.parquet.WriteResources;
import dev.meshwork.spi.PartTarget;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.StagedWriter;
import dev.meshwork.spi.write.ColumnCheck;
import dev.meshwork.spi.write.RowBatch;
import dev.meshwork.spi.write.StructShape;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;

/**
 * An Iceberg output table as tasks see it: a serializable copy of the table (schema, partitioning,
 * properties, location provider and FileIO, no catalog) and the store's compression settings. Each
 * part writer owns its compression threads and releases them when it finishes or aborts, since a
 * task has no store to own them.
 */
final class IcebergPartTarget implements PartTarget {
  private static final long serialVersionUID = 1L;

  private final Table table;
  private final String tableName;
  private final int compressionThreads;

  IcebergPartTarget(Table table, String tableName, int compressionThreads) {
    this.table = SerializableTable.copyOf(table);
    this.tableName = tableName;
    this.compressionThreads = compressionThreads;
  }

  /** How the names of the files of every part of a run start. */
  static String filePrefix(String runId) {
    return TableNames.fileSafe(runId) + "-part";
  }

  @Override
  public String table() {
    return tableName;
  }

  @Override
  public <T> StagedWriter<T> newWriter(StructShape<T> shape, String runId, int part, int attempt) {
    if (part < 0 || attempt < 0) {
      throw new IllegalArgumentException(
          "part and attempt numbers must be 0 or more, not part " + part + " attempt " + attempt);
    }
    WriteResources resources = new WriteResources(compressionThreads);
    StagedWriter<T> writer =
        new StagingWriter<>(
            table,
            IcebergOutputTable.coverAllColumns(table, shape),
            filePrefix(runId) + part + "-attempt" + attempt,
            tableName,
            resources);
    return new Owning<>(writer, resources);
  }

  @Override
  public void discard(StagedFiles files) {
    IcebergOutputTable.deleteQuietly(table, files.locations(), tableName);
  }

  /** A writer that releases its resources once it is done. */
  private static final class Owning<T> implements StagedWriter<T> {
    private final StagedWriter<T> writer;
    private final WriteResources resources;

    Owning(StagedWriter<T> writer, WriteResources resources) {
      this.writer = writer;
      this.resources = resources;
    }

    @Override
    public void write(T value) {
      writer.write(value);
    }

    @Override
    public Set<ColumnCheck> attach(List<ColumnCheck> checks) {
      return writer.attach(checks);
    }

    @Override
    public boolean writeBatch(RowBatch<T> rows) {
      return writer.writeBatch(rows);
    }

    @Override
    public long rows() {
      return writer.rows();
    }

    @Override
    public StagedFiles finish() {
      try {
        return writer.finish();
      } finally {
        resources.close();
      }
    }

    @Override
    public void abort() {
      try {
        writer.abort();
      } finally {
        resources.close();
      }
    }

    @Override
    public void close() {
      try {
        writer.close();
      } finally {
        resources.close();
      }
    }
  }
}
