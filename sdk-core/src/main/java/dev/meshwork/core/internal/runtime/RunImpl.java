package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.InputPort;
import dev.meshwork.core.OutputPort;
import dev.meshwork.core.PartSpec;
import dev.meshwork.core.Principal;
import dev.meshwork.core.QualityGateException;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.RunStateException;
import dev.meshwork.core.StagedPart;
import dev.meshwork.core.SummaryKeys;
import dev.meshwork.core.WriteMode;
import dev.meshwork.core.internal.arrow.ArrowBatches;
import dev.meshwork.core.internal.arrow.ArrowRow;
import dev.meshwork.core.internal.binding.Direction;
import dev.meshwork.core.internal.binding.RecordShapes;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.GateContext;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.OutputSpec;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.RunListener;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.TableAddress;
import dev.meshwork.spi.TableStore;
import dev.meshwork.spi.write.StructShape;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's lifecycle: OPEN (ports opened and written) → COMMITTED, FAILED or ABORTED. Commit stages
 * every output, takes the gate's verdicts and the PUBLISH decisions, and hands the staged outputs
 * to the {@link Publisher}; binding, policy, inputs, quarantine tables and events each have their
 * own collaborator.
 */
public final class RunImpl implements dev.meshwork.core.Run {
  private static final Logger LOG = LoggerFactory.getLogger(RunImpl.class);

  private enum State {
    OPEN,
    COMMITTED,
    FAILED,
    ABORTED
  }

  private final DataProduct product;
  private final TableStore store;
  private final QualityGate gate;
  private final Clock clock;
  private final String runId;
  private final Instant started;
  private final PortBinder binder;
  private final PolicyEnforcer policy;
  private final Inputs inputs;
  private final QuarantineTables quarantines;
  private final RunEvents events;
  private final MetricsTable metricsTable;
  private final Map<String, OutputPortImpl<?>> outputs = new LinkedHashMap<>();
  private final Map<String, Parted<?>> parted = new LinkedHashMap<>();
  private boolean assembled;
  private final boolean keepParts;
  private State state = State.OPEN;
  private RuntimeException writeFailure;

  /** Decides RUN and emits START. */
  public RunImpl(
      DataProduct product,
      Principal principal,
      RunOptions options,
      TableStore store,
      List<RunListener> listeners,
      PolicyEngine policyEngine,
      QualityGate gate,
      Clock clock,
      MetricsRecorder recorder,
      MaskKeys maskKeys) {
    this.product = product;
    this.store = store;
    this.gate = gate;
    this.clock = clock;
    this.runId = options.runId().orElseGet(() -> UUID.randomUUID().toString());
    this.keepParts = options.onFailure() == RunOptions.OnFailure.KEEP_PARTS;
    this.started = clock.instant();
    this.binder = new PortBinder(product);
    this.policy = new PolicyEnforcer(policyEngine, product, principal, options, clock);
    this.inputs = new Inputs(runId, product, store, binder, policy, maskKeys, options);
    this.quarantines = new QuarantineTables(runId, product, store);
    this.events = new RunEvents(runId, product, principal, options, listeners, clock);
    this.metricsTable = new MetricsTable(store, product, recorder);
    policy.enforce(Action.RUN, null);
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
    if (ArrowBatches.BATCH_CLASS.equals(type.getName())) {
      @SuppressWarnings("unchecked")
      InputPort<T> batches = (InputPort<T>) inputs.batches(port);
      return batches;
    }
    return inputs.open(port, type);
  }

  @Override
  public <T> List<dev.meshwork.core.InputSplit<T>> splits(String port, Class<T> type, int count) {
    requireOpen("cut input port '" + port + "' into splits");
    if (ArrowBatches.BATCH_CLASS.equals(type.getName())) {
      throw new RunStateException(
          "Cannot cut input port '"
              + port
              + "' into splits of Arrow batches: splits read records or Rows. Read records in the"
              + " tasks, or read the port here with run.input(port, VectorSchemaRoot.class).");
    }
    return inputs.splits(port, type, count);
  }

  @Override
  public <T> OutputPort<T> output(String port, Class<T> type) {
    return output(port, type, (WriteMode) null);
  }

