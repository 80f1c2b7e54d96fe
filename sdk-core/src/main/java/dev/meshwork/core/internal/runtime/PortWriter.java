package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.RunStateException;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.StagedWriter;
import dev.meshwork.spi.write.ColumnCheck;
import dev.meshwork.spi.write.RowBatch;
import dev.meshwork.spi.write.StructShape;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The write path of one output port, in one JVM: values go through the quality session (which may
 * divert them to quarantine) into a staged writer opened on the first value. An output port of a
 * run and a part writer of a task both write through one.
 */
final class PortWriter<T> {
  private final String what;
  private final StructShape<T> shape;
  private final Supplier<StagedWriter<T>> writers;
  private final QualityGate.Session gate;
  private final Consumer<RuntimeException> onFailure;
  private final QuarantineSink quarantine;
  private long quarantined;
  private StagedWriter<T> writer;
  private boolean finished;
  private WriteGuard<T> guard;

  /**
   * {@code what} names the port (or part) in messages; {@code gate} is null without checks; {@code
   * onFailure} hears every failed write.
   */
  PortWriter(
      String what,
      StructShape<T> shape,
      Supplier<StagedWriter<T>> writers,
      QualityGate.Session gate,
      Consumer<RuntimeException> onFailure,
      QuarantineSink quarantine) {
    this.what = what;
    this.shape = shape;
    this.writers = writers;
    this.gate = gate;
    this.onFailure = onFailure;
    this.quarantine = quarantine;
  }

  /** Checks every value with {@code check} (a write mode's demands) before it is written. */
  PortWriter<T> guardedBy(WriteGuard<T> check) {
    this.guard = check;
    return this;
  }

  /** Receives rows a quality rule diverted, with the rejection that diverted them. */
  interface QuarantineSink {
    /** Stages one diverted row. */
    <T> void divert(StructShape<T> shape, T value, QualityGate.Rejection why);
  }

  /** Calls {@code tick} every {@value #TICK_ROWS} rows written, for progress. */
  PortWriter<T> tickingEvery(Runnable tick) {
    this.tick = tick;
    return this;
  }

  static final int TICK_ROWS = 16_384;
  private Runnable tick;
  private int sinceTick;

  void write(T value) {
    if (tick != null && ++sinceTick == TICK_ROWS) {
      sinceTick = 0;
      tick.run();
    }
    if (finished) {
      throw new RunStateException(
          "Cannot write to " + what + ": it was committed, finished or closed. Start a new run.");
    }
    if (value == null) {
      throw fail(new ContractViolationException("Cannot write a null value to " + what + "."));
    }
    try {
      if (guard != null) {
        guard.check(value);
      }
      if (writer == null) {
        open();
      }
      QualityGate.Rejection rejected = gate == null ? null : gate.observe(shape, value);
      if (rejected != null) {
        quarantine.divert(shape, value, rejected);
        quarantined++;
        return;
      }
      writer.write(value);
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  private void open() {
    writer = writers.get();
    if (gate != null) {
      // Checks the store runs on the pages it encodes need not read every row here.
      List<ColumnCheck> offered = gate.columnChecks(shape);
      if (!offered.isEmpty()) {
        Set<ColumnCheck> taken = writer.attach(offered);
        if (!taken.isEmpty()) {
          gate.checkedByStore(taken);
        }
      }
    }
  }

  /**
   * Writes a batch a column at a time when nothing needs its rows one by one (no quality gate, no
   * write mode check) and the store can; returns false, having written nothing, when the rows must
   * go through {@link #write} instead.
   */
  boolean writeBatch(RowBatch<T> rows) {
    if (finished || gate != null || guard != null) {
      return false;
    }
    try {
      if (writer == null) {
        writer = writers.get();
      }
      boolean written = writer.writeBatch(rows);
      if (written && tick != null) {
        tick.run();
      }
      return written;
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  private RuntimeException fail(RuntimeException e) {
    onFailure.accept(e);
    return e;
  }

  long rows() {
    return writer == null ? 0 : writer.rows();
  }

  /** Values diverted to quarantine. */
  long quarantined() {
    return quarantined;
  }

  StructShape<T> shape() {
    return shape;
  }

  /** Closes the writer (opening one when nothing was written) and returns its files. */
  StagedFiles finish() {
    finished = true;
    if (writer == null) {
      writer = writers.get();
    }
    return writer.finish();
  }

  /** Deletes what the writer staged; a finished writer's files are its caller's. */
  void abort() {
    finished = true;
    if (writer != null) {
      writer.abort();
    }
  }
}
