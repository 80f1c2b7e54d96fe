package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.InputPort;
import dev.meshwork.core.InputRead;
import dev.meshwork.core.Row;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.StoreException;
import dev.meshwork.core.SummaryKeys;
import dev.meshwork.core.internal.schema.SchemaCompatibility;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.InputPortSpec;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.InputSpec;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.Scan;
import dev.meshwork.spi.TableAddress;
import dev.meshwork.spi.TableStore;
import dev.meshwork.spi.write.StructShape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's input ports: each upstream table is pinned at its version when the run first opens the
 * port, so every read of the run sees one version; every open decides READ and reads with that
 * decision's obligations.
 */
final class Inputs {
  private static final Logger LOG = LoggerFactory.getLogger(Inputs.class);

  private final String runId;
  private final DataProduct product;
  private final TableStore store;
  private final PortBinder binder;
  private final PolicyEnforcer policy;
  private final MaskKeys maskKeys;
  private final RunOptions options;
  private final Map<String, Pinned> pinned = new LinkedHashMap<>();
  private Optional<Map<String, String>> firstAttempt;

  Inputs(
      String runId,
      DataProduct product,
      TableStore store,
      PortBinder binder,
      PolicyEnforcer policy,
      MaskKeys maskKeys,
      RunOptions options) {
    this.runId = runId;
    this.options = options;
    this.maskKeys = maskKeys;
    this.product = product;
    this.store = store;
    this.binder = binder;
    this.policy = policy;
  }

  /**
   * An input table at the version (or between the versions) the run pinned, how they were chosen,
   * what reading them reads, the rows the range removed (a change set), and the obligations of its
   * last READ.
   */
  private static final class Pinned {
    final DataContract contract;
    final InputTable table;
    final Scan scan;
    final String read;
    final InputTable.Volume volume;
    final long removedRows;
    Obligations obligations;

    Pinned(
        DataContract contract, InputTable table, Scan scan, String read, InputTable.Range range) {
      this.contract = contract;
      this.table = table;
      this.scan = scan;
      this.read = read;
      this.volume = range.read();
      this.removedRows = range.removedRows();
    }

    OptionalLong version() {
      return scan.version();
    }
  }

  /** Opens an input port for values of {@code type}: binds, decides READ, pins, checks. */
  <T> InputPort<T> open(String port, Class<T> type) {
    return open(port, type, null);
  }

  /** The input port read as Arrow batches of the contract's columns. */
  InputPort<?> batches(String port) {
    InputPortImpl<Row> rows = open(port, Row.class, null);
    return dev.meshwork.core.internal.arrow.ArrowReads.port(
        port,
        rows.table(),
        rows.version(),
        rows.contractStruct(),
        new dev.meshwork.core.internal.arrow.ArrowReads.Source() {
          @Override
          public java.util.stream.Stream<Object[]> read(
              StructShape<Object[]> shape, dev.meshwork.core.Filter where) {
            InputPortImpl<Object[]> in = rows.as(shape);
            return where == null ? in.read() : in.read(where);
          }

          @Override
          public Optional<java.util.stream.Stream<dev.meshwork.spi.ColumnBatch>> columns(
              int batchRows) {
            return rows.columns(batchRows);
          }

          @Override
          public java.util.stream.Stream<dev.meshwork.core.Change<Object[]>> changes(
              StructShape<Object[]> shape) {
            return rows.as(shape).changes();
          }
        });
  }

  /** The input port, opened as {@link #open} does, cut into shares for tasks elsewhere. */
  <T> List<dev.meshwork.core.InputSplit<T>> splits(String port, Class<T> type, int count) {
    InputPortImpl<T> in = open(port, type, null);
    Obligations obligations = in.obligations();
    obligations.requireSerializable(binder.where("input", port));
    in.requireNoRemovals("split");
    List<dev.meshwork.spi.ReadSplit> shares = in.inputTable().splits(in.scan(), count);
    ProductTexts texts = ProductTexts.of(product);
    List<dev.meshwork.core.InputSplit<T>> out = new java.util.ArrayList<>();
    for (int i = 0; i < shares.size(); i++) {
      out.add(new InputSplitImpl<>(texts, port, type, i, shares.get(i), obligations));
    }
    LOG.info(
        "Run {}: input '{}' cut into {} splits of {} at version {}",
        runId,
        port,
        out.size(),
        in.table(),
        in.version().isPresent() ? in.version().getAsLong() : "(none yet)");
    return out;
  }