  @Override
  public <T> OutputPort<T> output(String port, Class<T> type, WriteMode mode) {
    // A port listed in several major versions runs under the stored name of the entry named.
    port = product.outputKey(port);
    if (ArrowBatches.BATCH_CLASS.equals(type.getName())) {
      @SuppressWarnings("unchecked")
      OutputPort<T> batches = (OutputPort<T>) batchOutput(port, mode);
      return batches;
    }
    return output(
        port,
        type,
        (struct, where) -> RecordShapes.forRecord(type, struct, Direction.WRITE, where),
        mode);
  }

  /** A port written with Arrow batches: a port of batch rows behind a batch-at-a-time front. */
  private OutputPort<?> batchOutput(String port, WriteMode mode) {
    OutputPortImpl<ArrowRow> rows = output(port, ArrowRow.class, ArrowBatches::shape, mode);
    return ArrowBatches.port(
        rows, rows::writeBatch, rows.schema().struct(), binder.where("output", port));
  }

  /** {@code mode} null: the port's default mode. */
  private <T> OutputPortImpl<T> output(
      String port,
      Class<T> type,
      BiFunction<StructType, String, StructShape<T>> shapes,
      WriteMode mode) {
    requireOpen("open output port '" + port + "'");
    if (parted.containsKey(port)) {
      throw new RunStateException(
          "Cannot open output port '"
              + port
              + "' here: this run handed it out to tasks with parts(...), so it is written only"
              + " in parts. Write it in the tasks, or use another run.");
    }
    OutputPortImpl<?> existing = outputs.get(port);
    if (existing != null) {
      sameMode(existing, mode);
      return sameType(existing, port, type);
    }
    Opened<T> o = open(port, shapes, mode);
    StructShape<T> shape = o.bound().shape();
    PortWriter<T> writer =
        new PortWriter<>(
                "output port '" + port + "'",
                shape,
                () -> o.table().newWriter(shape, runId),
                o.session(),
                this::recordWriteFailure,
                quarantines.of(port, o.bound()))
            .guardedBy(WriteGuard.of("output port '" + port + "'", o.mode(), shape))
            .tickingEvery(this::progress);
    OutputPortImpl<T> out = o.port(writer);
    outputs.put(port, out);
    LOG.info(
        "Run {}: output '{}' stages into {} ({}){}",
        runId,
        port,
        o.table().info().identifier(),
        o.table().info().state(),
        o.mode() instanceof WriteMode.Append ? "" : ", to publish as " + o.mode());
    return out;
  }

  /** An output port bound to its contract, its table opened and its checks started. */
  private record Opened<T>(
      String port,
      PortBinder.Bound<T> bound,
      OutputTable table,
      QualityGate.Session session,
      WriteMode mode) {
    OutputPortImpl<T> port(PortWriter<T> writer) {
      return new OutputPortImpl<>(
          port, bound.contract(), bound.object(), bound.schema(), table, session, writer, mode);
    }
  }

  private <T> Opened<T> open(
      String port, BiFunction<StructType, String, StructShape<T>> shapes, WriteMode chosen) {
    OutputPortSpec spec = product.outputPortByKey(port);
    if (spec.contractId() == null) {
      throw new ContractViolationException(
          "Cannot open output port '"
              + port
              + "': it has no contractId in "
              + product.source()
              + ". Add the id of the ODCS contract that describes the port's table.");
    }
    PortBinder.Bound<T> bound =
        binder.bind(
            spec.contractId(),
            port,
            spec.customProperty("schemaObject"),
            shapes,
            binder.where("output", port));
    WriteMode mode = WriteModes.resolve(chosen, spec, bound, product.source());
    policy.enforce(Action.WRITE, port);
    OutputTable table =
        store.openOutput(
            new OutputSpec(
                new TableAddress(product.domain(), product.displayName(), port),
                bound.contract().id(),
                bound.schema(),
                tableProperties(port, bound)));
    WriteModes.requireSupported(table, mode, port);
    QualityGate.Session session =
        gate == QualityGate.none()
            ? null
            : gate.open(
                new GateContext(
                    runId,
                    product,
                    port,
                    bound.contract(),
                    bound.object(),
                    bound.schema(),
                    metricsTable.history(port),
                    inputs::referenceValues,
                    mode));
    if (session != null && session.audit() != null) {
      Capabilities.audited(
          table, port, "its quality rules judge the published version before readers see it");
    }
    return new Opened<>(port, bound, table, session, mode);
  }

