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
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.ReplacePartitions;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
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

  /** Snapshot summary key: the rows a merge-on-read commit marked deleted. */
  static final String REMOVED_ROWS = "meshwork.write.removed-rows";

  /** Upserts with at most this many keys prune files by the key values themselves. */
  private static final int PRUNING_KEYS = 10_000;

  private final WriteMode mode;
  private final Long base;
  private final Expression conflicts;
  private final List<DataFile> removed;
  private final List<DataFile> rewritten;
  private final long rewrittenRows;
  private final Marks marks;

  /** The live rows the plan removes; -1 when the commit decides (append, partition replace). */
  private final long removedRows;

  private RowLevelPlan(
      WriteMode mode,
      Long base,
      Expression conflicts,
      List<DataFile> removed,
      List<DataFile> rewritten,
      long rewrittenRows,
      Marks marks,
      long removedRows) {
    this.mode = mode;
    this.base = base;
    this.conflicts = conflicts;
    this.removed = removed;
    this.rewritten = rewritten;
    this.rewrittenRows = rewrittenRows;
    this.marks = marks;
    this.removedRows = removedRows;
  }

  /**
   * What a merge-on-read plan marks: the position delete files it adds, the earlier ones of the
   * same data files they replace and the data files it touches.
   */
  private record Marks(List<DeleteFile> added, List<DeleteFile> replaced, List<String> touched) {}

  /**
   * The plan for publishing {@code staged} to {@code table} (refreshed) in {@code mode}, validated
   * from snapshot {@code base} (null: from the table's start).
   */
  static RowLevelPlan of(
      Table table, List<DataFile> staged, WriteMode mode, Long base, String name) {
    Expression e;
    Predicate<Record> removes;
    java.util.Collection<String> columns;
    switch (mode.kind()) {
      case OVERWRITE, DELETE -> {
        dev.meshwork.core.Filter where =
            mode instanceof WriteMode.Overwrite o ? o.where() : ((WriteMode.Delete) mode).where();
        e = IcebergFilters.expression(where, table.schema());
        removes = r -> where.test(r::getField);
        columns = where.columns();
      }
      case UPSERT -> {
        List<String> key = ((WriteMode.Upsert) mode).key();
        Set<List<Object>> keys = keys(table, staged, key, name);
        e = pruning(key.get(0), keys, table.schema());
        removes = r -> keys.contains(keyOf(r, key));
        columns = key;
      }
      default -> {
        return new RowLevelPlan(
            mode, base, Expressions.alwaysTrue(), List.of(), List.of(), 0, null, -1);
      }
    }
    return mergeOnRead(table, mode)
        ? mergeOnRead(table, mode, base, e, removes, columns, name)
        : copyOnWrite(table, mode, base, e, removes, null, name);
  }

  /**
   * An erasure's plan: always copy-on-write, and every file that physically holds a matching row is
   * rewritten, even when row-level deletes hide that row already (they do not remove it from
   * storage). Validated from the table's current version.
   */
  static RowLevelPlan erasure(Table table, dev.meshwork.core.Filter where, String name) {
    Snapshot current = table.currentSnapshot();
    return copyOnWrite(
        table,
        WriteMode.delete(where),
        current == null ? null : current.snapshotId(),
        IcebergFilters.expression(where, table.schema()),
        r -> where.test(r::getField),
        task -> holds(table, task.file().location(), where),
        name);
  }

  /** Whether a data file holds a row {@code where} matches, whatever deletes apply to it. */
  static boolean holds(Table table, String location, dev.meshwork.core.Filter where) {
    Schema projected = table.schema().select(where.columns());
    Parquet.ReadBuilder read =
        Parquet.read(table.io().newInputFile(location))
            .project(projected)
            .createReaderFunc(s -> GenericParquetReaders.buildReader(projected, s));
    String mapping =
        table.properties().get(org.apache.iceberg.TableProperties.DEFAULT_NAME_MAPPING);
    if (mapping != null) {
      read.withNameMapping(org.apache.iceberg.mapping.NameMappingParser.fromJson(mapping));
    }
    try (CloseableIterable<Record> rows = read.build()) {
      for (Record r : rows) {
        if (where.test(r::getField)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + location, e);
    }
  }

  /** Whether the table asks for merge-on-read for {@code mode} (Iceberg's write.*.mode). */
  static boolean mergeOnRead(Table table, WriteMode mode) {
    String property =
        switch (mode.kind()) {
          case OVERWRITE -> org.apache.iceberg.TableProperties.UPDATE_MODE;
          case UPSERT -> org.apache.iceberg.TableProperties.MERGE_MODE;
          case DELETE -> org.apache.iceberg.TableProperties.DELETE_MODE;
          default -> null;
        };
    return property != null
        && "merge-on-read"
            .equalsIgnoreCase(table.properties().getOrDefault(property, "copy-on-write"));
  }

  /**
   * The rows the run removes, from a summary: as its plan counted them, else (a partition replace)
   * the rows of the files it removed less those their position deletes (dropped with them) had
   * already removed: a merge-on-read delete before the replace is not counted twice.
   */
  static long removedRows(Map<String, String> summary) {
    return summary.containsKey(REMOVED_ROWS)
        ? number(summary, REMOVED_ROWS)
        : number(summary, "deleted-records")
            - number(summary, "removed-position-deletes")
            - number(summary, REWRITTEN_ROWS);
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
    apply(txn, staged, summary, null);
  }

  /**
   * As {@link #apply(Transaction, List, Map)}, committing to {@code branch} (null: main), for an
   * audit that judges the resulting version before main shows it.
   */
  void apply(Transaction txn, List<DataFile> staged, Map<String, String> summary, String branch) {
    SnapshotUpdate<?> op;
    // A partition replace without rows replaces no partition (and Iceberg cannot tell its spec).
    WriteMode.Kind kind =
        mode.kind() == WriteMode.Kind.REPLACE_PARTITIONS && staged.isEmpty()
            ? WriteMode.Kind.APPEND
            : mode.kind();
    switch (kind) {
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
        if (marks != null) {
          op = rowDelta(txn, staged);
          break;
        }
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
    if (branch != null) {
      op.toBranch(branch);
    }
    summary.forEach(op::set);
    if (mode.kind() != WriteMode.Kind.APPEND) {
      op.set(MODE, mode.toString());
      op.set(REWRITTEN_ROWS, Long.toString(rewrittenRows));
      if (removedRows >= 0) {
        op.set(REMOVED_ROWS, Long.toString(removedRows));
      }
      op.set(REWRITTEN_FILES, Integer.toString(rewritten.size()));
      op.set(
          REWRITTEN_BYTES,
          Long.toString(rewritten.stream().mapToLong(DataFile::fileSizeInBytes).sum()));
    }
    op.commit();
  }

  /** The merge-on-read commit: the staged rows, the marks, and the files whose rows all go. */
  private RowDelta rowDelta(Transaction txn, List<DataFile> staged) {
    RowDelta delta = txn.newRowDelta().scanManifestsWith(CommitSteps.IN_CALLER);
    staged.forEach(delta::addRows);
    removed.forEach(delta::removeRows);
    marks.added().forEach(delta::addDeletes);
    marks.replaced().forEach(delta::removeDeletes);
    if (base != null) {
      delta.validateFromSnapshot(base);
    }
    return delta
        .conflictDetectionFilter(conflicts)
        .validateDataFilesExist(marks.touched())
        .validateDeletedFiles()
        .validateNoConflictingDataFiles()
        .validateNoConflictingDeleteFiles();
  }

  /** Whether the plan removes or marks any file (an erasure with nothing to erase does not). */
  boolean touchesFiles() {
    return !removed.isEmpty() || (marks != null && !marks.added().isEmpty());
  }

  /**
   * The files this plan wrote (rewritten rows, marks), which are the run's to delete if it fails.
   */
  List<String> written() {
    List<String> out = new ArrayList<>(rewritten.stream().map(DataFile::location).toList());
    if (marks != null) {
      marks.added().forEach(d -> out.add(d.location()));
    }
    return out;
  }

  /**
   * The files of the rows to remove, and the files that keep their other rows; {@code touches}
   * (null: any file with a matching live row) says which files to rewrite.
   */
  private static RowLevelPlan copyOnWrite(
      Table table,
      WriteMode mode,
      Long base,
      Expression candidates,
      Predicate<Record> removes,
      Predicate<FileScanTask> touches,
      String name) {
    Snapshot at = table.currentSnapshot();
    List<DataFile> removed = new ArrayList<>();
    List<DataFile> rewritten = new ArrayList<>();
    long kept = 0;
    if (at == null) {
      return new RowLevelPlan(mode, base, candidates, removed, rewritten, 0, null, 0);
    }
    long matched = 0;
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, at.snapshotId()).format(FileFormat.PARQUET).build();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(at.snapshotId()).filter(candidates).planFiles()) {
      for (FileScanTask task : tasks) {
        if (touches != null && !touches.test(task)) {
          continue;
        }
        Rewrite r = rewrite(table, files, task, removes);
        if (r.matched() == 0 && touches == null) {
          r.discard(table);
          continue;
        }
        removed.add(task.file());
        matched += r.matched();
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
    return new RowLevelPlan(mode, base, candidates, removed, rewritten, kept, null, matched);
  }

  /**
   * The rows to remove marked in position delete files: each data file with matching rows gets one
   * that holds every position deleted so far (its earlier file-scoped position deletes are
   * replaced), or is removed whole when none of its rows stays. Reads only the columns the test
   * needs.
   */
  private static RowLevelPlan mergeOnRead(
      Table table,
      WriteMode mode,
      Long base,
      Expression candidates,
      Predicate<Record> removes,
      java.util.Collection<String> columns,
      String name) {
    Snapshot at = table.currentSnapshot();
    List<DataFile> removed = new ArrayList<>();
    List<DeleteFile> added = new ArrayList<>();
    List<DeleteFile> replaced = new ArrayList<>();
    List<String> touched = new ArrayList<>();
    long marked = 0;
    if (at == null) {
      return new RowLevelPlan(
          mode, base, candidates, removed, List.of(), 0, new Marks(added, replaced, touched), 0);
    }
    Schema read =
        org.apache.iceberg.types.TypeUtil.join(
            table.schema().select(columns),
            new Schema(org.apache.iceberg.MetadataColumns.ROW_POSITION));
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, at.snapshotId())
            .format(FileFormat.PARQUET)
            .operationId("deletes-" + java.util.UUID.randomUUID())
            .build();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(at.snapshotId()).filter(candidates).planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        java.util.BitSet alive = new java.util.BitSet();
        java.util.BitSet matched = new java.util.BitSet();
        try (java.util.stream.Stream<Record> rows = live(table, task, read)) {
          for (Record r : (Iterable<Record>) rows::iterator) {
            int pos =
                Math.toIntExact(
                    (Long) r.getField(org.apache.iceberg.MetadataColumns.ROW_POSITION.name()));
            alive.set(pos);
            if (removes.test(r)) {
              matched.set(pos);
            }
          }
        }
        if (matched.isEmpty()) {
          continue;
        }
        marked += matched.cardinality();
        List<DeleteFile> own =
            task.deletes().stream()
                .filter(d -> d.content() == org.apache.iceberg.FileContent.POSITION_DELETES)
                .filter(
                    d ->
                        file.location()
                            .equals(
                                org.apache.iceberg.util.ContentFileUtil.referencedDataFileLocation(
                                    d)))
                .toList();
        if (matched.equals(alive)) {
          removed.add(file);
          replaced.addAll(own);
          continue;
        }
        // Every position not live now (deleted before) or matched now, in one file.
        java.util.BitSet gone = new java.util.BitSet();
        gone.set(0, Math.toIntExact(file.recordCount()));
        gone.andNot(alive);
        gone.or(matched);
        added.add(positionDeletes(table, files, file, gone));
        replaced.addAll(own);
        touched.add(file.location());
      }
    } catch (IOException e) {
      deleteMarks(table, added, name);
      throw new UncheckedIOException("Cannot plan the files of " + name, e);
    } catch (RuntimeException e) {
      deleteMarks(table, added, name);
      throw e;
    }
    return new RowLevelPlan(
        mode, base, candidates, removed, List.of(), 0, new Marks(added, replaced, touched), marked);
  }

  private static DeleteFile positionDeletes(
      Table table, OutputFileFactory files, DataFile file, java.util.BitSet positions)
      throws IOException {
    org.apache.iceberg.PartitionSpec spec = table.specs().get(file.specId());
    org.apache.iceberg.deletes.PositionDeleteWriter<Record> writer =
        Parquet.writeDeletes(
                spec.isUnpartitioned()
                    ? files.newOutputFile()
                    : files.newOutputFile(spec, file.partition()))
            .setAll(table.properties())
            // Full bounds of file_path: they tell readers, and the next mark, which file it marks.
            .metricsConfig(org.apache.iceberg.MetricsConfig.forPositionDelete())
            .withSpec(spec)
            .withPartition(spec.isUnpartitioned() ? null : file.partition())
            .overwrite()
            .buildPositionWriter();
    org.apache.iceberg.deletes.PositionDelete<Record> delete =
        org.apache.iceberg.deletes.PositionDelete.create();
    try (writer) {
      for (int p = positions.nextSetBit(0); p >= 0; p = positions.nextSetBit(p + 1)) {
        writer.write(delete.set(file.location(), p));
      }
    }
    return writer.toDeleteFile();
  }

  private static void deleteMarks(Table table, List<DeleteFile> files, String name) {
    IcebergOutputTable.deleteQuietly(
        table, files.stream().map(DeleteFile::location).toList(), name);
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
    DataWriter<Record> writer = Compaction.writer(table, files, task.file());
    long[] counts;
    try (writer) {
      counts = copyLive(table, task, removes, writer);
    }
    return new Rewrite(writer.toDataFile(), counts[0], counts[1]);
  }

  /**
   * Writes the rows of a task's file that its deletes leave and {@code removes} does not match;
   * returns the rows matched and the rows written.
   */
  static long[] copyLive(
      Table table, FileScanTask task, Predicate<Record> removes, DataWriter<Record> writer)
      throws IOException {
    Schema schema = table.schema();
    long matched = 0;
    long kept = 0;
    try (java.util.stream.Stream<Record> rows = live(table, task, schema)) {
      int n = schema.columns().size();
      for (Record r : (Iterable<Record>) rows::iterator) {
        if (removes.test(r)) {
          matched++;
        } else {
          // Rows read through deletes carry extra columns (_pos) after the table's.
          Record copy = GenericRecord.create(schema);
          for (int i = 0; i < n; i++) {
            copy.set(i, r.get(i));
          }
          writer.write(copy);
          kept++;
        }
      }
    }
    return new long[] {matched, kept};
  }

  /** The rows of a task's file that its delete files leave, at least {@code schema}'s columns. */
  private static java.util.stream.Stream<Record> live(
      Table table, FileScanTask task, Schema schema) {
    return IcebergReadSplit.records(
        table, schema, task, table.name() + " (" + task.file().location() + ")");
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
