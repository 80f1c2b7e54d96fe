package dev.meshwork.iceberg;

import dev.meshwork.core.QuarantineColumns;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.iceberg.internal.OrphanFiles;
import dev.meshwork.spi.MetricsHistory;
import dev.meshwork.spi.TableAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Upkeep of a product's tables in an {@link IcebergStore}: removes the files that no version of
 * them refers to (what killed or failed runs left behind).
 *
 * <pre>{@code
 * Maintenance.of(store).removeOrphanFiles(product, Maintenance.DEFAULT_ORPHAN_AGE);
 * }</pre>
 */
public final class Maintenance {
  /** Files younger than this are left alone by default: they may belong to a run still writing. */
  public static final Duration DEFAULT_ORPHAN_AGE = Duration.ofDays(3);

  private final IcebergStore store;
  private final Clock clock;

  private Maintenance(IcebergStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Maintenance of the tables in {@code store}, on the system clock. */
  public static Maintenance of(IcebergStore store) {
    return of(store, Clock.systemUTC());
  }

  /** Maintenance of the tables in {@code store}; {@code clock} decides which files are old. */
  public static Maintenance of(IcebergStore store, Clock clock) {
    return new Maintenance(store, clock);
  }

  /** What one table's orphan pass did. */
  public record TableResult(String table, int deletedFiles, long deletedBytes, int tooYoung) {}

  /** What an orphan pass did, per table. */
  public record OrphanReport(List<TableResult> tables) {
    /** Copies the list. */
    public OrphanReport {
      tables = List.copyOf(tables);
    }

    /** Files deleted in every table. */
    public int deletedFiles() {
      return tables.stream().mapToInt(TableResult::deletedFiles).sum();
    }

    /** Bytes deleted in every table. */
    public long deletedBytes() {
      return tables.stream().mapToLong(TableResult::deletedBytes).sum();
    }
  }

  /**
   * Deletes the files under the locations of {@code product}'s tables (its output ports, their
   * quarantine tables, its quality history and any other table of its namespace) that no version
   * refers to and that are older than {@code olderThan}. Files of a commit whose outcome is unknown
   * stay while its list is younger than {@code olderThan}, for the rerun to settle.
   */
  public OrphanReport removeOrphanFiles(DataProduct product, Duration olderThan) {
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException(
          "Cannot remove orphan files younger than " + olderThan + ": give an age of zero or more");
    }
    List<TableResult> out = new ArrayList<>();
    for (TableIdentifier id : tables(product)) {
      OrphanFiles.Result r =
          OrphanFiles.remove(store.catalog(), id, clock.instant().minus(olderThan));
      out.add(new TableResult(r.table(), r.deleted(), r.deletedBytes(), r.tooYoung()));
    }
    return new OrphanReport(out);
  }

  private Set<TableIdentifier> tables(DataProduct product) {
    Set<TableIdentifier> ids = new LinkedHashSet<>();
    Namespace ns = null;
    for (OutputPortSpec port : product.outputPorts()) {
      List<String> name =
          new TableAddress(product.domain(), product.displayName(), port.name()).conventionalName();
      ns = Namespace.of(name.subList(0, name.size() - 1).toArray(String[]::new));
      String table = name.get(name.size() - 1);
      ids.add(TableIdentifier.of(ns, table));
      ids.add(TableIdentifier.of(ns, table + QuarantineColumns.TABLE_SUFFIX));
    }
    if (ns != null) {
      ids.add(TableIdentifier.of(ns, MetricsHistory.TABLE));
      if (store.catalog() instanceof SupportsNamespaces namespaces
          && namespaces.namespaceExists(ns)) {
        ids.addAll(store.catalog().listTables(ns));
      }
    }
    return ids;
  }
}
