package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.CommitStateUnknownException;
import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.InputPort;
import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.OutputPort;
import dev.meshwork.core.PolicyDeniedException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.QualityGateException;
import dev.meshwork.core.Row;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.RunStateException;
import dev.meshwork.core.StoreException;
import dev.meshwork.core.internal.arrow.ArrowBatches;
import dev.meshwork.core.internal.arrow.ArrowRow;
import dev.meshwork.core.internal.binding.Direction;
import dev.meshwork.core.internal.binding.RecordShapes;
import dev.meshwork.core.internal.schema.ContractSchemas;
import dev.meshwork.core.internal.schema.SchemaCompatibility;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.InputPortSpec;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.GateContext;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.InputSpec;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.OutputSpec;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import dev.meshwork.spi.PublishRequest;
import dev.meshwork.spi.PublishResult;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.RunListener;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.StagedWriter;
import dev.meshwork.spi.StructShape;
import dev.meshwork.spi.TableAddress;
import dev.meshwork.spi.TableStore;
import dev.meshwork.spi.ValueShapes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The run lifecycle: ports, gate, publish, events and cleanup. */
public final class RunImpl implements dev.meshwork.core.Run {
  private static final Logger LOG = LoggerFactory.getLogger(RunImpl.class);

  /** Snapshot summary and table property keys written with every publish. */
  public static final String PRODUCT_ID = "meshwork.product.id";

  public static final String PRODUCT_VERSION = "meshwork.product.version";
  public static final String RUN_ID = "meshwork.run-id";
  public static final String PORT = "meshwork.port";
  public static final String CONTRACT_ID = "meshwork.contract.id";
  public static final String CONTRACT_VERSION = "meshwork.contract.version";

  /** Snapshot summary key: the contract's top-level columns, comma-separated. */
  public static final String CONTRACT_COLUMNS = "meshwork.contract.columns";

  public static final String INPUT_PREFIX = "meshwork.input.";

  private enum State {
    OPEN,
    COMMITTED,
    FAILED,
    ABORTED
  }

  private final DataProduct product;
  private final Principal principal;
  private final RunOptions options;
  private final TableStore store;
  private final List<RunListener> listeners;
  private final PolicyEngine policy;
  private final QualityGate gate;
  private final Clock clock;
  private final String runId;
  private final Instant started;
  private final Map<String, PinnedInput> inputs = new LinkedHashMap<>();
  private final Map<String, OutputPortImpl<?>> outputs = new LinkedHashMap<>();
  private final List<RunEvent.PolicyOutcome> decisions = new ArrayList<>();
  private final Map<String, Quarantine> quarantines = new LinkedHashMap<>();
  private final MetricsTable metricsTable;

  /** Column names a quarantine table adds to its port's columns. */
  public static final String QUARANTINE_RULE_ID = "quarantine_rule_id";

  public static final String QUARANTINE_RULE = "quarantine_rule";
  public static final String QUARANTINE_REASON = "quarantine_reason";
  public static final String QUARANTINE_RUN_ID = "quarantine_run_id";
  private State state = State.OPEN;
  private RuntimeException writeFailure;

  /** Decides RUN and emits START. */
  public RunImpl(
      DataProduct product,
      Principal principal,
      RunOptions options,
      TableStore store,
      List<RunListener> listeners,
      PolicyEngine policy,
      QualityGate gate,
      Clock clock,
      MetricsRecorder recorder) {
    this.product = product;
    this.principal = principal;
    this.options = options;
    this.store = store;
    this.listeners = listeners;
    this.policy = policy;
    this.gate = gate;
    this.clock = clock;
    this.runId = options.runId().orElseGet(() -> UUID.randomUUID().toString());
    this.metricsTable = new MetricsTable(store, product, recorder);
    this.started = clock.instant();
    enforce(Action.RUN, null);
    LOG.info("Run {} of product '{}' started by {}", runId, product.displayName(), principal);
    emit(RunEvent.Type.START, List.of(), null);
  }

  @Override
  public String id() {
    return runId;
  }