  /** A port handed out in parts: the spec tasks write from, and the coordinator's port. */
  private static final class Parted<T> {
    final PartSpecImpl<T> spec;
    final Opened<T> opened;
    final QuarantineTables.Table quarantine;
    List<StagedFiles> staged;

    Parted(PartSpecImpl<T> spec, Opened<T> opened, QuarantineTables.Table quarantine) {
      this.spec = spec;
      this.opened = opened;
      this.quarantine = quarantine;
    }
  }

  @Override
  public <T> PartSpec<T> parts(String port, Class<T> type) {
    return parts(port, type, null);
  }

  @Override
  public <T> PartSpec<T> parts(String portName, Class<T> type, WriteMode mode) {
    requireOpen("hand out parts of output port '" + portName + "'");
    String port = product.outputKey(portName);
    Parted<?> handed = parted.get(port);
    if (handed != null) {
      sameType(outputs.get(port), port, type);
      if (mode != null && !WriteModes.same(mode, handed.opened.mode())) {
        throw new RunStateException(
            "Cannot hand out parts of output port '"
                + port
                + "' to "
                + mode
                + ": this run handed them out to "
                + handed.opened.mode()
                + " already. A run publishes a port in one mode.");
      }
      @SuppressWarnings("unchecked")
      PartSpec<T> same = (PartSpec<T>) handed.spec;
      return same;
    }
    if (outputs.containsKey(port)) {
      throw new RunStateException(
          "Cannot hand out parts of output port '"
              + port
              + "': this run opened it here already. A run writes a port either here or in parts.");
    }
    if (ArrowBatches.BATCH_CLASS.equals(type.getName())) {
      throw new RunStateException(
          "Cannot hand out parts of output port '"
              + port
              + "' as Arrow batches: parts are written as records or Rows.");
    }
    Opened<T> o =
        open(
            port,
            (struct, where) -> RecordShapes.forRecord(type, struct, Direction.WRITE, where),
            mode);
    QuarantineTables.Table quarantine =
        o.session() != null && o.session().diverts() ? quarantines.of(port, o.bound()) : null;
    PartSpecImpl<T> spec =
        PartSpecImpl.of(
            runId,
            port,
            type,
            product,
            Capabilities.parted(o.table(), port).partTarget(),
            quarantine == null ? null : quarantine.partTarget(),
            gate,
            o.mode());
    Parted<T> p = new Parted<>(spec, o, quarantine);
    StructShape<T> shape = o.bound().shape();
    PortWriter<T> writer =
        new PortWriter<>(
            "output port '" + port + "'",
            shape,
            () -> {
              if (p.staged == null) {
                throw new RunStateException(
                    "Cannot commit output port '"
                        + port
                        + "' without its parts: commit the run with run.commit(parts).");
              }
              return new StagedParts<>(o.table(), p.staged, keepParts);
            },
            null,
            this::recordWriteFailure,
            quarantine);
    outputs.put(port, o.port(writer));
    parted.put(port, p);
    LOG.info(
        "Run {}: output '{}' is written in parts into {} ({})",
        runId,
        port,
        o.table().info().identifier(),
        o.table().info().state());
    return spec;
  }

  private static void sameMode(OutputPortImpl<?> existing, WriteMode mode) {
    if (mode != null && !mode.equals(existing.mode())) {
      throw new RunStateException(
          "Cannot open output port '"
              + existing.name()
              + "' to "
              + mode
              + ": this run already opened it to "
              + existing.mode()
              + ". A port publishes in one mode per run.");
    }
  }

