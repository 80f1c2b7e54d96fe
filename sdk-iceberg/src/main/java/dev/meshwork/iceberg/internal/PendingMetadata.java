package dev.meshwork.iceberg.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * The schema evolution and property changes an output port needs, held back until its version is
 * committed: writers see them through {@link #view} (files carry the evolved field ids), and {@link
 * #applyTo} puts them in the commit's transaction, so an aborted or failed run changes nothing a
 * reader of the table can see.
 */
final class PendingMetadata {
  private final Schema contract;
  private final Schema written;
  private final Map<String, String> properties;

  private PendingMetadata(Schema contract, Schema written, Map<String, String> properties) {
    this.contract = contract;
    this.written = written;
    this.properties = Map.copyOf(properties);
  }

  /** Nothing to change. */
  static PendingMetadata none() {
    return new PendingMetadata(null, null, Map.of());
  }

  /**
   * What {@code table} needs to match: {@code evolved} (the table's schema united with the
   * contract's, null when unchanged) and the properties whose values differ.
   */
  static PendingMetadata of(
      Table table, Schema contract, Schema evolved, Map<String, String> properties) {
    Map<String, String> changed = new LinkedHashMap<>();
    properties.forEach(
        (k, v) -> {
          if (!Objects.equals(table.properties().get(k), v)) {
            changed.put(k, v);
          }
        });
    return new PendingMetadata(contract, evolved, changed);
  }

  boolean isEmpty() {
    return written == null && properties.isEmpty();
  }

  /** Whether the schema changes. */
  boolean evolvesSchema() {
    return written != null;
  }

  /** The table as it will be after the commit, for writers; read-only. */
  Table view(Table table) {
    if (isEmpty()) {
      return table;
    }
    TableOperations ops = ((HasTableOperations) table).operations();
    TableMetadata base = ops.current();
    TableMetadata.Builder b = TableMetadata.buildFrom(base);
    if (written != null) {
      b.setCurrentSchema(written, Math.max(base.lastColumnId(), written.highestFieldId()));
    }
    if (!properties.isEmpty()) {
      Map<String, String> all = new LinkedHashMap<>(base.properties());
      all.putAll(properties);
      b.setProperties(all);
    }
    return new BaseTable(new ReadOnly(ops, b.build()), table.name());
  }

  /**
   * Adds the changes to {@code txn}; refuses when the table's schema moved since the files were
   * written, so that their field ids would no longer be the table's.
   */
  void applyTo(Transaction txn, String identifier) {
    if (written != null && !txn.table().schema().sameSchema(written)) {
      txn.updateSchema().unionByNameWith(contract).commit();
      if (!txn.table().schema().asStruct().equals(written.asStruct())) {
        throw new org.apache.iceberg.exceptions.ValidationException(
            "the schema of %s changed while this run was writing (now %s, the files were written"
                + " for %s); rerun with the same run id",
            identifier, txn.table().schema().asStruct(), written.asStruct());
      }
    }
    Map<String, String> changed = new LinkedHashMap<>();
    properties.forEach(
        (k, v) -> {
          if (!Objects.equals(txn.table().properties().get(k), v)) {
            changed.put(k, v);
          }
        });
    // A transaction refuses the next operation while one it handed out is uncommitted.
    if (!changed.isEmpty()) {
      UpdateProperties update = txn.updateProperties();
      changed.forEach(update::set);
      update.commit();
    }
  }

  @Override
  public String toString() {
    return (written == null ? "" : "schema evolution; ") + "properties " + properties.keySet();
  }

  /** Operations that show staged metadata and refuse to commit. */
  private static final class ReadOnly implements TableOperations {
    private final TableOperations delegate;
    private final TableMetadata metadata;

    ReadOnly(TableOperations delegate, TableMetadata metadata) {
      this.delegate = delegate;
      this.metadata = metadata;
    }

    @Override
    public TableMetadata current() {
      return metadata;
    }

    @Override
    public TableMetadata refresh() {
      return metadata;
    }

    @Override
    public void commit(TableMetadata base, TableMetadata updated) {
      throw new UnsupportedOperationException(
          "a writer's view of a table with pending metadata cannot commit");
    }

    @Override
    public FileIO io() {
      return delegate.io();
    }

    @Override
    public org.apache.iceberg.encryption.EncryptionManager encryption() {
      return delegate.encryption();
    }

    @Override
    public String metadataFileLocation(String fileName) {
      return delegate.metadataFileLocation(fileName);
    }

    @Override
    public LocationProvider locationProvider() {
      return delegate.locationProvider();
    }

    @Override
    public long newSnapshotId() {
      return delegate.newSnapshotId();
    }
  }
}