  @Override
  public <T> InputPort<T> input(String port, Class<T> type) {
    requireOpen("open input port '" + port + "'");
    InputPortSpec spec = product.inputPort(port);
    String where = "input port '" + port + "' of product '" + product.displayName() + "'";
    PortContract<T> pc =
        bind(
            spec.contractId(),
            port,
            spec.customProperty("schemaObject"),
            type,
            Direction.READ,
            where);
    DataContract contract = pc.contract();
    Schema expected = pc.schema();
    StructShape<T> shape = pc.shape();
    Decision readDecision = enforce(Action.READ, port);
    PinnedInput pinned = inputs.get(port);
    if (pinned == null) {
      String source = spec.customProperty("sourceTable").map(String::valueOf).orElse(null);
      InputTable table = store.openInput(new InputSpec(port, contract.id(), source, expected));
      pinned = new PinnedInput(contract, table, table.currentVersion());
      inputs.put(port, pinned);
      LOG.info(
          "Run {}: input '{}' reads {} at version {}",
          runId,
          port,
          table.info().identifier(),
          pinned.version.isPresent() ? pinned.version.getAsLong() : "(none yet)");
    }
    List<String> differences =
        SchemaCompatibility.readDifferences(shape.type(), pinned.table.schema().struct());
    if (!differences.isEmpty()) {
      throw new ContractViolationException(
          "Cannot read "
              + where
              + ": upstream table "
              + pinned.table.info().identifier()
              + " does not provide what contract '"
              + contract.id()
              + "' promises",
          differences);
    }
    Obligations obligations = Obligations.of(readDecision, product);
    if (!obligations.isEmpty()) {
      LOG.info("Run {}: input '{}' is read with {}", runId, port, obligations);
    }
    return new InputPortImpl<>(port, pinned.table, pinned.version, shape, expected, obligations);
  }

  @Override
  public <T> OutputPort<T> output(String port, Class<T> type) {
    if (ArrowBatches.BATCH_CLASS.equals(type.getName())) {
      @SuppressWarnings("unchecked")
      OutputPort<T> batches = (OutputPort<T>) batchOutput(port);
      return batches;
    }
    return output(
        port,
        type,
        (struct, where) -> RecordShapes.forRecord(type, struct, Direction.WRITE, where));
  }

  /** A port written with Arrow batches: a port of batch rows behind a batch-at-a-time front. */
  private OutputPort<?> batchOutput(String port) {
    OutputPortImpl<ArrowRow> rows = output(port, ArrowRow.class, ArrowBatches::shape);
    return ArrowBatches.port(
        rows,
        rows::writeBatch,
        rows.schema().struct(),
        "output port '" + port + "' of product '" + product.displayName() + "'");
  }

  private <T> OutputPortImpl<T> output(
      String port,
      Class<T> type,
      java.util.function.BiFunction<StructType, String, StructShape<T>> shapes) {
    requireOpen("open output port '" + port + "'");
    OutputPortImpl<?> existing = outputs.get(port);
    if (existing != null) {
      if (existing.shape().javaType() != type) {
        throw new RunStateException(
            "Cannot open output port '"
                + port
                + "' as "
                + type.getSimpleName()
                + ": this run already opened it as "
                + existing.shape().javaType().getSimpleName()
                + ". Use one type per port and run.");
      }
      @SuppressWarnings("unchecked")
      OutputPortImpl<T> same = (OutputPortImpl<T>) existing;
      return same;
    }
    OutputPortSpec spec = product.outputPort(port);
    if (spec.contractId() == null) {
      throw new ContractViolationException(
          "Cannot open output port '"
              + port
              + "': it has no contractId in "
              + product.source()
              + ". Add the id of the ODCS contract that describes the port's table.");
    }
    String where = "output port '" + port + "' of product '" + product.displayName() + "'";
    PortContract<T> pc =
        bind(spec.contractId(), port, spec.customProperty("schemaObject"), shapes, where);
    DataContract contract = pc.contract();
    SchemaObject object = pc.object();
    Schema schema = pc.schema();
    StructShape<T> shape = pc.shape();
    enforce(Action.WRITE, port);
    Map<String, String> props = new LinkedHashMap<>();
    props.put(PRODUCT_ID, product.id());
    putIfPresent(props, PRODUCT_VERSION, product.version());
    props.put(PORT, port);
    props.put(CONTRACT_ID, contract.id());
    putIfPresent(props, CONTRACT_VERSION, contract.version());
    OutputTable table =
        store.openOutput(
            new OutputSpec(
                new TableAddress(product.domain(), product.displayName(), port),
                contract.id(),
                schema,
                props));
    QualityGate.Session session =
        gate == QualityGate.none()
            ? null
            : gate.open(
                new GateContext(
                    runId,
                    product,
                    port,
                    contract,
                    object,
                    schema,
                    metricsTable.history(port),
                    this::referenceValues));
    OutputPortImpl<T> out =
        new OutputPortImpl<>(
            port,
            contract,
            object,
            schema,
            table,
            shape,
            runId,
            session,
            this::recordWriteFailure,
            new Quarantine(port, contract, schema));
    outputs.put(port, out);
    LOG.info(
        "Run {}: output '{}' stages into {} ({})",
        runId,
        port,
        table.info().identifier(),
        table.info().state());
    return out;
  }

