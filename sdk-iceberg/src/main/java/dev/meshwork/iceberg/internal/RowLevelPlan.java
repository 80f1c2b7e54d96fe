package dev.meshwork.iceberg.internal;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.WriteMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.ReplacePartitions;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;

/**
 * How a run's staged files change the table, planned once before its commit: an append adds them;
 * an overwrite, upsert or delete also removes rows copy-on-write (a data file whose every row goes
 * is dropped, a file with some is rewritten without them); a partition replace lets Iceberg drop
 * the partitions written. The commit validates from the version the port opened on, so a concurrent
 * change to the same rows fails it instead of being lost.
 */
final class RowLevelPlan {
  /** Snapshot summary keys: the rows and files a copy-on-write commit rewrote unchanged. */
  static final String REWRITTEN_ROWS = "meshwork.write.rewritten-rows";

  static final String REWRITTEN_FILES = "meshwork.write.rewritten-files";
  static final String REWRITTEN_BYTES = "meshwork.write.rewritten-bytes";
  static final String MODE = "meshwork.write.mode";

  /** Upserts with at most this many keys prune files by the key values themselves. */
  private static final int PRUNING_KEYS = 10_000;

  private final WriteMode mode;
  private final Long base;
  private final Expression conflicts;
  private final List<DataFile> removed;
  private final List<DataFile> rewritten;
  private final long rewrittenRows;

  private RowLevelPlan(
      WriteMode mode,
      Long base,
      Expression conflicts,
      List<DataFile> removed,
      List<DataFile> rewritten,
      long rewrittenRows) {
    this.mode = mode;
    this.base = base;
    this.conflicts = conflicts;
    this.removed = removed;
    this.rewritten = rewritten;
    this.rewrittenRows = rewrittenRows;
  }

  /**
   * The plan for publishing {@code staged} to {@code table} (refreshed) in {@code mode}, validated
   * from snapshot {@code base} (null: from the table's start).
   */
  static RowLevelPlan of(
      Table table, List<DataFile> staged, WriteMode mode, Long base, String name) {
    return switch (mode.kind()) {
      case APPEND, REPLACE_PARTITIONS ->
          new RowLevelPlan(mode, base, Expressions.alwaysTrue(), List.of(), List.of(), 0);
      case OVERWRITE -> {
        dev.meshwork.core.Filter where = ((WriteMode.Overwrite) mode).where();
        Expression e = IcebergFilters.expression(where, table.schema());
        yield copyOnWrite(table, mode, base, e, r -> where.test(r::getField), name);
      }
      case DELETE -> {
        dev.meshwork.core.Filter where = ((WriteMode.Delete) mode).where();
        Expression e = IcebergFilters.expression(where, table.schema());
        yield copyOnWrite(table, mode, base, e, r -> where.test(r::getField), name);
      }
      case UPSERT -> {
        List<String> key = ((WriteMode.Upsert) mode).key();
        Set<List<Object>> keys = keys(table, staged, key, name);
        Expression e = pruning(key.get(0), keys, table.schema());
        yield copyOnWrite(table, mode, base, e, r -> keys.contains(keyOf(r, key)), name);
      }
    };
  }

  /** The rows the run removes (rows of the removed files not rewritten), from a summary. */
  static long removedRows(Map<String, String> summary) {
    return number(summary, "deleted-records") - number(summary, REWRITTEN_ROWS);
  }

  /** The rows, files and bytes the run itself added (rewritten rows aside), from a summary. */
  static long[] added(Map<String, String> summary) {
    return new long[] {
      number(summary, "added-records") - number(summary, REWRITTEN_ROWS),
      number(summary, "added-data-files") - number(summary, REWRITTEN_FILES),
      number(summary, "added-files-size") - number(summary, REWRITTEN_BYTES)
    };
  }

