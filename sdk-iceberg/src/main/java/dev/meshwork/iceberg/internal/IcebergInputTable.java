package dev.meshwork.iceberg.internal;

import dev.meshwork.core.StoreException;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.TableInfo;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.StructShape;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** An upstream Iceberg table, read at one pinned snapshot. */
final class IcebergInputTable implements InputTable {
  private final Table table;
  private final TableInfo info;

  IcebergInputTable(Table table, TableInfo info) {
    this.table = table;
    this.info = info;
  }

  @Override
  public TableInfo info() {
    return info;
  }

  @Override
  public Schema schema() {
    return IcebergSchemas.fromIceberg(table.schema());
  }

  @Override
  public OptionalLong currentVersion() {
    table.refresh();
    return table.currentSnapshot() == null
        ? OptionalLong.empty()
        : OptionalLong.of(table.currentSnapshot().snapshotId());
  }

  @Override
  public <T> Stream<T> read(StructShape<T> shape, OptionalLong version) {
    if (version.isEmpty()) {
      return Stream.empty();
    }
    CloseableIterable<Record> records;
    try {
      records =
          IcebergGenerics.read(table)
              .useSnapshot(version.getAsLong())
              .select(shape.members().stream().map(Member::field).map(f -> f.name()).toList())
              .build();
    } catch (RuntimeException e) {
      throw new StoreException(
          "Cannot read "
              + info.identifier()
              + " at snapshot "
              + version.getAsLong()
              + ": "
              + e.getMessage(),
          e);
    }
    return StreamSupport.stream(records.spliterator(), false)
        .map(r -> ValueReaders.struct(shape, r))
        .onClose(
            () -> {
              try {
                records.close();
              } catch (IOException e) {
                throw new StoreException(
                    "Cannot close the reader of " + info.identifier() + ": " + e.getMessage(), e);
              }
            });
  }
}