  @Override
  public RunResult commit() {
    requireOpen("commit");
    if (writeFailure != null) {
      throw new RunStateException(
          "Cannot commit run "
              + runId
              + ": a write failed earlier ("
              + writeFailure.getMessage()
              + "). Close the run; nothing was published.");
    }
    Map<String, StagedFiles> staged = new LinkedHashMap<>();
    List<RunResult.Output> published = new ArrayList<>();
    try {
      for (OutputPortImpl<?> out : outputs.values()) {
        staged.put(out.name(), out.finish());
      }
      for (Quarantine q : quarantines.values()) {
        staged.put(q.name(), q.finish());
      }
      List<String> blocking = new ArrayList<>();
      for (OutputPortImpl<?> out : outputs.values()) {
        GateVerdict verdict = out.verdict();
        verdict
            .warnings()
            .forEach(
                w -> LOG.warn("Run {}: output '{}' quality warning: {}", runId, out.name(), w));
        verdict.blockingFailures().forEach(f -> blocking.add(out.name() + ": " + f));
      }
      if (!blocking.isEmpty()) {
        throw new QualityGateException(
            "Cannot publish run "
                + runId
                + " of product '"
                + product.displayName()
                + "': quality rules failed, nothing was published",
            blocking);
      }
      for (OutputPortImpl<?> out : outputs.values()) {
        enforce(
            Action.PUBLISH,
            out.name(),
            new PolicyRequest.PublishedOutput(
                out.contract(), out.schemaObject(), out.schema(), out.publishedSummary()));
      }
      Map<String, String> consumed = consumedInputs();
      // Audited outputs go first: their audit can still refuse the run before others publish.
      List<OutputPortImpl<?>> order = new ArrayList<>();
      outputs.values().stream().filter(o -> o.audit() != null).forEach(order::add);
      outputs.values().stream().filter(o -> o.audit() == null).forEach(order::add);
      for (OutputPortImpl<?> out : order) {
        Map<String, String> summary = summary(consumed, out.name(), out.contract());
        summary.putAll(out.verdict().summary());
        published.add(
            out.audit() == null
                ? publish(
                    out.name(),
                    out.outputTable(),
                    staged,
                    summary,
                    published,
                    out.quarantined(),
                    out.verdict())
                : publishAudited(out, staged, summary, published));
      }
      for (Quarantine q : quarantines.values()) {
        Map<String, String> summary = summary(consumed, q.name(), q.contract);
        summary.put("meshwork.quarantine-of", q.port);
        published.add(publish(q.name(), q.table, staged, summary, published, 0, null));
      }
    } catch (RuntimeException e) {
      discardAll(staged);
      state = State.FAILED;
      LOG.warn("Run {} failed: {}", runId, e.getMessage());
      emit(RunEvent.Type.FAIL, outputInfos(published), e);
      throw e;
    }
    recordMetrics();
    state = State.COMMITTED;
    emit(RunEvent.Type.COMPLETE, outputInfos(published), null);
    Duration took = Duration.between(started, clock.instant());
    LOG.info(
        "Run {} of product '{}' completed in {} ms", runId, product.displayName(), took.toMillis());
    return new RunResult(
        runId,
        product.displayName(),
        inputs.entrySet().stream()
            .map(
                e ->
                    new RunResult.Input(
                        e.getKey(),
                        e.getValue().table.info().identifier(),
                        boxed(e.getValue().version)))
            .toList(),
        published,
        took);
  }