  /** As {@link #open(String, Class)}, reusing {@code decided} (when not null) instead of a READ. */
  private <T> InputPortImpl<T> open(String port, Class<T> type, Obligations decided) {
    InputPortSpec spec = product.inputPort(port);
    String where = binder.where("input", port);
    PortBinder.Bound<T> bound = binder.input(port, type);
    Obligations obligations =
        decided != null ? decided : Obligations.of(policy.enforce(Action.READ, port), maskKeys);
    obligations.requireNullableMaskedComponents(bound.shape(), where);
    Pinned in = pinned.get(port);
    if (in == null) {
      String source = spec.customProperty("sourceTable").map(String::valueOf).orElse(null);
      InputTable table =
          store.openInput(new InputSpec(port, bound.contract().id(), source, bound.schema()));
      in = pin(port, spec, bound.contract(), table, where);
      pinned.put(port, in);
      LOG.info(
          "Run {}: input '{}' reads {} {} ({})",
          runId,
          port,
          table.info().identifier(),
          describe(in.scan),
          in.volume.rows() < 0
              ? in.read
              : in.read
                  + ", "
                  + in.volume.rows()
                  + " rows"
                  + (in.removedRows > 0 ? " (" + in.removedRows + " of them removed)" : ""));
    }
    List<String> differences =
        SchemaCompatibility.readDifferences(bound.shape().type(), in.table.schema().struct());
    if (!differences.isEmpty()) {
      throw new ContractViolationException(
          "Cannot read "
              + where
              + ": upstream table "
              + in.table.info().identifier()
              + " does not provide what contract '"
              + bound.contract().id()
              + "' promises",
          differences);
    }
    in.obligations = obligations;
    if (decided == null && !obligations.isEmpty()) {
      LOG.info("Run {}: input '{}' is read with {}", runId, port, obligations);
    }
    return new InputPortImpl<>(
        port, in.table, in.scan, in.removedRows, bound.shape(), bound.schema(), obligations);
  }

  private static String describe(Scan scan) {
    if (scan.version().isEmpty()) {
      return "(nothing published yet)";
    }
    return scan.incremental()
        ? "appended after version "
            + scan.after().getAsLong()
            + " up to "
            + scan.version().getAsLong()
        : "at version " + scan.version().getAsLong();
  }

  /**
   * Chooses what the run reads of {@code table}: what the run's first attempt read when it already
   * published, else what the port's read mode selects.
   */
  private Pinned pin(
      String port, InputPortSpec spec, DataContract contract, InputTable table, String where) {
    Map<String, String> first = firstAttempt().orElse(Map.of());
    String recorded = first.get(SummaryKeys.inputSnapshotId(port));
    if (recorded != null) {
      String recordedTable = first.get(SummaryKeys.inputTable(port));
      if (recordedTable != null && !recordedTable.equals(table.info().identifier())) {
        throw new StoreException(
            "Cannot rerun run "
                + runId
                + ": its first attempt read "
                + where
                + " from "
                + recordedTable
                + ", but the port now reads "
                + table.info().identifier()
                + ". Rerun with the port's earlier sourceTable, or start a new run.");
      }
      OptionalLong version = longOf(recorded);
      OptionalLong after = longOf(first.get(SummaryKeys.inputAfterSnapshotId(port)));
      Scan scan = new Scan(version, after);
      // The first attempt checked its range; a change set's may hold overwrites, so take them all.
      InputTable.Range range;
      try {
        range = rangeOf(table, scan, Span.CHANGES);
      } catch (StoreException e) {
        throw new StoreException(
            "Cannot rerun run "
                + runId
                + ": its first attempt read "
                + where
                + " "
                + describe(scan)
                + " of "
                + table.info().identifier()
                + ", which cannot be read again (what it published stays as it is): "
                + e.getMessage(),
            e);
      }
      return new Pinned(
          contract, table, scan, "as run " + runId + "'s first attempt read it", range);
    }
    InputRead read = options.read(port).orElseGet(() -> descriptorRead(spec));
    OptionalLong start;
    Span span;
    if (read instanceof InputRead.Incremental incremental) {
      start = incremental.after();
      span = Span.APPENDS;
    } else if (read instanceof InputRead.Changes changes) {
      start = changes.after();
      span = Span.CHANGES;
    } else {
      OptionalLong version =
          read instanceof InputRead.Latest
              ? table.currentVersion()
              : OptionalLong.of(table.resolve(read));
      Scan scan = Scan.at(version);
      return new Pinned(contract, table, scan, read.toString(), rangeOf(table, scan, span(read)));
    }
    OptionalLong to = table.currentVersion();
    OptionalLong from = start.isPresent() ? start : lastConsumed(port, table.info().identifier());
    if (to.isEmpty() || from.isEmpty()) {
      Scan scan = Scan.at(to);
      return new Pinned(
          contract,
          table,
          scan,
          read + (to.isEmpty() ? "" : ", first read: everything"),
          rangeOf(table, scan, span));
    }
    Scan scan = new Scan(to, from);
    return new Pinned(contract, table, scan, read.toString(), rangeOf(table, scan, span));
  }

