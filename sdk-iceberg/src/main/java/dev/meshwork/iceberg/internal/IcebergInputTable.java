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
    return values(records, shape, info.identifier());
  }

  /** Records as values of {@code shape}; closing the stream closes the reader of {@code what}. */
  static <T> Stream<T> values(
      CloseableIterable<Record> records, StructShape<T> shape, String what) {
    return StreamSupport.stream(records.spliterator(), false)
        .map(r -> ValueReaders.struct(shape, r))
        .onClose(
            () -> {
              try {
                records.close();
              } catch (IOException e) {
                throw new StoreException(
                    "Cannot close the reader of " + what + ": " + e.getMessage(), e);
              }
            });
  }

  @Override
  public java.util.List<dev.meshwork.spi.ReadSplit> splits(OptionalLong version, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, but was " + count);
    }
    if (version.isEmpty()) {
      return java.util.List.of();
    }
    java.util.List<org.apache.iceberg.FileScanTask> planned = new java.util.ArrayList<>();
    try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks =
        table.newScan().useSnapshot(version.getAsLong()).planFiles()) {
      for (org.apache.iceberg.FileScanTask t : tasks) {
        if (!t.deletes().isEmpty()) {
          throw new StoreException(
              "Cannot read "
                  + info.identifier()
                  + " in splits: snapshot "
                  + version.getAsLong()
                  + " has delete files (written by another engine). Read it through the input"
                  + " port on the coordinator instead.");
        }
        planned.add(t);
      }
    } catch (IOException e) {
      throw new StoreException(
          "Cannot plan the files of " + info.identifier() + ": " + e.getMessage(), e);
    }
    // Largest first onto the lightest share: shares of about equal bytes.
    planned.sort(
        java.util.Comparator.comparingLong(
                (org.apache.iceberg.FileScanTask t) -> t.file().fileSizeInBytes())
            .reversed());
    int n = Math.min(count, Math.max(1, planned.size()));
    java.util.List<java.util.List<org.apache.iceberg.FileScanTask>> shares =
        new java.util.ArrayList<>();
    long[] bytes = new long[n];
    for (int i = 0; i < n; i++) {
      shares.add(new java.util.ArrayList<>());
    }
    for (org.apache.iceberg.FileScanTask t : planned) {
      int lightest = 0;
      for (int i = 1; i < n; i++) {
        if (bytes[i] < bytes[lightest]) {
          lightest = i;
        }
      }
      shares.get(lightest).add(t);
      bytes[lightest] += t.file().fileSizeInBytes();
    }
    org.apache.iceberg.Table copy = org.apache.iceberg.SerializableTable.copyOf(table);
    java.util.List<dev.meshwork.spi.ReadSplit> out = new java.util.ArrayList<>();
    for (java.util.List<org.apache.iceberg.FileScanTask> share : shares) {
      out.add(new IcebergReadSplit(copy, info.identifier(), share));
    }
    return out;
  }
}