  /** The values of an input port's column at the run's pinned version, for referential checks. */
  private java.util.Set<Object> referenceValues(String inputPort, String column) {
    java.util.Set<Object> values = new java.util.HashSet<>();
    try (java.util.stream.Stream<Row> rows = input(inputPort, Row.class).read()) {
      rows.forEach(
          r -> {
            Object v = r.get(column);
            if (v != null) {
              values.add(v instanceof Number n ? (Object) n.doubleValue() : v.toString());
            }
          });
    }
    return values;
  }

  /** Keeps this run's quality observations for later runs' anomaly checks. */
  private void recordMetrics() {
    Map<String, Map<String, Double>> byPort = new LinkedHashMap<>();
    for (OutputPortImpl<?> out : outputs.values()) {
      GateVerdict v = out.lastVerdict();
      if (v != null && !v.observations().isEmpty()) {
        byPort.put(out.name(), v.observations());
      }
    }
    if (byPort.isEmpty()) {
      return;
    }
    Instant at = clock.instant();
    metricsTable.recordLater(
        runId,
        at,
        byPort,
        e ->
            LOG.warn(
                "Run {}: outputs are published, but their quality metrics were not kept ({}); anomaly checks of later runs will not see this run",
                runId,
                e.getMessage()));
  }

  private Map<String, String> summary(
      Map<String, String> consumed, String port, DataContract contract) {
    Map<String, String> summary = new LinkedHashMap<>(consumed);
    summary.put(PRODUCT_ID, product.id());
    putIfPresent(summary, PRODUCT_VERSION, product.version());
    summary.put(RUN_ID, runId);
    summary.put(PORT, port);
    summary.put(CONTRACT_ID, contract.id());
    putIfPresent(summary, CONTRACT_VERSION, contract.version());
    outputs.values().stream()
        .filter(o -> o.name().equals(port))
        .findFirst()
        .ifPresent(
            o ->
                summary.put(
                    CONTRACT_COLUMNS,
                    String.join(
                        ",",
                        o.schemaObject().properties().stream()
                            .map(dev.meshwork.core.model.SchemaProperty::name)
                            .toList())));
    return summary;
  }

  /** Write-audit-publish: commit to an audit branch, audit it, and move main only if it passes. */
  private RunResult.Output publishAudited(
      OutputPortImpl<?> out,
      Map<String, StagedFiles> staged,
      Map<String, String> summary,
      List<RunResult.Output> published) {
    String name = out.name();
    String branch = "audit-" + runId;
    OutputTable table = out.outputTable();
    StagedFiles files = staged.get(name);
    PublishResult result;
    try {
      result = table.publishToBranch(new PublishRequest(runId, files, summary), branch);
    } catch (RuntimeException e) {
      staged.remove(name);
      throw partial(published, name, e);
    }
    staged.remove(name);
    if (result.outcome() == PublishResult.Outcome.PUBLISHED) {
      QualityGate.Audit audit = out.audit();
      List<String> failures =
          audit.check(
              new QualityGate.AuditView(
                  table.headSummary("main"),
                  table.headSummary(branch),
                  () -> table.readBranch(branch, ValueShapes.rows(out.schema().struct()))));
      if (!failures.isEmpty()) {
        boolean keep = audit.keepsBranchOnFailure();
        if (!keep) {
          table.dropBranch(branch, files);
        }
        throw new QualityGateException(
            "Cannot publish output '"
                + name
                + "' of run "
                + runId
                + ": its write-audit-publish audit failed, so main of "
                + result.table()
                + " is untouched"
                + (keep
                    ? "; the audited version stays on branch '" + branch + "' for inspection"
                    : "; the audit branch was removed"),
            failures);
      }
      table.promote(branch);
      LOG.info(
          "Run {}: audit of '{}' passed; main of {} now shows version {}",
          runId,
          name,
          result.table(),
          result.version());
    }
    return new RunResult.Output(
        name,
        result.table(),
        result.version(),
        result.rows(),
        result.files(),
        result.bytes(),
        result.outcome() == PublishResult.Outcome.ALREADY_PUBLISHED,
        out.quarantined(),
        out.verdict());
  }

