package dev.meshwork.iceberg.internal;

import java.util.List;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.Transactions;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.exceptions.CleanableFailure;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * Transactions that publish a run's version only onto table metadata that holds none yet.
 *
 * <p>Iceberg retries a transaction that lost a race by re-applying its updates to the refreshed
 * table, so a check made once before the commit cannot see an attempt of the same run that landed
 * meanwhile (two attempts of one run id both appended). Here the check is made by the commit
 * itself, on every attempt, against the metadata that attempt replaces: the catalog swaps metadata
 * only if it is still that base, so a version lands only when no attempt of the run landed first.
 */
final class OncePerRun {
  private OncePerRun() {}

  /** A commit attempt found the run's version already in the metadata it would replace. */
  static final class AlreadyPublished extends RuntimeException implements CleanableFailure {
    AlreadyPublished(String runId) {
      super("run " + runId + " is already published", null, false, false);
    }
  }

  /**
   * A transaction on {@code table} whose commit fails with {@link AlreadyPublished} (and cleans the
   * metadata files it wrote) when any of {@code runIds} published meanwhile.
   */
  static Transaction newTransaction(Table table, List<String> runIds) {
    if (!(table instanceof HasTableOperations has)) {
      throw new IllegalStateException(
          "Cannot guard commits to "
              + table.name()
              + ": "
              + table.getClass().getName()
              + " exposes no table operations");
    }
    TableOperations guarded = new Guarded(has.operations(), List.copyOf(runIds));
    return table instanceof BaseTable base
        ? Transactions.newTransaction(table.name(), guarded, base.reporter())
        : Transactions.newTransaction(table.name(), guarded);
  }

  /** The table's operations with a run check before each commit. */
  private static final class Guarded implements TableOperations {
    private final TableOperations ops;
    private final List<String> runIds;

    Guarded(TableOperations ops, List<String> runIds) {
      this.ops = ops;
      this.runIds = runIds;
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
      if (base != null) {
        for (String runId : runIds) {
          if (RunIndex.holds(base, runId)) {
            throw new AlreadyPublished(runId);
          }
        }
      }
      ops.commit(base, metadata);
    }

    @Override
    public TableMetadata current() {
      return ops.current();
    }

    @Override
    public TableMetadata refresh() {
      return ops.refresh();
    }

    @Override
    public FileIO io() {
      return ops.io();
    }

    @Override
    public EncryptionManager encryption() {
      return ops.encryption();
    }

    @Override
    public String metadataFileLocation(String fileName) {
      return ops.metadataFileLocation(fileName);
    }

    @Override
    public LocationProvider locationProvider() {
      return ops.locationProvider();
    }

    @Override
    public TableOperations temp(TableMetadata uncommittedMetadata) {
      return ops.temp(uncommittedMetadata);
    }

    @Override
    public long newSnapshotId() {
      return ops.newSnapshotId();
    }

    @Override
    public boolean requireStrictCleanup() {
      return ops.requireStrictCleanup();
    }
  }
}