  /** Whether a range takes appends only or every change. */
  private enum Span {
    APPENDS,
    CHANGES
  }

  private static Span span(InputRead read) {
    return read instanceof InputRead.Changes ? Span.CHANGES : Span.APPENDS;
  }

  /** The versions {@code scan} covers, checked; a whole version is one range of its own. */
  private static InputTable.Range rangeOf(InputTable table, Scan scan, Span span) {
    if (!scan.incremental() || scan.version().isEmpty()) {
      return new InputTable.Range(List.of(), List.of(), List.of(), table.volume(scan.version()), 0);
    }
    long from = scan.after().getAsLong();
    long to = scan.version().getAsLong();
    if (from == to) {
      return new InputTable.Range(List.of(), List.of(), List.of(), InputTable.Volume.NONE, 0);
    }
    InputTable.Range range =
        span == Span.CHANGES ? table.changed(from, to) : table.appended(from, to);
    if (!range.skippedRewrites().isEmpty()) {
      LOG.info(
          "Skipping {} rewrite versions of {} that change no rows: {}",
          range.skippedRewrites().size(),
          table.info().identifier(),
          range.skippedRewrites());
    }
    return range;
  }

  /** The port's read mode in the descriptor (checked when it was loaded), else latest. */
  private static InputRead descriptorRead(InputPortSpec spec) {
    return spec.customProperty(InputRead.PROPERTY)
        .map(mode -> InputRead.parse(String.valueOf(mode)))
        .orElse(InputRead.latest());
  }

  private static OptionalLong longOf(String value) {
    if (value == null || value.equals("none")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(value));
  }

  /** The summary of a version this run id published already (a rerun's first attempt), if any. */
  private Optional<Map<String, String>> firstAttempt() {
    if (firstAttempt == null) {
      firstAttempt = Optional.empty();
      for (OutputPortSpec out : product.outputPorts()) {
        Optional<Map<String, String>> summary =
            store.openExisting(outputAddress(out)).flatMap(t -> t.publishedSummary(runId));
        if (summary.isPresent()) {
          firstAttempt = summary;
          LOG.info(
              "Run {} published '{}' in an earlier attempt: its inputs are read as then",
              runId,
              product.outputKey(out));
          break;
        }
      }
    }
    return firstAttempt;
  }

  private TableAddress outputAddress(OutputPortSpec out) {
    return new TableAddress(product.domain(), product.displayName(), product.outputKey(out));
  }

  /**
   * Where the product's last published run stopped reading {@code port}. Each output's latest
   * version names the run that published it and the outputs that run publishes together. A run that
   * did not publish all of those stopped halfway: reading on would duplicate rows in some outputs
   * and skip them in others, so the run stops and names the run to rerun. Of the complete runs, the
   * last is the one none of whose outputs a later run has published since.
   */
  private OptionalLong lastConsumed(String port, String source) {
    Map<String, InputTable> tables = new LinkedHashMap<>();
    Map<String, Map<String, String>> heads = new LinkedHashMap<>();
    for (OutputPortSpec out : product.outputPorts()) {
      Optional<InputTable> table = store.openExisting(outputAddress(out));
      table.ifPresent(t -> tables.put(product.outputKey(out), t));
      Map<String, String> summary = table.map(InputTable::publishedSummary).orElse(Map.of());
      if (summary.get(SummaryKeys.RUN_ID) != null) {
        heads.put(product.outputKey(out), summary);
      }
    }
    Map<String, Map<String, String>> latest = new LinkedHashMap<>();
    for (Map<String, String> head : heads.values()) {
      String run = head.get(SummaryKeys.RUN_ID);
      if (!latest.containsKey(run) && !superseded(run, head, tables, heads)) {
        latest.put(run, head);
      }
    }
    Map<String, String> versions = new LinkedHashMap<>();
    latest.forEach(
        (run, head) -> {
          String recorded = head.get(SummaryKeys.inputSnapshotId(port));
          if (recorded == null) {
            return;
          }
          if (!source.equals(head.get(SummaryKeys.inputTable(port)))) {
            LOG.warn(
                "Run {} last recorded reading input '{}' from {}, not {}: read from the start",
                run,
                port,
                head.get(SummaryKeys.inputTable(port)),
                source);
            return;
          }
          versions.put(run, recorded);
        });
    if (new HashSet<>(versions.values()).size() > 1) {
      List<String> each = new ArrayList<>();
      versions.forEach((run, v) -> each.add("run " + run + " up to version " + v));
      throw new StoreException(
          "Cannot read input '"
              + port
              + "' incrementally: the latest runs that published this product's outputs read it to"
              + " different versions ("
              + String.join(", ", each)
              + ") and none of them is known to be the later one. Choose where to start with"
              + " RunOptions.builder().read(\""
              + port
              + "\", InputRead.appendedAfter(<version>)).");
    }
    return versions.isEmpty() ? OptionalLong.empty() : longOf(versions.values().iterator().next());
  }