  private static long number(Map<String, String> summary, String key) {
    String v = summary.get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  /** Adds the commit's update for {@code staged} to {@code txn}; the summary is set on it. */
  void apply(Transaction txn, List<DataFile> staged, Map<String, String> summary) {
    SnapshotUpdate<?> op;
    switch (mode.kind()) {
      case APPEND -> {
        org.apache.iceberg.AppendFiles append =
            txn.newAppend().scanManifestsWith(CommitSteps.IN_CALLER);
        staged.forEach(append::appendFile);
        op = append;
      }
      case REPLACE_PARTITIONS -> {
        ReplacePartitions replace =
            txn.newReplacePartitions().scanManifestsWith(CommitSteps.IN_CALLER);
        staged.forEach(replace::addFile);
        if (base != null) {
          replace.validateFromSnapshot(base);
        }
        replace.validateNoConflictingData().validateNoConflictingDeletes();
        op = replace;
      }
      default -> {
        OverwriteFiles overwrite = txn.newOverwrite().scanManifestsWith(CommitSteps.IN_CALLER);
        removed.forEach(overwrite::deleteFile);
        rewritten.forEach(overwrite::addFile);
        staged.forEach(overwrite::addFile);
        if (base != null) {
          overwrite.validateFromSnapshot(base);
        }
        overwrite
            .conflictDetectionFilter(conflicts)
            .validateNoConflictingData()
            .validateNoConflictingDeletes();
        op = overwrite;
      }
    }
    summary.forEach(op::set);
    if (mode.kind() != WriteMode.Kind.APPEND) {
      op.set(MODE, mode.toString());
      op.set(REWRITTEN_ROWS, Long.toString(rewrittenRows));
      op.set(REWRITTEN_FILES, Integer.toString(rewritten.size()));
      op.set(
          REWRITTEN_BYTES,
          Long.toString(rewritten.stream().mapToLong(DataFile::fileSizeInBytes).sum()));
    }
    op.commit();
  }

  /** The files this plan wrote (rewritten rows), which are the run's to delete if it fails. */
  List<String> written() {
    return rewritten.stream().map(DataFile::location).toList();
  }

  /** The files of the rows to remove, and the files that keep their other rows. */
  private static RowLevelPlan copyOnWrite(
      Table table,
      WriteMode mode,
      Long base,
      Expression candidates,
      Predicate<Record> removes,
      String name) {
    Snapshot at = table.currentSnapshot();
    List<DataFile> removed = new ArrayList<>();
    List<DataFile> rewritten = new ArrayList<>();
    long kept = 0;
    if (at == null) {
      return new RowLevelPlan(mode, base, candidates, removed, rewritten, 0);
    }
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, at.snapshotId()).format(FileFormat.PARQUET).build();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(at.snapshotId()).filter(candidates).planFiles()) {
      for (FileScanTask task : tasks) {
        Rewrite r = rewrite(table, files, task, removes);
        if (r.matched() == 0) {
          r.discard(table);
          continue;
        }
        removed.add(task.file());
        if (r.kept() > 0) {
          rewritten.add(r.file());
          kept += r.kept();
        } else {
          r.discard(table);
        }
      }
    } catch (IOException e) {
      deleteAll(table, rewritten, name);
      throw new UncheckedIOException("Cannot plan the files of " + name, e);
    } catch (RuntimeException e) {
      deleteAll(table, rewritten, name);
      throw e;
    }
    return new RowLevelPlan(mode, base, candidates, removed, rewritten, kept);
  }

  /** A data file read through its deletes, its surviving rows that stay written to a new file. */
  private record Rewrite(DataFile file, long matched, long kept) {
    void discard(Table table) {
      table.io().deleteFile(file.location());
    }
  }

  private static Rewrite rewrite(
      Table table, OutputFileFactory files, FileScanTask task, Predicate<Record> removes)
      throws IOException {
    Schema schema = table.schema();
    DataWriter<Record> writer = Compaction.writer(table, files, task.file());
    long matched = 0;
    long kept = 0;
    try (writer;
        CloseableIterable<Record> rows = live(table, task)) {
      int n = schema.columns().size();
      for (Record r : rows) {
        if (removes.test(r)) {
          matched++;
        } else {
          Record copy = GenericRecord.create(schema);
          for (int i = 0; i < n; i++) {
            copy.set(i, r.get(i));
          }
          writer.write(copy);
          kept++;
        }
      }
    }
    return new Rewrite(writer.toDataFile(), matched, kept);
  }

  /** The rows of a task's file that its delete files leave, every column of the table. */
  private static CloseableIterable<Record> live(Table table, FileScanTask task) {
    Schema schema = table.schema();
    GenericDeleteFilter deletes =
        task.deletes().isEmpty() ? null : new GenericDeleteFilter(table.io(), task, schema, schema);
    Schema read = deletes == null ? schema : deletes.requiredSchema();
    Parquet.ReadBuilder builder =
        Parquet.read(table.io().newInputFile(task.file().location()))
            .project(read)
            .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(read, fileSchema));
    String mapping =
        table.properties().get(org.apache.iceberg.TableProperties.DEFAULT_NAME_MAPPING);
    if (mapping != null) {
      builder.withNameMapping(org.apache.iceberg.mapping.NameMappingParser.fromJson(mapping));
    }
    CloseableIterable<Record> records = builder.build();
    return deletes == null ? records : deletes.filter(records);
  }

  /** The key values of the staged rows; a key written twice is refused. */
  private static Set<List<Object>> keys(
      Table table, List<DataFile> staged, List<String> key, String name) {
    Schema projected = table.schema().select(key);
    Set<List<Object>> keys = new HashSet<>();
    for (DataFile f : staged) {
      try (CloseableIterable<Record> rows =
          Parquet.read(table.io().newInputFile(f.location()))
              .project(projected)
              .createReaderFunc(s -> GenericParquetReaders.buildReader(projected, s))
              .build()) {
        for (Record r : rows) {
          List<Object> k = keyOf(r, key);
          if (!keys.add(k)) {
            throw new ContractViolationException(
                "Cannot upsert into "
                    + name
                    + ": the run wrote key "
                    + show(key, k)
                    + " more than once, so which row wins is undefined. Write each key once per"
                    + " run (keep the latest row of each key before writing).");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the staged file " + f.location(), e);
      }
    }
    return keys;
  }

  private static List<Object> keyOf(Record r, List<String> key) {
    List<Object> k = new ArrayList<>(key.size());
    for (String c : key) {
      k.add(r.getField(c));
    }
    return k;
  }

  private static String show(List<String> key, List<Object> values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < key.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(key.get(i)).append('=').append(values.get(i));
    }
    return b.toString();
  }

  /**
   * An expression that rules out files holding none of the keys: their first column's values, when
   * few enough to list.
   */
  private static Expression pruning(String first, Set<List<Object>> keys, Schema schema) {
    if (keys.isEmpty()) {
      return Expressions.alwaysFalse();
    }
    if (keys.size() > PRUNING_KEYS) {
      return Expressions.alwaysTrue();
    }
    Set<Object> values = new HashSet<>();
    for (List<Object> k : keys) {
      if (k.get(0) == null) {
        return Expressions.alwaysTrue();
      }
      values.add(k.get(0));
    }
    return IcebergFilters.expression(
        dev.meshwork.core.Filter.in(first, List.copyOf(values)), schema);
  }

  private static void deleteAll(Table table, List<DataFile> files, String name) {
    IcebergOutputTable.deleteQuietly(table, files.stream().map(DataFile::location).toList(), name);
  }
}
