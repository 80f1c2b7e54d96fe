package dev.meshwork.iceberg.internal;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.StoreException;
import dev.meshwork.iceberg.internal.parquet.ParquetAppender;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.StagedWriter;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.StructShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.util.PropertyUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one output's values into Parquet data files under the table's data location, rolling at
 * the table's target file size and splitting by partition. Nothing it writes is visible until the
 * files are appended in a snapshot; {@link #abort()} deletes them.
 */
final class StagingWriter<T> implements StagedWriter<T> {
  private static final Logger LOG = LoggerFactory.getLogger(StagingWriter.class);
  private static final int SIZE_CHECK_INTERVAL = 16_384;

  private final Table table;
  private final StructShape<T> shape;

  /** How the names of the files start: the run id in a form a file name takes. */
  private final String runId;

  private final String tableName;
  private final PartitionSpec spec;
  private final long targetFileSize;
  private final List<DataFile> done = new ArrayList<>();
  private final List<String> written = new ArrayList<>();
  private final Map<PartitionKey, OpenFile<T>> open = new HashMap<>();
  private final PartitionKey partitionKey;
  private final PartitionSource<T> partitionSource;
  private OpenFile<T> unpartitioned;
  private Map<String, List<dev.meshwork.spi.write.ColumnCheck>> columnChecks = Map.of();
  private long rows;
  private int fileSeq;
  private boolean closed;
  private final dev.meshwork.iceberg.internal.parquet.WriteResources resources;

  StagingWriter(
      Table table,
      StructShape<T> shape,
      String runId,
      String tableName,
      dev.meshwork.iceberg.internal.parquet.WriteResources resources) {
    this.resources = resources;
    this.table = table;
    this.shape = shape;
    this.runId = runId;
    this.tableName = tableName;
    this.spec = table.spec();
    this.targetFileSize =
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    if (spec.isPartitioned()) {
      this.partitionKey = new PartitionKey(spec, table.schema());
      this.partitionSource = new PartitionSource<>(shape, table.schema());
    } else {
      this.partitionKey = null;
      this.partitionSource = null;
    }
  }

  @Override
  public java.util.Set<dev.meshwork.spi.write.ColumnCheck> attach(
      List<dev.meshwork.spi.write.ColumnCheck> checks) {
    if (rows > 0 || !done.isEmpty() || unpartitioned != null || !open.isEmpty()) {
      throw new IllegalStateException(
          "column checks must be attached to the writer of " + tableName + " before any row");
    }
    if (!ParquetAppender.encodesOwnPages(table.schema(), table.properties())) {
      return java.util.Set.of();
    }
    Map<String, List<dev.meshwork.spi.write.ColumnCheck>> byColumn = new HashMap<>();
    java.util.Set<dev.meshwork.spi.write.ColumnCheck> taken = new java.util.HashSet<>();
    for (dev.meshwork.spi.write.ColumnCheck c : checks) {
      String column = ParquetAppender.checkedColumn(table.schema(), c);
      if (column != null) {
        byColumn.computeIfAbsent(column, k -> new ArrayList<>()).add(c);
        taken.add(c);
      }
    }
    columnChecks = byColumn;
    return taken;
  }

  @Override
  public void write(T value) {
    if (closed) {
      throw new IllegalStateException("writer of " + tableName + " is closed");
    }
    OpenFile<T> file;
    if (partitionKey == null) {
      if (unpartitioned == null) {
        unpartitioned = newFile(null);
      }
      file = unpartitioned;
    } else {
      partitionKey.partition(partitionSource.wrap(value));
      file = open.get(partitionKey);
      if (file == null) {
        PartitionKey copy = partitionKey.copy();
        file = newFile(copy);
        open.put(copy, file);
      }
    }
    try {
      file.writer.write(value);
    } catch (ParquetAppender.HeldRowException e) {
      throw rowError(file.firstRow + e.fileRow(), e.getCause());
    } catch (ContractViolationException e) {
      throw new ContractViolationException(
          "Cannot write row " + (rows + 1) + " to " + tableName + ": " + e.getMessage());
    } catch (ClassCastException e) {
      throw new ContractViolationException(
          "Cannot write row "
              + (rows + 1)
              + " to "
              + tableName
              + ": a value has the wrong Java type for its field ("
              + e.getMessage()
              + ")");
    }
    rows++;
    if (++file.rowsSinceCheck >= SIZE_CHECK_INTERVAL) {
      file.rowsSinceCheck = 0;
      if (file.writer.length() >= targetFileSize) {
        roll(file);
      }
    }
  }

  /**
   * Encodes the batch a column at a time into the open file of an unpartitioned table written by
   * Meshwork's page encoders; otherwise returns false, having written nothing.
   */
  @Override
  public boolean writeBatch(dev.meshwork.spi.write.RowBatch<T> batch) {
    if (closed) {
      throw new IllegalStateException("writer of " + tableName + " is closed");
    }
    if (partitionKey != null) {
      return false;
    }
    if (unpartitioned == null) {
      unpartitioned = newFile(null);
    }
    OpenFile<T> file = unpartitioned;
    int n = batch.size();
    try {
      if (!file.appender.writeBatch(batch)) {
        return false;
      }
    } catch (ParquetAppender.HeldRowException e) {
      throw rowError(file.firstRow + e.fileRow(), e.getCause());
    } catch (ContractViolationException e) {
      throw new ContractViolationException(
          "Cannot write a batch of " + n + " rows to " + tableName + ": " + e.getMessage());
    }
    rows += n;
    file.rowsSinceCheck += n;
    if (file.rowsSinceCheck >= SIZE_CHECK_INTERVAL) {
      file.rowsSinceCheck = 0;
      if (file.writer.length() >= targetFileSize) {
        roll(file);
      }
    }
    return true;
  }

  private ContractViolationException rowError(long index, Throwable cause) {
    if (partitionKey != null) {
      // Rows of one partition's file are not contiguous in the input; name the file's row instead.
      return new ContractViolationException(
          "Cannot write to "
              + tableName
              + ": a row of one partition failed: "
              + cause.getMessage());
    }
    String reason =
        cause instanceof ClassCastException
            ? "a value has the wrong Java type for its field (" + cause.getMessage() + ")"
            : cause.getMessage();
    return new ContractViolationException(
        "Cannot write row " + (index + 1) + " to " + tableName + ": " + reason);
  }

  private void roll(OpenFile<T> file) {
    closeFile(file);
    if (file == unpartitioned) {
      unpartitioned = null;
    } else {
      open.values().remove(file);
    }
  }

  private OpenFile<T> newFile(StructLike partition) {
    String name =
        String.format(
            "%s-%05d-%s.parquet", runId, fileSeq++, UUID.randomUUID().toString().substring(0, 8));
    String location =
        partition == null
            ? table.locationProvider().newDataLocation(name)
            : table.locationProvider().newDataLocation(spec, partition, name);
    written.add(location);
    OutputFile out = table.io().newOutputFile(location);
    try {
      ParquetAppender<T> appender =
          new ParquetAppender<>(
              out,
              table.schema(),
              shape,
              table.properties(),
              MetricsConfig.forTable(table),
              resources);
      appender.checkColumns(columnChecks);
      DataWriter<T> w =
          new DataWriter<>(appender, FileFormat.PARQUET, location, spec, partition, null);
      return new OpenFile<>(w, appender, rows, location);
    } catch (UncheckedIOException e) {
      throw new StoreException(
          "Cannot create data file "
              + location
              + " for "
              + tableName
              + ": "
              + e.getMessage()
              + ". Check that the warehouse is writable and reachable.",
          e);
    }
  }

  private void closeFile(OpenFile<T> file) {
    try {
      file.writer.close();
    } catch (ParquetAppender.HeldRowException e) {
      throw rowError(file.firstRow + e.fileRow(), e.getCause());
    } catch (IOException | RuntimeException e) {
      throw new StoreException(
          "Cannot finish data file "
              + file.location
              + " of "
              + tableName
              + ": "
              + e.getMessage()
              + ". Check that the warehouse is writable and reachable.",
          e);
    }
    done.add(file.writer.toDataFile());
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public StagedFiles finish() {
    closed = true;
    try {
      if (unpartitioned != null) {
        closeFile(unpartitioned);
        unpartitioned = null;
      }
      for (OpenFile<T> f : open.values()) {
        closeFile(f);
      }
      open.clear();
    } catch (MeshworkException e) {
      abort();
      throw e;
    }
    // The staged files now belong to the caller, which publishes or discards them: a later abort()
    // must not delete files a commit of unknown outcome may reference.
    written.clear();
    return new IcebergStagedFiles(done);
  }

  @Override
  public void abort() {
    closed = true;
    List<OpenFile<T>> toClose = new ArrayList<>(open.values());
    if (unpartitioned != null) {
      toClose.add(unpartitioned);
    }
    for (OpenFile<T> f : toClose) {
      try {
        f.writer.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("Ignoring close failure of an aborted file of {}", tableName, e);
      }
    }
    open.clear();
    unpartitioned = null;
    IcebergOutputTable.deleteQuietly(table, written, tableName);
    written.clear();
    done.clear();
  }

  @Override
  public void close() {
    if (!closed) {
      abort();
    }
  }

  private static final class OpenFile<T> {
    final DataWriter<T> writer;
    final ParquetAppender<T> appender;
    final long firstRow;
    final String location;
    int rowsSinceCheck;

    OpenFile(DataWriter<T> writer, ParquetAppender<T> appender, long firstRow, String location) {
      this.location = location;
      this.writer = writer;
      this.appender = appender;
      this.firstRow = firstRow;
    }
  }

  /** Presents a value's partition source columns in Iceberg's internal representation. */
  private static final class PartitionSource<T> implements StructLike {
    private final FieldAccessor.OfObject<T>[] byPosition;
    private final Member<T>[] members;
    private T current;

    @SuppressWarnings({"unchecked", "rawtypes"})
    PartitionSource(StructShape<T> shape, org.apache.iceberg.Schema schema) {
      int n = schema.columns().size();
      this.byPosition = new FieldAccessor.OfObject[n];
      this.members = new Member[n];
      for (int i = 0; i < n; i++) {
        String name = schema.columns().get(i).name();
        for (Member<T> m : shape.members()) {
          if (m.field().name().equals(name)) {
            members[i] = m;
            byPosition[i] = boxing(m.accessor());
          }
        }
      }
    }

    private static <T> FieldAccessor.OfObject<T> boxing(FieldAccessor<T> a) {
      if (a instanceof FieldAccessor.OfObject<T> o) {
        return o;
      }
      if (a instanceof FieldAccessor.OfLong<T> l) {
        return l::getLong;
      }
      if (a instanceof FieldAccessor.OfInt<T> i) {
        return i::getInt;
      }
      if (a instanceof FieldAccessor.OfDouble<T> d) {
        return d::getDouble;
      }
      if (a instanceof FieldAccessor.OfFloat<T> f) {
        return f::getFloat;
      }
      return ((FieldAccessor.OfBoolean<T>) a)::getBoolean;
    }

    StructLike wrap(T value) {
      this.current = value;
      return this;
    }

    @Override
    public int size() {
      return byPosition.length;
    }

    @Override
    public <V> V get(int pos, Class<V> javaClass) {
      if (byPosition[pos] == null) {
        return null;
      }
      Object v = byPosition[pos].get(current);
      return javaClass.cast(InternalValues.toInternal(members[pos].field().type(), v));
    }

    @Override
    public <V> void set(int pos, V value) {
      throw new UnsupportedOperationException("partition source is read-only");
    }
  }
}
