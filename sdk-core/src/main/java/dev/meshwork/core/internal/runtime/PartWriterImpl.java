package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.PartWriter;
import dev.meshwork.core.Row;
import dev.meshwork.core.RunStateException;
import dev.meshwork.core.StagedPart;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.spi.PartTarget;
import dev.meshwork.spi.PartialQuality;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.StagedWriter;
import dev.meshwork.spi.write.StructShape;

/**
 * One attempt of one part, in a task: the port's {@link PortWriter} over the part target, a
 * quarantine writer opened on the first diverted row, and the checks' partial state at finish.
 */
final class PartWriterImpl<T> implements PartWriter<T> {
  private final String runId;
  private final String port;
  private final int part;
  private final int attempt;
  private final PartTarget target;
  private final QualityGate.Session session;
  private final Quarantine quarantine;
  private final PortWriter<T> writer;
  private RuntimeException failure;
  private boolean done;

  PartWriterImpl(
      String runId,
      String port,
      int part,
      int attempt,
      PortBinder.Bound<T> bound,
      PartTarget target,
      PartTarget quarantineTarget,
      QualityGate.Session session,
      dev.meshwork.core.WriteMode mode) {
    this.runId = runId;
    this.port = port;
    this.part = part;
    this.attempt = attempt;
    this.target = target;
    this.session = session;
    this.quarantine =
        quarantineTarget == null ? null : new Quarantine(quarantineTarget, bound.schema());
    String what = "part " + part + " (attempt " + attempt + ") of output port '" + port + "'";
    this.writer =
        new PortWriter<>(
            what,
            bound.shape(),
            () -> target.newWriter(bound.shape(), runId, part, attempt),
            session,
            e -> failure = failure == null ? e : failure,
            quarantine != null ? quarantine : new Refusing(what));
    // A task refuses a row outside the restated slice as the coordinator's writer would.
    this.writer.guardedBy(WriteGuard.of(what, mode, bound.shape()));
  }

  @Override
  public void write(T value) {
    writer.write(value);
  }

  @Override
  public long rows() {
    return writer.rows();
  }

  @Override
  public StagedPart finish() {
    if (done) {
      throw new RunStateException(
          "Cannot finish part " + part + " of output port '" + port + "' twice.");
    }
    if (failure != null) {
      close();
      throw new RunStateException(
          "Cannot finish part "
              + part
              + " (attempt "
              + attempt
              + ") of output port '"
              + port
              + "': a write failed earlier ("
              + failure.getMessage()
              + "). Its files were deleted; fail the task so that the engine retries it.");
    }
    done = true;
    StagedFiles files = null;
    StagedFiles diverted = null;
    try {
      files = writer.finish();
      diverted = quarantine == null ? null : quarantine.finish();
      // After the files are closed: checks the store ran on the pages have seen every value.
      PartialQuality quality = session == null ? null : session.partial();
      return new Part(runId, port, part, attempt, files, diverted, writer.quarantined(), quality);
    } catch (RuntimeException e) {
      writer.abort();
      if (files != null) {
        target.discard(files);
      }
      if (quarantine != null) {
        quarantine.abort();
        if (diverted != null) {
          quarantine.target.discard(diverted);
        }
      }
      throw e;
    }
  }

  @Override
  public void close() {
    if (done) {
      return;
    }
    done = true;
    try {
      writer.abort();
    } finally {
      if (quarantine != null) {
        quarantine.abort();
      }
    }
  }

  /** The part's quarantine rows, staged through the quarantine table's target. */
  private final class Quarantine implements PortWriter.QuarantineSink {
    private final PartTarget target;
    private final Schema portSchema;
    private StagedWriter<Row> rows;

    Quarantine(PartTarget target, Schema portSchema) {
      this.target = target;
      this.portSchema = portSchema;
    }

    @Override
    public <V> void divert(StructShape<V> shape, V value, QualityGate.Rejection why) {
      if (rows == null) {
        rows = target.newWriter(QuarantineTables.rowShape(portSchema), runId, part, attempt);
      }
      rows.write(QuarantineTables.row(shape, value, why, runId));
    }

    StagedFiles finish() {
      return rows == null ? null : rows.finish();
    }

    void abort() {
      if (rows != null) {
        rows.abort();
      }
    }
  }

  /** For a gate that said it never diverts and then did. */
  private record Refusing(String what) implements PortWriter.QuarantineSink {
    @Override
    public <V> void divert(StructShape<V> shape, V value, QualityGate.Rejection why) {
      throw new IllegalStateException(
          "Cannot divert a row of "
              + what
              + " to quarantine: its quality gate said it never diverts rows, so the run opened no"
              + " quarantine table ("
              + why.rule()
              + ")");
    }
  }
}
