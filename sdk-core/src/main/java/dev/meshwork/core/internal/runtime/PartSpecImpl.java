package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.PartSpec;
import dev.meshwork.core.PartWriter;
import dev.meshwork.core.Settings;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.GateContext;
import dev.meshwork.spi.PartTarget;
import dev.meshwork.spi.QualityGate;

/**
 * A part-writer spec: the product and its contracts as the text they were loaded from (the model
 * holds paths, and a task elsewhere cannot read the coordinator's files), the port's part targets
 * and where the task's checks come from.
 */
final class PartSpecImpl<T> implements PartSpec<T> {
  private static final long serialVersionUID = 1L;

  /** Where a task's quality gate comes from. */
  private enum GateSource {
    NONE,
    DISCOVERED,
    FACTORY
  }

  private final String runId;
  private final String port;
  private final Class<T> type;
  private final ProductTexts texts;
  private final PartTarget target;
  private final PartTarget quarantine;
  private final GateSource gateSource;
  private final GateFactory gateFactory;
  private final dev.meshwork.core.WriteMode mode;

  private PartSpecImpl(
      String runId,
      String port,
      Class<T> type,
      ProductTexts texts,
      PartTarget target,
      PartTarget quarantine,
      GateSource gateSource,
      GateFactory gateFactory,
      dev.meshwork.core.WriteMode mode) {
    this.runId = runId;
    this.port = port;
    this.type = type;
    this.texts = texts;
    this.target = target;
    this.quarantine = quarantine;
    this.gateSource = gateSource;
    this.gateFactory = gateFactory;
    this.mode = mode;
  }

  /**
   * The spec of one port of a run; tasks check with the gate found on their class path unless
   * {@code coordinatorGate} is none.
   */
  static <T> PartSpecImpl<T> of(
      String runId,
      String port,
      Class<T> type,
      DataProduct product,
      PartTarget target,
      PartTarget quarantine,
      QualityGate coordinatorGate,
      dev.meshwork.core.WriteMode mode) {
    return new PartSpecImpl<>(
        runId,
        port,
        type,
        ProductTexts.of(product),
        target,
        quarantine,
        coordinatorGate == QualityGate.none() ? GateSource.NONE : GateSource.DISCOVERED,
        null,
        mode);
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public String port() {
    return port;
  }

  @Override
  public dev.meshwork.core.WriteMode mode() {
    return mode;
  }

  @Override
  public PartSpec<T> withQualityGate(GateFactory gate) {
    return copy(runId, GateSource.FACTORY, java.util.Objects.requireNonNull(gate, "gate"));
  }

  private PartSpecImpl<T> copy(String run, GateSource source, GateFactory factory) {
    return new PartSpecImpl<>(run, port, type, texts, target, quarantine, source, factory, mode);
  }

  @Override
  public PartSpec<T> forRun(String otherRunId) {
    // The same rules as a run's own id.
    dev.meshwork.core.RunOptions.builder().runId(otherRunId);
    return copy(otherRunId, gateSource, gateFactory);
  }

  @Override
  public PartWriter<T> open(int part, int attempt) {
    if (part < 0 || attempt < 0) {
      throw new IllegalArgumentException(
          "Cannot open part "
              + part
              + " attempt "
              + attempt
              + " of output port '"
              + port
              + "': part and attempt numbers are 0 or more.");
    }
    DataProduct p = texts.product();
    PortBinder.Bound<T> bound = new PortBinder(p).output(port, type);
    QualityGate gate = gate();
    QualityGate.Session session =
        gate == QualityGate.none()
            ? null
            : gate.open(
                new GateContext(runId, p, port, bound.contract(), bound.object(), bound.schema()));
    return new PartWriterImpl<>(
        runId, port, part, attempt, bound, target, quarantine, session, mode);
  }

  private QualityGate gate() {
    return switch (gateSource) {
      case NONE -> QualityGate.none();
      case FACTORY -> gateFactory.create();
      case DISCOVERED ->
          new DefaultComponents(Settings.fromEnvironment())
              .qualityGate()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "Cannot check part of output port '"
                              + port
                              + "': the run checks it with a quality gate, but none was found on"
                              + " this task's class path. Add dev.meshwork:sdk-quality to the job,"
                              + " or give the spec a gate with withQualityGate(...)."));
    };
  }

  @Override
  public String toString() {
    return "parts of output port '" + port + "' of run " + runId + " into " + target.table();
  }
}