  /**
   * Whether a later run published one of the outputs run {@code run} published; throws when {@code
   * run} did not publish every output it publishes together.
   */
  private boolean superseded(
      String run,
      Map<String, String> head,
      Map<String, InputTable> tables,
      Map<String, Map<String, String>> heads) {
    String together = head.get(SummaryKeys.RUN_OUTPUTS);
    if (together == null) {
      return false; // published before runs recorded their outputs
    }
    boolean superseded = false;
    List<String> missing = new ArrayList<>();
    for (String out : together.split(",")) {
      Map<String, String> outHead = heads.get(out);
      if (outHead != null && run.equals(outHead.get(SummaryKeys.RUN_ID))) {
        continue;
      }
      InputTable table = tables.get(out);
      if (table != null && table.hasPublished(run)) {
        superseded = true;
      } else if (product.outputPorts().stream().anyMatch(o -> product.outputKey(o).equals(out))) {
        missing.add(out);
      }
    }
    if (!missing.isEmpty()) {
      throw new StoreException(
          "Cannot start reading input ports incrementally: run "
              + run
              + " of product '"
              + product.displayName()
              + "' published only some of its outputs "
              + together.replace(",", ", ")
              + ", not "
              + String.join(", ", missing)
              + ". Reading on would count its rows twice in some outputs and never in the others;"
              + " rerun it with RunOptions.builder().runId(\""
              + run
              + "\") to finish it, then run again.");
    }
    return superseded;
  }

  /**
   * The distinct values of an input port's column at the run's pinned version, for referential
   * checks: numbers as Double, everything else as text. A port the run has opened is read with the
   * obligations already decided for it; any other is opened (and decided) once.
   */
  Set<Object> referenceValues(String port, String column) {
    Pinned in = pinned.get(port);
    // The whole version, also for an incremental port: a reference is to every row, not the new.
    InputPort<Row> rows = open(port, Row.class, in == null ? null : in.obligations).whole();
    Set<Object> values = new HashSet<>();
    try (Stream<Row> read = rows.read()) {
      read.forEach(
          r -> {
            Object v = r.get(column);
            if (v != null) {
              values.add(v instanceof Number n ? (Object) n.doubleValue() : v.toString());
            }
          });
    }
    return values;
  }

  /** The summary entries naming each consumed input's table and version. */
  Map<String, String> consumed() {
    Map<String, String> m = new LinkedHashMap<>();
    pinned.forEach(
        (port, in) -> {
          m.put(SummaryKeys.inputTable(port), in.table.info().identifier());
          m.put(
              SummaryKeys.inputSnapshotId(port),
              in.version().isPresent() ? Long.toString(in.version().getAsLong()) : "none");
          if (in.scan.incremental()) {
            m.put(
                SummaryKeys.inputAfterSnapshotId(port), Long.toString(in.scan.after().getAsLong()));
          }
          m.put(SummaryKeys.inputRead(port), in.read);
        });
    return m;
  }

  /** The inputs as run events show them. */
  List<RunEvent.InputInfo> infos() {
    List<RunEvent.InputInfo> infos = new ArrayList<>();
    pinned.forEach(
        (port, in) ->
            infos.add(
                new RunEvent.InputInfo(
                    port,
                    in.contract,
                    in.table.info(),
                    in.table.schema(),
                    boxed(in.version()),
                    boxed(in.scan.after()),
                    in.volume,
                    in.read)));
    return infos;
  }

  /** The inputs as a run's result shows them. */
  List<RunResult.Input> results() {
    List<RunResult.Input> results = new ArrayList<>();
    pinned.forEach(
        (port, in) ->
            results.add(
                new RunResult.Input(
                    port,
                    in.table.info().identifier(),
                    boxed(in.version()),
                    boxed(in.scan.after()),
                    in.volume.rows(),
                    in.volume.files(),
                    in.volume.bytes(),
                    in.read)));
    return results;
  }

  private static Long boxed(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }
}
