package dev.meshwork.iceberg.internal;

import dev.meshwork.iceberg.internal.parquet.ShapeReader;
import dev.meshwork.spi.ReadSplit;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.StructShape;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/**
 * Data files of an Iceberg table at one snapshot, read in a task: a serializable copy of the table
 * (its FileIO and schema, no catalog) and the scan tasks planned on the coordinator. Only the
 * columns the shape asks for are read.
 */
final class IcebergReadSplit implements ReadSplit {
  private static final long serialVersionUID = 1L;

  private final Table table;
  private final String tableName;
  private final List<FileScanTask> tasks;

  IcebergReadSplit(Table serializable, String tableName, List<FileScanTask> tasks) {
    this.table = serializable;
    this.tableName = tableName;
    this.tasks = List.copyOf(tasks);
  }

  @Override
  public int files() {
    return tasks.size();
  }

  @Override
  public <T> Stream<T> read(StructShape<T> shape) {
    return read(table, tableName, tasks, shape);
  }

  @Override
  public <T> java.util.Optional<Stream<T>> read(
      StructShape<T> shape, dev.meshwork.core.Filter where) {
    return IcebergInputTable.filtered(table, tableName, tasks, shape, where);
  }

  /**
   * The rows of {@code tasks}' files, only the columns the shape asks for; close the stream. Files
   * are decoded straight into the shape where it is flat; others, and files with delete files, go
   * through Iceberg's generic records with the deletes applied.
   */
  static <T> Stream<T> read(
      Table table, String tableName, List<FileScanTask> tasks, StructShape<T> shape) {
    Schema projected =
        table
            .schema()
            .select(shape.members().stream().map(Member::field).map(f -> f.name()).toList());
    java.util.Optional<ShapeReader<T>> direct = ShapeReader.of(shape, table.schema());
    return tasks.stream()
        .flatMap(
            task -> {
              String what = tableName + " (" + task.file().location() + ")";
              if (direct.isPresent() && positionDeletesOnly(task)) {
                java.util.Optional<Stream<T>> rows =
                    direct
                        .get()
                        .read(
                            dataFile(table, task),
                            task.start(),
                            task.length(),
                            deletedPositions(table, task, projected),
                            what);
                if (rows.isPresent()) {
                  return rows.get();
                }
              }
              return records(table, projected, task, what).map(r -> ValueReaders.struct(shape, r));
            });
  }

  /** The data file of a task, with its known length (no extra request for it). */
  static org.apache.iceberg.io.InputFile dataFile(Table table, FileScanTask task) {
    return table.io().newInputFile(task.file().location(), task.file().fileSizeInBytes());
  }

  /**
   * Whether a task's delete files, if any, are all position deletes (the page decoder skips them).
   */
  static boolean positionDeletesOnly(FileScanTask task) {
    return task.deletes().stream()
        .allMatch(d -> d.content() == org.apache.iceberg.FileContent.POSITION_DELETES);
  }

  /** The positions a task's position delete files remove from its file; null when it has none. */
  static org.apache.iceberg.deletes.PositionDeleteIndex deletedPositions(
      Table table, FileScanTask task, Schema projected) {
    if (task.deletes().isEmpty()) {
      return null;
    }
    return new org.apache.iceberg.data.GenericDeleteFilter(
            table.io(), task, table.schema(), projected)
        .deletedRowPositions();
  }

  /**
   * The records of one task's share of its file, at least the projected columns, without the rows
   * its delete files (position or equality) remove; close the stream.
   */
  static Stream<Record> records(Table table, Schema projected, FileScanTask task, String what) {
    org.apache.iceberg.data.GenericDeleteFilter deletes =
        task.deletes().isEmpty()
            ? null
            : new org.apache.iceberg.data.GenericDeleteFilter(
                table.io(), task, table.schema(), projected);
    Schema read = deletes == null ? projected : deletes.requiredSchema();
    Parquet.ReadBuilder builder =
        Parquet.read(table.io().newInputFile(task.file().location()))
            .project(read)
            .split(task.start(), task.length())
            .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(read, fileSchema));
    String mapping =
        table.properties().get(org.apache.iceberg.TableProperties.DEFAULT_NAME_MAPPING);
    if (mapping != null) {
      // Files imported without field ids: their columns are found by name, not by position.
      builder.withNameMapping(org.apache.iceberg.mapping.NameMappingParser.fromJson(mapping));
    }
    CloseableIterable<Record> records = builder.build();
    return IcebergInputTable.records(deletes == null ? records : deletes.filter(records), what);
  }
}