  private RunResult.Output publish(
      String name,
      OutputTable table,
      Map<String, StagedFiles> staged,
      Map<String, String> summary,
      List<RunResult.Output> published,
      long quarantined,
      GateVerdict verdict) {
    PublishResult result;
    try {
      result = table.publish(new PublishRequest(runId, staged.get(name), summary));
    } catch (RuntimeException e) {
      staged.remove(name);
      throw partial(published, name, e);
    }
    staged.remove(name);
    boolean again = result.outcome() == PublishResult.Outcome.ALREADY_PUBLISHED;
    LOG.info(
        "Run {}: published '{}' as version {} of {} ({} rows, {} files{})",
        runId,
        name,
        result.version(),
        result.table(),
        result.rows(),
        result.files(),
        again ? ", already published by an earlier try" : "");
    return new RunResult.Output(
        name,
        result.table(),
        result.version(),
        result.rows(),
        result.files(),
        result.bytes(),
        again,
        quarantined,
        verdict);
  }

  /** The quarantine table of one output port, opened when a rule first diverts a row. */
  private final class Quarantine implements OutputPortImpl.QuarantineSink {
    private final String port;
    private final DataContract contract;
    private final Schema portSchema;
    private OutputTable table;
    private StagedWriter<Row> writer;

    Quarantine(String port, DataContract contract, Schema portSchema) {
      this.port = port;
      this.contract = contract;
      this.portSchema = portSchema;
    }

    String name() {
      return port + "__quarantine";
    }

    @Override
    public <T> void divert(StructShape<T> shape, T value, QualityGate.Rejection why) {
      if (writer == null) {
        open();
      }
      Map<String, Object> values = Rows.values(shape, value);
      values.put(QUARANTINE_RULE_ID, why.ruleId());
      values.put(QUARANTINE_RULE, why.rule());
      values.put(QUARANTINE_REASON, why.reason());
      values.put(QUARANTINE_RUN_ID, runId);
      writer.write(Row.of(values));
    }

    private void open() {
      List<Field> fields = new ArrayList<>();
      for (Field f : portSchema.fields()) {
        fields.add(new Field(f.name(), f.type(), false, f.description()));
      }
      fields.add(
          new Field(
              QUARANTINE_RULE_ID,
              PrimitiveType.STRING,
              true,
              "Id of the rule that diverted the row"));
      fields.add(
          new Field(QUARANTINE_RULE, PrimitiveType.STRING, false, "Description of that rule"));
      fields.add(
          new Field(QUARANTINE_REASON, PrimitiveType.STRING, false, "What was wrong with the row"));
      fields.add(
          new Field(QUARANTINE_RUN_ID, PrimitiveType.STRING, true, "The run that wrote the row"));
      Map<String, String> props = new LinkedHashMap<>();
      props.put(PRODUCT_ID, product.id());
      props.put(PORT, name());
      props.put("meshwork.quarantine-of", port);
      table =
          store.openOutput(
              new OutputSpec(
                  new TableAddress(product.domain(), product.displayName(), name()),
                  contract.id() + "#quarantine",
                  Schema.of(fields),
                  props));
      writer =
          table.newWriter(RecordShapes.forRows(new StructType(fields), Direction.WRITE), runId);
      quarantines.put(port, this);
      LOG.info("Run {}: output '{}' diverts rows to {}", runId, port, table.info().identifier());
    }

    StagedFiles finish() {
      return writer.finish();
    }

    void abort() {
      if (writer != null) {
        writer.abort();
      }
    }
  }