  private static <T> OutputPortImpl<T> sameType(
      OutputPortImpl<?> existing, String port, Class<T> type) {
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

  @Override
  public RunResult commit(Collection<? extends StagedPart> parts) {
    requireOpen("commit");
    if (parted.isEmpty()) {
      throw new RunStateException(
          "Cannot commit run "
              + runId
              + " with parts: no output port was handed out with run.parts(port, type). Call"
              + " commit().");
    }
    Map<String, PartAssembly.Port> ports = new LinkedHashMap<>();
    parted.forEach(
        (name, p) ->
            ports.put(
                name,
                new PartAssembly.Port(
                    p.opened.table(),
                    p.quarantine == null ? null : p.quarantine.table(),
                    p.opened.session(),
                    p.opened.bound().shape())));
    PartAssembly assembly = new PartAssembly(runId, ports);
    try {
      assembly.assemble(parts).forEach(this::take);
    } catch (RuntimeException e) {
      if (!keepParts) {
        assembly.discardAll(parts);
      }
      abortWriters();
      discardParts();
      throw failed(List.of(), e);
    }
    assembled = true;
    return commit();
  }

  /** Hands a port the parts chosen for it. */
  private void take(PartAssembly.Chosen chosen) {
    Parted<?> p = parted.get(chosen.port());
    p.staged = chosen.files();
    outputs.get(chosen.port()).quarantinedElsewhere(chosen.quarantinedRows());
    if (!chosen.quarantine().isEmpty()) {
      p.quarantine.stagedElsewhere(chosen.quarantine(), keepParts);
    }
  }

  @Override
  public RunResult commit() {
    requireOpen("commit");
    if (!parted.isEmpty() && !assembled) {
      throw new RunStateException(
          "Cannot commit run "
              + runId
              + ": output ports "
              + parted.keySet()
              + " were handed out to tasks in parts; commit with run.commit(parts), giving every"
              + " part the tasks staged.");
    }
    if (writeFailure != null) {
      throw new RunStateException(
          "Cannot commit run "
              + runId
              + ": a write failed earlier ("
              + writeFailure.getMessage()
              + "). Close the run; nothing was published.");
    }
    List<StagedOutput> staged = new ArrayList<>();
    try {
      stage(staged);
      requirePassingVerdicts();
      for (OutputPortImpl<?> out : outputs.values()) {
        policy.enforce(
            Action.PUBLISH,
            out.name(),
            new PolicyRequest.PublishedOutput(
                out.contract(), out.schemaObject(), out.schema(), out.publishedSummary()));
      }
      describe(staged);
    } catch (RuntimeException e) {
      discard(staged);
      discardParts();
      throw failed(List.of(), e);
    }
    Publisher.Outcome outcome =
        new Publisher(runId).keepingFilesOf(keepParts ? keptPorts() : Set.of()).publish(staged);
    if (outcome.kind() != Publisher.Kind.PUBLISHED) {
      // What the store was handed it has dealt with (cleaned, or kept when the outcome is unknown);
      // only what it never saw is this run's to delete.
      discard(outcome.unpublished());
      if (outcome.kind() == Publisher.Kind.FAILED) {
        discardParts();
      }
      throw failed(outcome.published(), outcome.error());
    }
    state = State.COMMITTED;
    discardParts();
    recordMetrics(outcome.published());
    emit(RunEvent.Type.COMPLETE, outcome.published(), null);
    Duration took = Duration.between(started, clock.instant());
    LOG.info(
        "Run {} of product '{}' completed in {} ms", runId, product.displayName(), took.toMillis());
    return new RunResult(runId, product.displayName(), inputs.results(), outcome.published(), took);
  }

  /**
   * Closes every writer, outputs then quarantine tables, adding what each staged to {@code staged}.
   */
  private void stage(List<StagedOutput> staged) {
    for (OutputPortImpl<?> out : outputs.values()) {
      staged.add(
          StagedOutput.of(
                  out.name(), out.outputTable(), out.schema(), out.finish(), out.quarantined())
              .inMode(out.mode()));
    }
    for (QuarantineTables.Table q : quarantines.opened()) {
      staged.add(StagedOutput.of(q.name(), q.table(), null, q.finish(), 0));
    }
  }

  /** Throws when any output's verdict blocks the publish; logs the warnings. */
  private void requirePassingVerdicts() {
    List<String> blocking = new ArrayList<>();
    for (OutputPortImpl<?> out : outputs.values()) {
      GateVerdict verdict = out.verdict();
      verdict
          .warnings()
          .forEach(w -> LOG.warn("Run {}: output '{}' quality warning: {}", runId, out.name(), w));
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
  }

  /**
   * Gives every staged output its snapshot summary, verdict and audit; after the verdicts, since
   * referential checks may have opened inputs the summary names.
   */
  private void describe(List<StagedOutput> staged) {
    Map<String, String> consumed = inputs.consumed();
    for (int i = 0; i < staged.size(); i++) {
      StagedOutput s = staged.get(i);
      OutputPortImpl<?> out = outputs.get(s.port());
      if (out != null) {
        Map<String, String> summary = summary(consumed, out.name(), out.contract());
        summary.put(SummaryKeys.CONTRACT_COLUMNS, columns(out));
        summary.putAll(out.verdict().summary());
        staged.set(i, s.describedBy(summary, out.verdict(), out.audit()));
      } else {
        QuarantineTables.Table q = quarantines.named(s.port());
        Map<String, String> summary = summary(consumed, q.name(), q.contract());
        summary.put(SummaryKeys.QUARANTINE_OF, q.port());
        staged.set(i, s.describedBy(summary, null, null));
      }
    }
  }

  private Map<String, String> summary(
      Map<String, String> consumed, String port, DataContract contract) {
    Map<String, String> summary = new LinkedHashMap<>(consumed);
    summary.putAll(identity(port, contract));
    summary.put(SummaryKeys.RUN_ID, runId);
    String uuid = dev.meshwork.core.RunOptions.uuidOf(runId);
    if (!uuid.equals(runId)) {
      summary.put(SummaryKeys.RUN_UUID, uuid);
    }
    summary.put(SummaryKeys.RUN_OUTPUTS, String.join(",", outputs.keySet()));
    return summary;
  }

  /** A port's table properties: its identity and the data subjects its columns identify. */
  private Map<String, String> tableProperties(String port, PortBinder.Bound<?> bound) {
    Map<String, String> props = identity(port, bound.contract());
    props.putAll(Subjects.properties(bound.object()));
    return props;
  }

  /** The product, port and contract keys of a table's properties and of its snapshots. */
  private Map<String, String> identity(String port, DataContract contract) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(SummaryKeys.PRODUCT_ID, product.id());
    putIfPresent(props, SummaryKeys.PRODUCT_VERSION, product.version());
    props.put(SummaryKeys.PORT, port);
    props.put(SummaryKeys.CONTRACT_ID, contract.id());
    putIfPresent(props, SummaryKeys.CONTRACT_VERSION, contract.version());
    return props;
  }

  private static String columns(OutputPortImpl<?> out) {
    return String.join(
        ",", out.schemaObject().properties().stream().map(SchemaProperty::name).toList());
  }

  /** Deletes what {@code staged} holds, and whatever writers have not handed over yet. */
  private void discard(List<StagedOutput> staged) {
    Set<String> kept = keepParts ? keptPorts() : Set.of();
    for (StagedOutput s : staged) {
      if (kept.contains(s.port())) {
        continue;
      }
      try {
        s.table().discard(s.files());
      } catch (RuntimeException e) {
        LOG.warn(
            "Run {}: could not delete staged files of '{}': {}", runId, s.port(), e.getMessage());
      }
    }
    abortWriters();
  }

  /** The ports (and quarantine tables) written in parts, whose files a KEEP_PARTS run keeps. */
  private Set<String> keptPorts() {
    Set<String> ports = new java.util.HashSet<>(parted.keySet());
    parted.keySet().forEach(p -> ports.add(dev.meshwork.core.QuarantineColumns.of(p)));
    return ports;
  }

  /**
   * Deletes the files of part attempts that no version references, in every table written in parts:
   * tasks that failed, were killed or whose parts never came back leave them. A KEEP_PARTS run does
   * so only once committed: before, a checkpoint may still refer to them.
   */
  private void discardParts() {
    if (keepParts && state != State.COMMITTED) {
      return;
    }
    for (Parted<?> p : parted.values()) {
      Capabilities.discardParts(p.opened.table(), runId);
      if (p.quarantine != null && p.quarantine.table() != null) {
        Capabilities.discardParts(p.quarantine.table(), runId);
      }
    }
  }

  /** Aborts every writer; a finished writer's files belong to its caller and are not touched. */
  private void abortWriters() {
    quarantines.abortAll();
    for (OutputPortImpl<?> out : outputs.values()) {
      try {
        out.abort();
      } catch (RuntimeException e) {
        LOG.warn(
            "Run {}: could not delete staged files of '{}': {}", runId, out.name(), e.getMessage());
      }
    }
  }

  /** Marks the run failed, emits FAIL, and returns {@code error} to throw. */
  private RuntimeException failed(List<RunResult.Output> published, RuntimeException error) {
    state = State.FAILED;
    LOG.warn("Run {} failed: {}", runId, error.getMessage());
    emit(RunEvent.Type.FAIL, published, error);
    return error;
  }

  @Override
  public void close() {
    if (state != State.OPEN) {
      return;
    }
    state = writeFailure != null ? State.FAILED : State.ABORTED;
    abortWriters();
    discardParts();
    if (writeFailure != null) {
      LOG.warn("Run {} failed and was cleaned up: {}", runId, writeFailure.getMessage());
      emit(RunEvent.Type.FAIL, null, writeFailure);
    } else {
      LOG.info("Run {} closed without commit: aborted, staged files deleted", runId);
      emit(RunEvent.Type.ABORT, null, null);
    }
  }

  private void recordWriteFailure(RuntimeException e) {
    if (writeFailure == null) {
      writeFailure = e;
    }
  }

  /** Emits PROGRESS when a second has passed since the run started or last said so. */
  private void progress() {
    Instant now = clock.instant();
    if (Duration.between(lastProgress == null ? started : lastProgress, now).toMillis() < 1000) {
      return;
    }
    lastProgress = now;
    emit(RunEvent.Type.PROGRESS, List.of(), null);
  }

  private Instant lastProgress;

  /** Keeps this run's quality observations for later runs' anomaly checks. */
  private void recordMetrics(List<RunResult.Output> published) {
    Map<String, Map<String, Double>> byPort = new LinkedHashMap<>();
    for (OutputPortImpl<?> out : outputs.values()) {
      GateVerdict v = verdictOf(out, published);
      if (v != null && !v.observations().isEmpty()) {
        byPort.put(out.name(), v.observations());
      }
    }
    if (byPort.isEmpty()) {
      return;
    }
    metricsTable.recordLater(
        runId,
        clock.instant(),
        byPort,
        e ->
            LOG.warn(
                "Run {}: outputs are published, but their quality metrics were not kept ({}); anomaly checks of later runs will not see this run",
                runId,
                e.getMessage()));
  }

  /**
   * Emits an event; {@code published} null means no output information at all (START, and a close
   * without commit), else every output port is described with what of it was published.
   */
  private void emit(RunEvent.Type type, List<RunResult.Output> published, Throwable error) {
    List<RunEvent.OutputInfo> infos = new ArrayList<>();
    if (published != null) {
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
                verdictOf(out, published),
                out.mode(),
                p == null ? 0 : p.removedRows()));
      }
    }
    events.emit(type, inputs.infos(), infos, policy.outcomes(), error);
  }

  /**
   * The verdict an output was published with (an audit may have judged rules on the resulting
   * version), else the verdict on its written rows.
   */
  private static GateVerdict verdictOf(OutputPortImpl<?> out, List<RunResult.Output> published) {
    return published.stream()
        .filter(o -> o.port().equals(out.name()) && o.quality() != null)
        .map(RunResult.Output::quality)
        .findFirst()
        .orElse(out.lastVerdict());
  }

  private void requireOpen(String what) {
    if (state != State.OPEN) {
      throw new RunStateException(
          "Cannot "
              + what
              + ": run "
              + runId
              + " is "
              + state.name().toLowerCase(Locale.ROOT)
              + ". Start a new run.");
    }
  }

  private static void putIfPresent(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
