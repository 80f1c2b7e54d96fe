package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.InputPort;
import dev.meshwork.core.Row;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.SummaryKeys;
import dev.meshwork.core.internal.schema.SchemaCompatibility;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.InputPortSpec;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.InputSpec;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.TableStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final Map<String, Pinned> pinned = new LinkedHashMap<>();

  Inputs(
      String runId,
      DataProduct product,
      TableStore store,
      PortBinder binder,
      PolicyEnforcer policy,
      MaskKeys maskKeys) {
    this.runId = runId;
    this.maskKeys = maskKeys;
    this.product = product;
    this.store = store;
    this.binder = binder;
    this.policy = policy;
  }

  /** An input table at the version the run pinned, and the obligations of its last READ. */
  private static final class Pinned {
    final DataContract contract;
    final InputTable table;
    final OptionalLong version;
    Obligations obligations;

    Pinned(DataContract contract, InputTable table, OptionalLong version) {
      this.contract = contract;
      this.table = table;
      this.version = version;
    }
  }

  /** Opens an input port for values of {@code type}: binds, decides READ, pins, checks. */
  <T> InputPort<T> open(String port, Class<T> type) {
    return open(port, type, null);
  }

  /** The input port, opened as {@link #open} does, cut into shares for tasks elsewhere. */
  <T> List<dev.meshwork.core.InputSplit<T>> splits(String port, Class<T> type, int count) {
    InputPortImpl<T> in = open(port, type, null);
    Obligations obligations = in.obligations();
    obligations.requireSerializable(binder.where("input", port));
    List<dev.meshwork.spi.ReadSplit> shares = in.inputTable().splits(in.version(), count);
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
      in = new Pinned(bound.contract(), table, table.currentVersion());
      pinned.put(port, in);
      LOG.info(
          "Run {}: input '{}' reads {} at version {}",
          runId,
          port,
          table.info().identifier(),
          in.version.isPresent() ? in.version.getAsLong() : "(none yet)");
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
        port, in.table, in.version, bound.shape(), bound.schema(), obligations);
  }

  /**
   * The distinct values of an input port's column at the run's pinned version, for referential
   * checks: numbers as Double, everything else as text. A port the run has opened is read with the
   * obligations already decided for it; any other is opened (and decided) once.
   */
  Set<Object> referenceValues(String port, String column) {
    Pinned in = pinned.get(port);
    InputPort<Row> rows = open(port, Row.class, in == null ? null : in.obligations);
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
              in.version.isPresent() ? Long.toString(in.version.getAsLong()) : "none");
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
                    port, in.contract, in.table.info(), in.table.schema(), boxed(in.version))));
    return infos;
  }

  /** The inputs as a run's result shows them. */
  List<RunResult.Input> results() {
    List<RunResult.Input> results = new ArrayList<>();
    pinned.forEach(
        (port, in) ->
            results.add(
                new RunResult.Input(port, in.table.info().identifier(), boxed(in.version))));
    return results;
  }

  private static Long boxed(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }
}