  @Override
  public void close() {
    if (state != State.OPEN) {
      return;
    }
    state = writeFailure != null ? State.FAILED : State.ABORTED;
    quarantines.values().forEach(Quarantine::abort);
    for (OutputPortImpl<?> out : outputs.values()) {
      try {
        out.abort();
      } catch (RuntimeException e) {
        LOG.warn(
            "Run {}: could not delete staged files of '{}': {}", runId, out.name(), e.getMessage());
      }
    }
    if (writeFailure != null) {
      LOG.warn("Run {} failed and was cleaned up: {}", runId, writeFailure.getMessage());
      emit(RunEvent.Type.FAIL, List.of(), writeFailure);
    } else {
      LOG.info("Run {} closed without commit: aborted, staged files deleted", runId);
      emit(RunEvent.Type.ABORT, List.of(), null);
    }
  }

  private void recordWriteFailure(RuntimeException e) {
    if (writeFailure == null) {
      writeFailure = e;
    }
  }

  private MeshworkException partial(
      List<RunResult.Output> published, String failedPort, RuntimeException cause) {
    String done =
        published.isEmpty()
            ? "no output was published"
            : "outputs already published: "
                + published.stream().map(RunResult.Output::port).toList();
    String msg =
        "Cannot publish output '"
            + failedPort
            + "' of run "
            + runId
            + ": "
            + cause.getMessage()
            + ". "
            + done
            + ". Rerun with RunOptions.builder().runId(\""
            + runId
            + "\") to finish: outputs published by this run id are not appended twice.";
    if (cause instanceof CommitStateUnknownException) {
      return new CommitStateUnknownException(msg, cause);
    }
    return new StoreException(msg, cause);
  }

  private void discardAll(Map<String, StagedFiles> staged) {
    for (Quarantine q : quarantines.values()) {
      StagedFiles files = staged.get(q.name());
      try {
        if (files != null) {
          q.table.discard(files);
        } else {
          q.abort();
        }
      } catch (RuntimeException e) {
        LOG.warn(
            "Run {}: could not delete staged quarantine files of '{}': {}",
            runId,
            q.port,
            e.getMessage());
      }
    }
    for (OutputPortImpl<?> out : outputs.values()) {
      StagedFiles files = staged.get(out.name());
      try {
        if (files != null) {
          out.outputTable().discard(files);
        } else {
          out.abort();
        }
      } catch (RuntimeException e) {
        LOG.warn(
            "Run {}: could not delete staged files of '{}': {}", runId, out.name(), e.getMessage());
      }
    }
  }

  private Map<String, String> consumedInputs() {
    Map<String, String> m = new LinkedHashMap<>();
    inputs.forEach(
        (port, in) -> {
          m.put(INPUT_PREFIX + port + ".table", in.table.info().identifier());
          m.put(
              INPUT_PREFIX + port + ".snapshot-id",
              in.version.isPresent() ? Long.toString(in.version.getAsLong()) : "none");
        });
    return m;
  }

  private List<RunEvent.OutputInfo> outputInfos(List<RunResult.Output> published) {
    List<RunEvent.OutputInfo> infos = new ArrayList<>();
    for (OutputPortImpl<?> out : outputs.values()) {
      RunResult.Output p =
          published.stream().filter(o -> o.port().equals(out.name())).findFirst().orElse(null);
      infos.add(
          new RunEvent.OutputInfo(
              out.name(),
              out.contract(),
              out.schemaObject(),
              out.outputTable().info(),
              out.schema(),
              p == null ? null : p.version(),
              p == null ? out.rows() : p.rows(),
              p == null ? 0 : p.files(),
              p == null ? 0 : p.bytes(),
              out.lastVerdict()));
    }
    return infos;
  }

