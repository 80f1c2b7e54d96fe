package dev.meshwork.iceberg.internal;

import dev.meshwork.core.CommitStateUnknownException;
import dev.meshwork.core.StoreException;
import dev.meshwork.core.SummaryKeys;
import dev.meshwork.core.schema.Field;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.PublishRequest;
import dev.meshwork.spi.PublishResult;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.StagedWriter;
import dev.meshwork.spi.TableInfo;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An Iceberg table open for one output port of one run. */
final class IcebergOutputTable
    implements OutputTable,
        dev.meshwork.spi.RowLevelWrites,
        dev.meshwork.spi.AuditedPublishing,
        dev.meshwork.spi.PartedWrites {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergOutputTable.class);

  /** Attempts of a commit that carries schema or property changes (which Iceberg cannot retry). */
  private static final int PENDING_COMMIT_ATTEMPTS = 10;

  private Table table;
  private java.util.function.Supplier<Table> creation;
  private final PendingMetadata pending;
  private final Table writeView;
  private final TableInfo info;
  private final dev.meshwork.iceberg.internal.parquet.WriteResources resources;

  /** The version the port opened on (null: none yet): row-level commits validate from it. */
  private final Long opened;

  /**
   * The files row-level plans wrote for audit branches, to delete with a branch that is dropped.
   */
  private final Map<String, List<String>> branchFiles =
      new java.util.concurrent.ConcurrentHashMap<>();

  IcebergOutputTable(
      Table table,
      PendingMetadata pending,
      TableInfo info,
      dev.meshwork.iceberg.internal.parquet.WriteResources resources) {
    this(table, null, pending, info, resources);
  }

  /**
   * A table that does not exist yet: {@code staged} is its create transaction's table (writers use
   * it), and {@code creation} creates it in the catalog when the run publishes, so a run that never
   * publishes leaves no table behind.
   */
  IcebergOutputTable(
      Table staged,
      java.util.function.Supplier<Table> creation,
      PendingMetadata pending,
      TableInfo info,
      dev.meshwork.iceberg.internal.parquet.WriteResources resources) {
    this.resources = resources;
    this.table = staged;
    this.creation = creation;
    this.pending = pending;
    this.writeView = pending.view(staged);
    this.info = info;
    Snapshot current = creation == null ? staged.currentSnapshot() : null;
    this.opened = current == null ? null : current.snapshotId();
  }

  @Override
  public java.util.Set<dev.meshwork.core.WriteMode.Kind> writeModes() {
    return java.util.EnumSet.allOf(dev.meshwork.core.WriteMode.Kind.class);
  }

  /** The table in the catalog, created now if the run is the first to publish to it. */
  private synchronized Table created() {
    if (creation != null) {
      table = creation.get();
      creation = null;
    }
    return table;
  }

  private synchronized boolean uncreated() {
    return creation != null;
  }

  @Override
  public TableInfo info() {
    return info;
  }

  Table table() {
    return table;
  }

  @Override
  public <T> StagedWriter<T> newWriter(StructShape<T> shape, String runId) {
    return new StagingWriter<>(
        writeView,
        coverAllColumns(writeView, shape),
        TableNames.fileSafe(runId),
        info.identifier(),
        resources);
  }

  /**
   * Every column of a Parquet file must be written, so columns the table has beyond the contract
   * (kept from an earlier contract version) are written as nulls.
   */
  static <T> StructShape<T> coverAllColumns(Table table, StructShape<T> shape) {
    List<Member<T>> members = new ArrayList<>(shape.members());
    List<Field> fields = new ArrayList<>(shape.type().fields());
    for (Types.NestedField column : table.schema().columns()) {
      if (shape.type().field(column.name()).isEmpty()) {
        Field f = IcebergSchemas.fromIceberg(new org.apache.iceberg.Schema(column)).fields().get(0);
        members.add(
            new Member<>(
                f, (FieldAccessor.OfObject<T>) t -> null, ValueShapes.canonical(f.type())));
        fields.add(f);
      }
    }
    if (members.size() == shape.members().size()) {
      return shape;
    }
    return new StructShape<>(
        shape.javaType(),
        new dev.meshwork.core.schema.StructType(fields),
        members,
        shape::create,
        shape::retain);
  }

  @Override
  public dev.meshwork.spi.PartTarget partTarget() {
    return new IcebergPartTarget(writeView, info.identifier(), resources.threads());
  }

  @Override
  public StagedFiles combine(List<StagedFiles> parts) {
    List<DataFile> files = new ArrayList<>();
    for (StagedFiles p : parts) {
      if (!(p instanceof IcebergStagedFiles iceberg)) {
        throw new IllegalArgumentException(
            "Cannot publish to "
                + info.identifier()
                + " files staged by another store ("
                + p.getClass().getName()
                + "); stage parts through this table's partTarget()");
      }
      files.addAll(iceberg.dataFiles());
    }
    return new IcebergStagedFiles(files);
  }

  @Override
  public PublishResult publish(PublishRequest request) {
    IcebergStagedFiles files = (IcebergStagedFiles) request.files();
    Optional<RunIndex.Entry> earlier;
    List<String> unsettled;
    try {
      created().refresh();
      earlier = published(request);
      unsettled = UnknownCommits.read(table, request.runId());
    } catch (StoreException e) {
      // Another writer created the table with a shape this run's files do not fit.
      String fate = onFailure(request);
      throw new StoreException(
          e.getMessage()
              + " Nothing was published and the staged files were "
              + fate
              + ". Rerun with the same run id: it writes for the table as it is now.",
          e);
    } catch (RuntimeException e) {
      // Nothing was sent to commit: a known failure.
      String fate = onFailure(request);
      throw new StoreException(
          "Cannot reach the catalog of "
              + info.identifier()
              + " to commit ("
              + withRootCause(e)
              + "); nothing was published and the staged files were "
              + fate
              + ". Rerun when the catalog is back.",
          e);
    }
    if (earlier.isPresent()) {
      return alreadyPublished(files, earlier.get(), request);
    }
    RowLevelPlan plan;
    try {
      plan = RowLevelPlan.of(table, files.dataFiles(), request.mode(), opened, info.identifier());
    } catch (RuntimeException e) {
      String fate = onFailure(request);
      throw e instanceof dev.meshwork.core.MeshworkException m
          ? withFate(m, fate)
          : new StoreException(
              "Cannot plan the "
                  + request.mode()
                  + " of "
                  + info.identifier()
                  + ": "
                  + withRootCause(e)
                  + "; nothing was published and the staged files were "
                  + fate,
              e);
    }
    try {
      commit(files, request, plan);
    } catch (OncePerRun.AlreadyPublished e) {
      // Another attempt of this run landed while this one was committing.
      deleteQuietly(table, plan.written(), info.identifier());
      table.refresh();
      RunIndex.Entry theirs =
          published(request)
              .orElseThrow(
                  () ->
                      new StoreException(
                          "Run "
                              + request.runId()
                              + " was published to "
                              + info.identifier()
                              + " by another attempt, but its version cannot be found",
                          e));
      return alreadyPublished(files, theirs, request);
    } catch (org.apache.iceberg.exceptions.ValidationException e) {
      deleteQuietly(table, plan.written(), info.identifier());
      String fate = onFailure(request);
      throw new dev.meshwork.core.WriteConflictException(
          "Cannot publish run "
              + request.runId()
              + " to "
              + info.identifier()
              + " as "
              + request.mode()
              + ": another writer changed rows it replaces since the port opened"
              + (opened == null ? "" : " on snapshot " + opened)
              + " ("
              + e.getMessage()
              + "). Nothing was published, so no writer's rows were lost, and the staged files"
              + " were "
              + fate
              + ". Rerun to compute from the table as it is now.",
          e);
    } catch (org.apache.iceberg.exceptions.CommitStateUnknownException e) {
      List<String> kept = new ArrayList<>(files.locations());
      kept.addAll(plan.written());
      String journal = UnknownCommits.record(table, request.runId(), kept);
      throw new CommitStateUnknownException(
          "The commit to "
              + info.identifier()
              + " may or may not have succeeded ("
              + e.getMessage()
              + "); staged files were kept"
              + (journal == null ? "" : " and listed in " + journal)
              + ". A snapshot with summary "
              + SummaryKeys.RUN_ID
              + "="
              + request.runId()
              + " means it landed; the rerun with the same run id checks this for you, publishes only if it did not, and then deletes the kept files",
          e);
    } catch (RuntimeException e) {
      deleteQuietly(table, plan.written(), info.identifier());
      String fate = onFailure(request);
      throw new StoreException(
          "Cannot commit to "
              + info.identifier()
              + ": "
              + e.getMessage()
              + "; staged files were "
              + fate,
          e);
    }
    // The earlier attempt did not land (this run's snapshot was not there): its files are garbage.
    deleteQuietly(table, unsettled, info.identifier());
    UnknownCommits.settle(table, request.runId());
    table.refresh();
    RunIndex.Entry published =
        RunIndex.find(table, request.runId())
            .orElseThrow(
                () ->
                    new StoreException(
                        "Committed to "
                            + info.identifier()
                            + " but cannot find the snapshot of run "
                            + request.runId()));
    return result(published, PublishResult.Outcome.PUBLISHED);
  }

  /** The version that published the request's run (or any run it carries), if one did. */
  private Optional<RunIndex.Entry> published(PublishRequest request) {
    for (String runId : request.runIds()) {
      Optional<RunIndex.Entry> found = RunIndex.find(table, runId);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** Reports the run's existing version and deletes the staged files it does not reference. */
  private PublishResult alreadyPublished(
      IcebergStagedFiles files, RunIndex.Entry earlier, PublishRequest request) {
    discardUnreferenced(files, earlier);
    // An earlier attempt of this run whose outcome was unknown did land: its files are live.
    UnknownCommits.settle(table, request.runId());
    LOG.info(
        "Run {} already published {} as snapshot {}; not appending again",
        request.runId(),
        info.identifier(),
        earlier.snapshotId());
    return result(earlier, PublishResult.Outcome.ALREADY_PUBLISHED);
  }

  /**
   * The version, its run's index entry and the table's pending schema and property changes land in
   * one commit, or none does, and only if no attempt of the run landed first ({@link OncePerRun}).
   * Iceberg cannot replay a schema change on a table that moved meanwhile, so such a commit is
   * retried here on the refreshed table.
   */
  private void commit(IcebergStagedFiles files, PublishRequest request, RowLevelPlan plan) {
    for (int attempt = 1; ; attempt++) {
      org.apache.iceberg.Transaction txn = OncePerRun.newTransaction(table, request.runIds());
      pending.applyTo(txn, info.identifier());
      plan.apply(txn, files.dataFiles(), request.summary());
      RunIndex.record(txn, request.runIds(), txn.table().currentSnapshot());
      try {
        txn.commitTransaction();
        return;
      } catch (RuntimeException e) {
        if (pending.isEmpty() || attempt >= PENDING_COMMIT_ATTEMPTS || !conflict(e)) {
          throw e;
        }
        LOG.info(
            "Commit to {} with {} met a concurrent commit; retrying ({} of {})",
            info.identifier(),
            pending,
            attempt + 1,
            PENDING_COMMIT_ATTEMPTS);
        table.refresh();
      }
    }
  }

  /** Whether a failed commit lost a race (and may be retried on the refreshed table). */
  private static boolean conflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.apache.iceberg.exceptions.CommitStateUnknownException) {
        return false;
      }
      if (t instanceof org.apache.iceberg.exceptions.CommitFailedException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public PublishResult publishToBranch(PublishRequest request, String branch) {
    IcebergStagedFiles files = (IcebergStagedFiles) request.files();
    created().refresh();
    Optional<RunIndex.Entry> earlier = RunIndex.find(table, request.runId());
    if (earlier.isPresent()) {
      discardUnreferenced(files, earlier.get());
      return result(earlier.get(), PublishResult.Outcome.ALREADY_PUBLISHED);
    }
    try {
      if (table.refs().containsKey(branch)) {
        table.manageSnapshots().removeBranch(branch).commit();
      }
      if (table.currentSnapshot() != null) {
        table.manageSnapshots().createBranch(branch, table.currentSnapshot().snapshotId()).commit();
      }
      // An audited version needs the evolved schema to be read back: the pending changes land
      // with the branch (readers of main see a new optional column, no new rows). The audit sees
      // the resulting table: a mode that replaces rows replaces them on the branch.
      org.apache.iceberg.Transaction txn = table.newTransaction();
      pending.applyTo(txn, info.identifier());
      RowLevelPlan plan =
          RowLevelPlan.of(table, files.dataFiles(), request.mode(), opened, info.identifier());
      branchFiles.put(branch, plan.written());
      plan.apply(txn, files.dataFiles(), request.summary(), branch);
      txn.commitTransaction();
    } catch (org.apache.iceberg.exceptions.CommitStateUnknownException e) {
      throw new CommitStateUnknownException(
          "The audit commit to "
              + info.identifier()
              + " branch "
              + branch
              + " may or may not have succeeded; main is untouched",
          e);
    } catch (RuntimeException e) {
      deleteQuietly(table, branchFiles.getOrDefault(branch, List.of()), info.identifier());
      String fate = onFailure(request);
      throw new StoreException(
          "Cannot commit to audit branch "
              + branch
              + " of "
              + info.identifier()
              + ": "
              + e.getMessage()
              + "; staged files were "
              + fate,
          e);
    }
    table.refresh();
    return result(RunIndex.entry(table.snapshot(branch)), PublishResult.Outcome.PUBLISHED);
  }

  @Override
  public PublishResult promote(String branch, StagedFiles files) {
    table.refresh();
    Snapshot head = table.snapshot(branch);
    String runId = head.summary().get(SummaryKeys.RUN_ID);
    try {
      // Main moves and the run's index entry is written in one commit, unless another attempt of
      // the run moved it first.
      org.apache.iceberg.Transaction txn =
          OncePerRun.newTransaction(table, runId == null ? List.of() : List.of(runId));
      if (table.currentSnapshot() == null) {
        txn.manageSnapshots()
            .createBranch(SnapshotRef.MAIN_BRANCH, head.snapshotId())
            .removeBranch(branch)
            .commit();
      } else {
        txn.manageSnapshots()
            .fastForwardBranch(SnapshotRef.MAIN_BRANCH, branch)
            .removeBranch(branch)
            .commit();
      }
      if (runId != null) {
        RunIndex.record(txn, List.of(runId), head);
      }
      txn.commitTransaction();
    } catch (RuntimeException e) {
      table.refresh();
      Optional<RunIndex.Entry> theirs =
          runId == null ? Optional.empty() : RunIndex.find(table, runId);
      if (theirs.isEmpty()) {
        throw new StoreException(
            "The audit of "
                + info.identifier()
                + " passed, but main cannot move to branch "
                + branch
                + " ("
                + e.getMessage()
                + "); another writer probably published meanwhile. The audited version stays on the branch; rerun to publish.",
            e);
      }
      // Another attempt of this run published while this one audited: this attempt's version is
      // not needed.
      if (table.refs().containsKey(branch)) {
        table.manageSnapshots().removeBranch(branch).commit();
      }
      discardUnreferenced(files, theirs.get());
      LOG.info(
          "Run {}: another attempt published {} as snapshot {} first; audit branch {} removed",
          runId,
          info.identifier(),
          theirs.get().snapshotId(),
          branch);
      return result(theirs.get(), PublishResult.Outcome.ALREADY_PUBLISHED);
    }
    table.refresh();
    RunIndex.Entry published =
        runId == null
            ? RunIndex.entry(head)
            : RunIndex.find(table, runId).orElse(RunIndex.entry(head));
    return result(published, PublishResult.Outcome.PUBLISHED);
  }

  @Override
  public void dropBranch(String branch, StagedFiles files) {
    if (uncreated()) {
      discard(files);
      return;
    }
    table.refresh();
    if (table.refs().containsKey(branch)) {
      table.manageSnapshots().removeBranch(branch).commit();
    }
    discard(files);
    // What a row-level plan rewrote for the branch belongs to no other version.
    deleteQuietly(table, branchFiles.getOrDefault(branch, List.of()), info.identifier());
  }

  @Override
  public Map<String, String> headSummary(String branch) {
    if (uncreated()) {
      return Map.of();
    }
    try {
      table.refresh();
    } catch (RuntimeException e) {
      throw new StoreException(
          "Cannot reach the catalog of "
              + info.identifier()
              + " to read its published version ("
              + withRootCause(e)
              + "). Rerun when the catalog is back.",
          e);
    }
    Snapshot s =
        SnapshotRef.MAIN_BRANCH.equals(branch) ? table.currentSnapshot() : table.snapshot(branch);
    return s == null ? Map.of() : s.summary();
  }

  @Override
  public <T> Stream<T> readBranch(String branch, StructShape<T> shape) {
    if (uncreated()) {
      return Stream.empty();
    }
    table.refresh();
    Snapshot s = table.snapshot(branch);
    return s == null
        ? Stream.empty()
        : new IcebergInputTable(table, info).read(shape, java.util.OptionalLong.of(s.snapshotId()));
  }

  private PublishResult result(RunIndex.Entry e, PublishResult.Outcome outcome) {
    return new PublishResult(
        info.identifier(),
        e.snapshotId(),
        outcome,
        e.rows(),
        e.files(),
        e.bytes(),
        e.removedRows(),
        e.removedFiles());
  }

  /** {@code e} with what became of the staged files added to its message. */
  private static RuntimeException withFate(dev.meshwork.core.MeshworkException e, String fate) {
    String msg = e.getMessage() + " Nothing was published and the staged files were " + fate + ".";
    if (e instanceof dev.meshwork.core.ContractViolationException) {
      return new dev.meshwork.core.ContractViolationException(msg);
    }
    return new StoreException(msg, e);
  }

  /** The message, and the root cause's when it differs ("…request: Connection refused"). */
  private static String withRootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.getMessage() : e.getMessage() + ": " + root.getMessage();
  }

  /**
   * Deletes the staged files that {@code published} does not reference: a rerun's fresh files are
   * garbage, but a retried commit (a lost answer, a restored checkpoint, a re-sent set of parts)
   * hands over the very files that version made live.
   */
  private void discardUnreferenced(StagedFiles files, RunIndex.Entry found) {
    Snapshot published = found.snapshot();
    java.util.Set<String> live = published == null ? null : addedBy(List.of(published));
    if (live == null) {
      // An expired snapshot's files may still be live in later versions: delete none.
      LOG.warn(
          "The {} files handed to {} for a run already published as version {} are kept: that"
              + " version's files cannot be read{}",
          files.locations().size(),
          info.identifier(),
          found.snapshotId(),
          published == null ? " (its snapshot expired)" : "");
      return;
    }
    List<String> garbage =
        files.locations().stream().filter(l -> !live.contains(fileName(l))).toList();
    if (garbage.size() < files.locations().size()) {
      LOG.info(
          "{} of the {} files handed to {} for run {} are already live in snapshot {}; kept",
          files.locations().size() - garbage.size(),
          files.locations().size(),
          info.identifier(),
          published.summary().get(SummaryKeys.RUN_ID),
          published.snapshotId());
    }
    deleteQuietly(table, garbage, info.identifier());
  }

  /**
   * The names of the files {@code snapshots} added (read from the manifests each wrote, merged ones
   * included), or null when they cannot be read: then no file may be deleted as unreferenced.
   */
  private java.util.Set<String> addedBy(List<Snapshot> snapshots) {
    java.util.Set<String> live = new java.util.HashSet<>();
    for (Snapshot s : snapshots) {
      try {
        for (org.apache.iceberg.ManifestFile m : s.dataManifests(table.io())) {
          if (m.snapshotId() == null || m.snapshotId() != s.snapshotId()) {
            continue;
          }
          try (org.apache.iceberg.io.CloseableIterable<DataFile> added =
              org.apache.iceberg.ManifestFiles.read(m, table.io(), table.specs())) {
            added.forEach(f -> live.add(fileName(f.location())));
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        LOG.warn(
            "Cannot read the manifests of snapshot {} of {} ({})",
            s.snapshotId(),
            info.identifier(),
            e.getMessage());
        return null;
      }
    }
    return live;
  }

  /** The last segment of a location: file names are unique, their location spellings vary. */
  private static String fileName(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /** What follows the run's prefix in the name of a part's file: part and attempt numbers. */
  private static final java.util.regex.Pattern PART_FILE =
      java.util.regex.Pattern.compile("\\d+-attempt\\d+-");

  @Override
  public void discardParts(String runId) {
    if (!(table.io() instanceof org.apache.iceberg.io.SupportsPrefixOperations io)) {
      LOG.info(
          "{} cannot list its files ({}): files of part attempts of run {} that never reached the"
              + " coordinator are left to Iceberg's remove-orphan-files",
          info.identifier(),
          table.io().getClass().getSimpleName(),
          runId);
      return;
    }
    try {
      if (!uncreated()) {
        table.refresh();
      }
      Optional<RunIndex.Entry> published = RunIndex.find(table, runId);
      List<Snapshot> ofRun = new ArrayList<>();
      for (Snapshot s : table.snapshots()) {
        if (runId.equals(s.summary().get(SummaryKeys.RUN_ID))) {
          ofRun.add(s);
        }
      }
      boolean unindexed =
          !table.properties().containsKey(SummaryKeys.PUBLISHED_RUNS)
              && table.currentSnapshot() != null;
      if (published.isPresent() && published.get().snapshot() == null
          || unindexed && ofRun.isEmpty()) {
        // The run's version expired (or a table without index cannot tell): its files may still
        // be live in later versions, so none is deleted as unreferenced.
        LOG.info(
            "Run {}: part files of {} are left to Iceberg's remove-orphan-files: the run's"
                + " version cannot be read",
            runId,
            info.identifier());
        return;
      }
      java.util.Set<String> live = addedBy(ofRun);
      if (live == null) {
        return;
      }
      String prefix = IcebergPartTarget.filePrefix(runId);
      String data =
          table
              .properties()
              .getOrDefault(
                  org.apache.iceberg.TableProperties.WRITE_DATA_LOCATION,
                  table.location() + "/data");
      List<String> garbage = new ArrayList<>();
      for (org.apache.iceberg.io.FileInfo f : io.listPrefix(data)) {
        String name = fileName(f.location());
        if (name.startsWith(prefix)
            && PART_FILE.matcher(name.substring(prefix.length())).lookingAt()
            && !live.contains(name)) {
          garbage.add(f.location());
        }
      }
      if (!garbage.isEmpty()) {
        LOG.info(
            "Run {}: deleting {} files of part attempts that no version of {} references",
            runId,
            garbage.size(),
            info.identifier());
        deleteQuietly(table, garbage, info.identifier());
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Run {}: cannot look for left-behind part files of {} ({}); Iceberg's"
              + " remove-orphan-files removes them",
          runId,
          info.identifier(),
          e.getMessage());
    }
  }

  /** Deletes the request's files unless its caller keeps them; says which, for messages. */
  private String onFailure(PublishRequest request) {
    if (request.onFailure() == PublishRequest.OnFailure.KEEP_FILES) {
      return "kept for the caller to retry";
    }
    discard(request.files());
    return "deleted";
  }

  @Override
  public void discard(StagedFiles files) {
    deleteQuietly(table, files.locations(), info.identifier());
  }

  static void deleteQuietly(Table table, List<String> locations, String tableName) {
    int failed = 0;
    for (String location : locations) {
      try {
        table.io().deleteFile(location);
      } catch (RuntimeException e) {
        failed++;
        LOG.warn("Could not delete staged file {} of {}: {}", location, tableName, e.getMessage());
      }
    }
    if (failed > 0) {
      LOG.warn(
          "{} staged files of {} are left behind; they belong to no snapshot and Iceberg's remove-orphan-files removes them",
          failed,
          tableName);
    }
  }
}
