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
 * them refers to (what killed or failed runs left behind), expires old snapshots keeping what
 * consumers still need, compacts small files and rewrites manifests.
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

  /** What one table's snapshot expiry did: snapshots expired and kept, consumer pins. */
  public record ExpiryResult(String table, int expired, int kept, List<String> consumerPins) {}

  /**
   * Expires the snapshots of {@code product}'s tables older than each output port's retention: the
   * ODCS SLA property {@code retention} of its contract ({@code value} with {@code unit} d, w, m or
   * y), else {@link #DEFAULT_SNAPSHOT_RETENTION}. See {@link #expireSnapshots(DataProduct,
   * Duration)} for what is always kept.
   */
  public List<ExpiryResult> expireSnapshots(DataProduct product) {
    return expire(product, null);
  }

  /**
   * Expires the snapshots of {@code product}'s tables older than {@code retention}, keeping each
   * table's current snapshot, its branches and tags, and the version each consumer's latest run
   * recorded as consumed (pinned with a tag {@code meshwork-consumed-by.<consumer table>.<port>}
   * first, found by reading the current version of every table in the catalog). Files that only
   * expired snapshots held are deleted.
   */
  public List<ExpiryResult> expireSnapshots(DataProduct product, Duration retention) {
    if (retention.isNegative()) {
      throw new IllegalArgumentException(
          "Cannot keep snapshots for " + retention + ": give a retention of zero or more");
    }
    return expire(product, retention);
  }

  /** What compacting one table did: small files rewritten, files added in their place. */
  public record CompactionResult(String table, int rewrittenFiles, int addedFiles) {}

  /**
   * Rewrites the small data files of {@code product}'s output tables (below three quarters of the
   * table's {@code write.target-file-size-bytes}), partition by partition, into files of about that
   * size: one Iceberg {@code replace} snapshot per table, marked {@code
   * meshwork.maintenance=compaction}, with the same rows and data sequence numbers. Readers of any
   * engine see the same data; the files it replaced stay for older snapshots until those expire.
   */
  public List<CompactionResult> compact(DataProduct product) {
    List<CompactionResult> out = new ArrayList<>();
    existing(product)
        .forEach(
            (id, t) -> {
              var r = dev.meshwork.iceberg.internal.Compaction.compact(t, id.toString());
              out.add(new CompactionResult(r.table(), r.rewritten(), r.added()));
            });
    return out;
  }

  /** What rewriting one table's manifests did: manifests before and after. */
  public record ManifestResult(String table, int manifestsBefore, int manifestsAfter) {}

  /**
   * Rewrites the data manifests of {@code product}'s tables, one group per partition spec, into
   * manifests of about {@code commit.manifest.target-size-bytes} (Iceberg's 8 MiB by default): a
   * port that took thousands of small commits has as many small manifests, which every scan plans
   * through. One Iceberg {@code replace} snapshot per table that had more than one.
   */
  public List<ManifestResult> rewriteManifests(DataProduct product) {
    List<ManifestResult> out = new ArrayList<>();
    for (var e : existing(product).entrySet()) {
      TableIdentifier id = e.getKey();
      org.apache.iceberg.Table t = e.getValue();
      if (t.currentSnapshot() == null) {
        continue;
      }
      int before = t.currentSnapshot().dataManifests(t.io()).size();
      if (before > 1) {
        t.rewriteManifests()
            .clusterBy(org.apache.iceberg.ContentFile::specId)
            .set(dev.meshwork.iceberg.internal.Compaction.SUMMARY_KEY, "rewrite-manifests")
            .commit();
        t.refresh();
      }
      out.add(
          new ManifestResult(
              id.toString(), before, t.currentSnapshot().dataManifests(t.io()).size()));
    }
    return out;
  }

  /** Snapshots are kept this long when a port's contract names no retention. */
  public static final Duration DEFAULT_SNAPSHOT_RETENTION = Duration.ofDays(7);

  private List<ExpiryResult> expire(DataProduct product, Duration retention) {
    java.util.Map<String, java.util.Map<String, dev.meshwork.iceberg.internal.SnapshotExpiry.Pin>>
        consumed = dev.meshwork.iceberg.internal.SnapshotExpiry.consumed(store.catalog());
    java.util.Map<TableIdentifier, Duration> keep = new java.util.LinkedHashMap<>();
    for (OutputPortSpec port : product.outputPorts()) {
      Duration d = retention != null ? retention : retentionOf(product, port);
      List<String> name =
          new TableAddress(product.domain(), product.displayName(), product.outputKey(port))
              .conventionalName();
      Namespace ns = Namespace.of(name.subList(0, name.size() - 1).toArray(String[]::new));
      String table = name.get(name.size() - 1);
      keep.put(TableIdentifier.of(ns, table), d);
      keep.put(TableIdentifier.of(ns, table + QuarantineColumns.TABLE_SUFFIX), d);
    }
    for (TableIdentifier id : tables(product)) {
      keep.putIfAbsent(id, retention != null ? retention : DEFAULT_SNAPSHOT_RETENTION);
    }
    List<ExpiryResult> out = new ArrayList<>();
    keep.forEach(
        (id, d) -> {
          var r =
              dev.meshwork.iceberg.internal.SnapshotExpiry.expire(
                  store.catalog(),
                  id,
                  clock.instant().minus(d),
                  consumed.getOrDefault(id.toString(), java.util.Map.of()));
          out.add(new ExpiryResult(r.table(), r.expired(), r.kept(), r.pins()));
        });
    return out;
  }

  /** The contract's SLA retention of {@code port}'s table, or the default. */
  static Duration retentionOf(DataProduct product, OutputPortSpec port) {
    var contract =
        port.contractId() == null ? null : product.contract(port.contractId()).orElse(null);
    if (contract == null) {
      return DEFAULT_SNAPSHOT_RETENTION;
    }
    for (var sla : contract.slaProperties()) {
      if (!"retention".equals(sla.property()) || sla.value() == null) {
        continue;
      }
      long n;
      try {
        n = new java.math.BigDecimal(sla.value().toString()).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException(
            "Cannot read the retention of contract '"
                + contract.id()
                + "': value '"
                + sla.value()
                + "' is not a whole number. Write e.g. value: 30 with unit: d.");
      }
      String unit = sla.unit() == null ? "d" : sla.unit().trim().toLowerCase(java.util.Locale.ROOT);
      return switch (unit) {
        case "h", "hour", "hours" -> Duration.ofHours(n);
        case "d", "day", "days" -> Duration.ofDays(n);
        case "w", "week", "weeks" -> Duration.ofDays(7 * n);
        case "m", "month", "months" -> Duration.ofDays(30 * n);
        case "y", "yr", "year", "years" -> Duration.ofDays(365 * n);
        default ->
            throw new IllegalArgumentException(
                "Cannot read the retention of contract '"
                    + contract.id()
                    + "': unit '"
                    + sla.unit()
                    + "' is not one of h, d, w, m, y.");
      };
    }
    return DEFAULT_SNAPSHOT_RETENTION;
  }

  /** The product's tables that exist, loaded. */
  private java.util.Map<TableIdentifier, org.apache.iceberg.Table> existing(DataProduct product) {
    java.util.Map<TableIdentifier, org.apache.iceberg.Table> out = new java.util.LinkedHashMap<>();
    for (TableIdentifier id : tables(product)) {
      if (store.catalog().tableExists(id)) {
        out.put(id, store.catalog().loadTable(id));
      }
    }
    return out;
  }

  private Set<TableIdentifier> tables(DataProduct product) {
    Set<TableIdentifier> ids = new LinkedHashSet<>();
    Namespace ns = null;
    for (OutputPortSpec port : product.outputPorts()) {
      List<String> name =
          new TableAddress(product.domain(), product.displayName(), product.outputKey(port))
              .conventionalName();
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