  private void emit(RunEvent.Type type, List<RunEvent.OutputInfo> outs, Throwable error) {
    if (listeners.isEmpty()) {
      return;
    }
    List<RunEvent.InputInfo> ins = new ArrayList<>();
    inputs.forEach(
        (port, in) ->
            ins.add(
                new RunEvent.InputInfo(
                    port, in.contract, in.table.info(), in.table.schema(), boxed(in.version))));
    RunEvent event =
        new RunEvent(
            type, clock.instant(), runId, product, principal, options, ins, outs, decisions, error);
    MeshworkException required = null;
    for (RunListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        if (l.failsRunOnError() && required == null) {
          required =
              new MeshworkException(
                  "Run "
                      + runId
                      + ": required listener "
                      + l
                      + " failed on "
                      + type
                      + ": "
                      + e.getMessage()
                      + (type == RunEvent.Type.COMPLETE
                          ? ". The outputs ARE published; rerun the listener's publish or fix its backend."
                          : ""),
                  e);
        } else {
          LOG.warn(
              "Run {}: listener {} failed on {} (the run goes on): {}",
              runId,
              l,
              type,
              e.toString());
        }
      }
    }
    if (required != null) {
      if (type == RunEvent.Type.FAIL || type == RunEvent.Type.ABORT) {
        // The run already failed; its own error is the one to report.
        LOG.warn("{}", required.getMessage());
      } else {
        throw required;
      }
    }
  }

  private Decision enforce(Action action, String port) {
    return enforce(action, port, null);
  }

  private Decision enforce(Action action, String port, PolicyRequest.PublishedOutput output) {
    Decision d;
    try {
      d =
          policy.decide(
              new PolicyRequest(
                  action,
                  principal,
                  product,
                  port,
                  options.purpose().orElse(null),
                  clock.instant(),
                  output));
    } catch (RuntimeException e) {
      d = Decision.deny("policy engine " + policy.describe() + " failed: " + e.getMessage());
    }
    if (d == null) {
      d = Decision.deny("policy engine " + policy.describe() + " returned no decision");
    }
    decisions.add(
        new RunEvent.PolicyOutcome(action, port, d.allowed(), d.reasons(), policy.describe()));
    if (!d.allowed()) {
      String target =
          port == null
              ? "product '" + product.displayName() + "'"
              : "port '" + port + "' of product '" + product.displayName() + "'";
      throw new PolicyDeniedException(
          "Policy denied "
              + action
              + " on "
              + target
              + " for "
              + principal
              + ": "
              + String.join("; ", d.reasons())
              + ". Ask the product owner for access, or check the policy.");
    }
    return d;
  }

  /** A port's contract, schema object, table schema and the record type bound to it. */
  private record PortContract<T>(
      DataContract contract, SchemaObject object, Schema schema, StructShape<T> shape) {}

  private <T> PortContract<T> bind(
      String contractId,
      String port,
      java.util.Optional<Object> schemaObject,
      Class<T> type,
      Direction direction,
      String where) {
    return bind(
        contractId,
        port,
        schemaObject,
        (struct, w) -> RecordShapes.forRecord(type, struct, direction, w),
        where);
  }

  private <T> PortContract<T> bind(
      String contractId,
      String port,
      java.util.Optional<Object> schemaObject,
      java.util.function.BiFunction<StructType, String, StructShape<T>> shapes,
      String where) {
    DataContract contract = contractOf(contractId, where);
    SchemaObject object =
        ContractSchemas.schemaObject(
            contract, port, schemaObject.map(String::valueOf).orElse(null));
    Schema schema = ContractSchemas.schema(contract, object);
    return new PortContract<>(contract, object, schema, shapes.apply(schema.struct(), where));
  }

  private DataContract contractOf(String id, String what) {
    return product
        .contract(id)
        .orElseThrow(
            () ->
                new ContractViolationException(
                    "Cannot open "
                        + what
                        + ": contract '"
                        + id
                        + "' was not loaded with product "
                        + product.source()
                        + "."));
  }

  private void requireOpen(String what) {
    if (state != State.OPEN) {
      throw new RunStateException(
          "Cannot "
              + what
              + ": run "
              + runId
              + " is "
              + state.name().toLowerCase(java.util.Locale.ROOT)
              + ". Start a new run.");
    }
  }

  private static void putIfPresent(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  private static Long boxed(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }

  private record PinnedInput(DataContract contract, InputTable table, OptionalLong version) {}
}
