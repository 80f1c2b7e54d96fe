package dev.meshwork.iceberg.internal;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.StoreException;
import dev.meshwork.spi.InputSpec;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.OutputSpec;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.TableInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens port tables in a catalog: creates and evolves outputs, finds inputs by contract. */
public final class IcebergTables {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergTables.class);
  static final String CONTRACT_ID = "meshwork.contract.id";

  /** Namespace property marking a namespace whose tables are indexed by contract. */
  static final String INDEXED = "meshwork.indexed";

  /** Namespace property prefix: {@code meshwork.contract.<id>} lists the tables publishing it. */
  static final String CONTRACT_INDEX = "meshwork.contract.";

  private final Catalog catalog;
  private final String storeDescription;
  private final java.util.OptionalInt commitRetries;
  private final dev.meshwork.iceberg.internal.parquet.WriteResources resources;

  /**
   * Tables of a catalog; {@code commitRetries}, when set, is applied to every output table (else
   * new tables get 25); their files share the store's {@code resources}.
   */
  public IcebergTables(
      Catalog catalog,
      String storeDescription,
      java.util.OptionalInt commitRetries,
      dev.meshwork.iceberg.internal.parquet.WriteResources resources) {
    this.resources = resources;
    this.catalog = catalog;
    this.storeDescription = storeDescription;
    this.commitRetries = commitRetries;
  }

  /** Opens the output table of a port, creating or evolving it to match the contract. */
  public OutputTable openOutput(OutputSpec spec) {
    TableIdentifier id = TableNames.identifier(spec.address());
    Schema wanted = IcebergSchemas.toIceberg(spec.schema());
    Map<String, String> props = new LinkedHashMap<>(spec.properties());
    commitRetries.ifPresent(
        n -> props.put(TableProperties.COMMIT_NUM_RETRIES, Integer.toString(n)));
    TableInfo.TableState state;
    Table table;
    PendingMetadata pending = PendingMetadata.none();
    java.util.function.Supplier<Table> creation = null;
    try {
      org.apache.iceberg.Transaction create =
          catalog.tableExists(id) ? null : stageCreateUnlessCreated(id, wanted, spec, props);
      if (create != null) {
        table = create.table();
        creation = () -> create(create, id);
        state = TableInfo.TableState.CREATED;
      } else {
        table = catalog.loadTable(id);
        state = TableInfo.TableState.EXISTING;
      }
      String owner = table.properties().get(CONTRACT_ID);
      if (owner != null && !owner.equals(spec.contractId())) {
        throw new ContractViolationException(
            "Cannot open output port "
                + spec.address()
                + ": table "
                + id
                + " publishes contract '"
                + owner
                + "', not '"
                + spec.contractId()
                + "'. Give the port its own name, or keep the contract id and raise its version.");
      }
      if (state == TableInfo.TableState.EXISTING) {
        checkPartitioning(table, spec, id);
        Schema evolved = evolved(table, wanted, id);
        pending = PendingMetadata.of(table, wanted, evolved, props);
        if (evolved != null) {
          state = TableInfo.TableState.EVOLVED;
        }
      }
    } catch (ContractViolationException | StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreException(
          "Cannot open table "
              + id
              + " in "
              + storeDescription
              + ": "
              + e.getMessage()
              + ". Check that the catalog and warehouse are reachable.",
          e);
    }
    if (!pending.isEmpty()) {
      LOG.info("Table {} changes at the run's commit: {}", id, pending);
    }
    index(id, spec.contractId());
    return new IcebergOutputTable(
        table,
        creation,
        pending,
        new TableInfo(id.toString(), table.location(), "iceberg/parquet", state),
        resources);
  }

  /** {@link #stageCreate}, or null when another run's first publish created the table meanwhile. */
  private org.apache.iceberg.Transaction stageCreateUnlessCreated(
      TableIdentifier id, Schema wanted, OutputSpec spec, Map<String, String> props) {
    try {
      return stageCreate(id, wanted, spec, props);
    } catch (AlreadyExistsException e) {
      return null;
    }
  }

  /**
   * The create transaction of a new table, not committed: writers write through its table, and the
   * table appears in the catalog only when a run publishes ({@link #create}).
   */
  private org.apache.iceberg.Transaction stageCreate(
      TableIdentifier id, Schema wanted, OutputSpec spec, Map<String, String> props) {
    ensureNamespace(id.namespace());
    PartitionSpec partitionSpec =
        IcebergSchemas.partitionSpec(wanted, spec.schema().partitioning());
    Map<String, String> all = new LinkedHashMap<>(props);
    all.put(TableProperties.FORMAT_VERSION, "2");
    all.putIfAbsent(TableProperties.PARQUET_COMPRESSION, "zstd");
    // Many writers may publish to one port: retry conflicting commits with backoff (Iceberg's
    // default of 4 retries gives up under a handful of concurrent writers).
    all.putIfAbsent(TableProperties.COMMIT_NUM_RETRIES, "25");
    all.putIfAbsent(TableProperties.COMMIT_MIN_RETRY_WAIT_MS, "50");
    all.putIfAbsent(TableProperties.COMMIT_MAX_RETRY_WAIT_MS, "5000");
    // A port takes thousands of commits: keep the last 100 metadata files, not every one.
    all.putIfAbsent(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
    all.putIfAbsent(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100");
    return catalog
        .buildTable(id, wanted)
        .withPartitionSpec(partitionSpec)
        .withProperties(all)
        .createTransaction();
  }

  /**
   * Creates the staged table, or uses the one another writer created first when its schema (with
   * field ids) and partitioning are the ones this run's files were written for.
   */
  private Table create(org.apache.iceberg.Transaction staged, TableIdentifier id) {
    try {
      staged.commitTransaction();
      Table t = catalog.loadTable(id);
      LOG.info("Created table {} at {}", id, t.location());
      return t;
    } catch (RuntimeException e) {
      // JDBC catalogs may report the race as a key violation rather than AlreadyExistsException.
      if (!(e instanceof AlreadyExistsException) && !catalog.tableExists(id)) {
        throw e;
      }
      Table theirs = catalog.loadTable(id);
      Table mine = staged.table();
      if (!theirs.schema().asStruct().equals(mine.schema().asStruct())
          || !theirs.spec().compatibleWith(mine.spec())) {
        throw new StoreException(
            "Cannot publish to "
                + id
                + ": another writer created the table meanwhile with schema "
                + theirs.schema().asStruct()
                + " and partitioning "
                + theirs.spec()
                + ", not the ones this run wrote its files for.");
      }
      return theirs;
    }
  }

  private void ensureNamespace(Namespace ns) {
    if (!(catalog instanceof SupportsNamespaces namespaces)) {
      return;
    }
    for (int i = 1; i <= ns.length(); i++) {
      Namespace level = Namespace.of(java.util.Arrays.copyOf(ns.levels(), i));
      if (!namespaces.namespaceExists(level)) {
        try {
          namespaces.createNamespace(level);
        } catch (RuntimeException e) {
          // Created concurrently: JDBC catalogs may report the race as a key violation.
          if (!(e instanceof AlreadyExistsException) && !namespaces.namespaceExists(level)) {
            throw e;
          }
        }
      }
    }
  }

  /**
   * The table's schema with the contract's columns added and types widened, or null when it already
   * matches; rejects incompatible changes. Nothing is committed here: the change lands with the
   * run's version.
   */
  private Schema evolved(Table table, Schema wanted, TableIdentifier id) {
    List<String> problems = new ArrayList<>();
    for (Types.NestedField column : table.schema().columns()) {
      if (column.isRequired() && wanted.findField(column.name()) == null) {
        problems.add(
            column.name()
                + ": the table requires this column, but the contract no longer has it; a required column cannot be dropped from a published table (make it optional first, or publish a new port)");
      }
    }
    Schema evolved;
    try {
      evolved = table.updateSchema().unionByNameWith(wanted).apply();
    } catch (IllegalArgumentException | IllegalStateException e) {
      problems.add(
          e.getMessage() + " (such a change needs a new major contract version and a new port)");
      evolved = table.schema();
    }
    if (!problems.isEmpty()) {
      throw new ContractViolationException(
          "Cannot open output table "
              + id
              + ": the contract is incompatible with the published table",
          problems);
    }
    return evolved.sameSchema(table.schema()) ? null : evolved;
  }

  /**
   * Refuses a contract whose partitioning differs from the table's: files of one version must not
   * be laid out by two specs, and a silent old layout would ignore the contract.
   */
  private static void checkPartitioning(Table table, OutputSpec spec, TableIdentifier id) {
    String wanted = describe(spec.schema().partitioning());
    List<String> fields = new ArrayList<>();
    for (org.apache.iceberg.PartitionField f : table.spec().fields()) {
      String column = table.schema().findColumnName(f.sourceId());
      String transform = f.transform().toString();
      fields.add(column + (transform.equals("identity") ? "" : " by " + transform));
    }
    String actual = fields.isEmpty() ? "none" : String.join(", ", fields);
    if (!actual.equals(wanted)) {
      throw new ContractViolationException(
          "Cannot open output port "
              + spec.address()
              + ": the contract partitions table "
              + id
              + " by "
              + wanted
              + ", but the table is partitioned by "
              + actual
              + ". Meshwork does not change a published table's partitioning; publish the new"
              + " layout to a new port (a new major contract version), or keep the partitioning.");
    }
  }

  private static String describe(List<dev.meshwork.core.schema.PartitionColumn> columns) {
    if (columns.isEmpty()) {
      return "none";
    }
    List<String> out = new ArrayList<>();
    for (dev.meshwork.core.schema.PartitionColumn c : columns) {
      out.add(
          c.column()
              + (c.transform().equals("identity")
                  ? ""
                  : " by " + c.transform().replace("(", "[").replace(")", "]")));
    }
    return String.join(", ", out);
  }

  /** The table at a mesh address, when it exists. */
  public java.util.Optional<InputTable> openExisting(dev.meshwork.spi.TableAddress address) {
    TableIdentifier id = TableNames.identifier(address);
    if (!catalog.tableExists(id)) {
      return java.util.Optional.empty();
    }
    Table table = catalog.loadTable(id);
    return java.util.Optional.of(
        new IcebergInputTable(
            table,
            new TableInfo(
                id.toString(),
                table.location(),
                "iceberg/parquet",
                TableInfo.TableState.EXISTING)));
  }

  /**
   * Finds an input port's table: by explicit name, or the one table that publishes the contract.
   */
  public InputTable openInput(InputSpec spec) {
    Table table;
    TableIdentifier id;
    if (spec.sourceTable() != null) {
      id = TableIdentifier.parse(spec.sourceTable());
      try {
        table = catalog.loadTable(id);
      } catch (NoSuchTableException e) {
        throw new StoreException(
            "Cannot open input port '"
                + spec.portName()
                + "': its sourceTable "
                + id
                + " does not exist in "
                + storeDescription
                + ". Run the producing product first, or fix custom property sourceTable.");
      }
    } else {
      id = findByContract(spec);
      table = catalog.loadTable(id);
    }
    return new IcebergInputTable(
        table,
        new TableInfo(
            id.toString(), table.location(), "iceberg/parquet", TableInfo.TableState.EXISTING));
  }

  /**
   * The one table that publishes the input's contract. Namespaces Meshwork has indexed name their
   * tables per contract (namespace properties {@value #CONTRACT_INDEX}{@code <id>}), so only those
   * tables are loaded; other namespaces' tables are loaded one by one. A table that cannot be
   * loaded is skipped with a warning instead of failing every lookup.
   */
  private TableIdentifier findByContract(InputSpec spec) {
    List<TableIdentifier> matches = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<TableIdentifier> candidates;
    try {
      candidates = candidates(spec.contractId(), skipped);
    } catch (RuntimeException e) {
      throw new StoreException(
          "Cannot search "
              + storeDescription
              + " for the table of input port '"
              + spec.portName()
              + "': "
              + e.getMessage()
              + ". Check that the catalog is reachable, or name the table in the port's custom"
              + " property sourceTable.",
          e);
    }
    for (TableIdentifier id : candidates) {
      try {
        Table t = catalog.loadTable(id);
        if (spec.contractId().equals(t.properties().get(CONTRACT_ID))) {
          matches.add(id);
        }
      } catch (NoSuchTableException e) {
        LOG.debug("Indexed table {} was dropped", id);
      } catch (RuntimeException e) {
        skip(skipped, "table " + id, e);
      }
    }
    if (matches.isEmpty()) {
      throw new StoreException(
          "Cannot open input port '"
              + spec.portName()
              + "': no table in "
              + storeDescription
              + " publishes contract '"
              + spec.contractId()
              + "'"
              + (skipped.isEmpty() ? "" : " (skipped what could not be read: " + skipped + ")")
              + ". Run the producing product first, or name its table in the port's custom property sourceTable.");
    }
    if (matches.size() > 1) {
      throw new StoreException(
          "Cannot open input port '"
              + spec.portName()
              + "': several tables publish contract '"
              + spec.contractId()
              + "': "
              + matches
              + ". Choose one with the port's custom property sourceTable.");
    }
    return matches.get(0);
  }

  private static void skip(List<String> skipped, String what, RuntimeException e) {
    skipped.add(what);
    LOG.warn(
        "Skipping {} while looking for an input's table: it cannot be read ({})",
        what,
        e.getMessage());
  }

  /** The tables that may publish {@code contractId}: indexed ones, and every unindexed one. */
  private List<TableIdentifier> candidates(String contractId, List<String> skipped) {
    List<TableIdentifier> out = new ArrayList<>();
    if (!(catalog instanceof SupportsNamespaces namespaces)) {
      return out;
    }
    for (Namespace ns : allNamespaces(namespaces)) {
      Map<String, String> props;
      try {
        props = namespaces.loadNamespaceMetadata(ns);
      } catch (RuntimeException e) {
        props = Map.of();
      }
      if (props.containsKey(INDEXED)) {
        for (String name : names(props.get(CONTRACT_INDEX + contractId))) {
          out.add(TableIdentifier.of(ns, name));
        }
        continue;
      }
      try {
        out.addAll(catalog.listTables(ns));
      } catch (RuntimeException e) {
        skip(skipped, "namespace " + ns, e);
      }
    }
    return out;
  }

  /** The tables of every namespace with table property {@code property}, by identifier. */
  public List<String> declaring(String property) {
    List<String> out = new ArrayList<>();
    if (!(catalog instanceof SupportsNamespaces namespaces)) {
      return out;
    }
    for (Namespace ns : allNamespaces(namespaces)) {
      for (TableIdentifier id : catalog.listTables(ns)) {
        try {
          if (catalog.loadTable(id).properties().containsKey(property)) {
            out.add(id.toString());
          }
        } catch (RuntimeException e) {
          LOG.warn("Skipping {} while looking for {}: {}", id, property, e.getMessage());
        }
      }
    }
    return out;
  }

  private static java.util.Set<String> names(String list) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    if (list != null) {
      for (String n : list.split(",")) {
        if (!n.isBlank()) {
          out.add(n.strip());
        }
      }
    }
    return out;
  }

  /**
   * Records in the table's namespace that it publishes {@code contractId}. The first time a
   * namespace is indexed, its other Meshwork tables are indexed too, so none goes missing from
   * lookups. Best effort: a catalog without namespace properties is searched table by table.
   */
  private void index(TableIdentifier id, String contractId) {
    if (!(catalog instanceof SupportsNamespaces namespaces) || contractId == null) {
      return;
    }
    try {
      Map<String, String> props = namespaces.loadNamespaceMetadata(id.namespace());
      Map<String, java.util.Set<String>> byContract = new LinkedHashMap<>();
      if (!props.containsKey(INDEXED)) {
        for (TableIdentifier other : catalog.listTables(id.namespace())) {
          try {
            String c = catalog.loadTable(other).properties().get(CONTRACT_ID);
            if (c != null) {
              byContract
                  .computeIfAbsent(c, k -> names(props.get(CONTRACT_INDEX + k)))
                  .add(other.name());
            }
          } catch (RuntimeException e) {
            LOG.warn("Cannot index table {} ({}); lookups skip it", other, e.getMessage());
          }
        }
      }
      java.util.Set<String> mine =
          byContract.computeIfAbsent(contractId, k -> names(props.get(CONTRACT_INDEX + k)));
      if (props.containsKey(INDEXED) && mine.contains(id.name())) {
        return;
      }
      mine.add(id.name());
      Map<String, String> update = new LinkedHashMap<>();
      byContract.forEach((c, tables) -> update.put(CONTRACT_INDEX + c, String.join(",", tables)));
      update.put(INDEXED, "1");
      namespaces.setProperties(id.namespace(), update);
    } catch (RuntimeException e) {
      LOG.debug("Namespace {} keeps no contract index ({})", id.namespace(), e.getMessage());
    }
  }

  private static List<Namespace> allNamespaces(SupportsNamespaces namespaces) {
    List<Namespace> out = new ArrayList<>();
    collect(namespaces, Namespace.empty(), out);
    return out;
  }

  private static void collect(
      SupportsNamespaces namespaces, Namespace parent, List<Namespace> out) {
    for (Namespace ns : namespaces.listNamespaces(parent)) {
      out.add(ns);
      collect(namespaces, ns, out);
    }
  }
}
