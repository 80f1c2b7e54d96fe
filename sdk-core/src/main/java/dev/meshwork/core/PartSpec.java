package dev.meshwork.core;

import dev.meshwork.spi.QualityGate;
import java.io.Serializable;

/**
 * What a task elsewhere (a Spark or Flink task) needs to write one part of a run's output port: the
 * product and its contracts as text, a catalog-free handle on the table, the value type and where
 * the checks come from. Ship it to the tasks; each opens a {@link PartWriter} with its part id and
 * attempt number and sends back the {@link StagedPart} it finishes with, which the coordinator's
 * {@link Run#commit(java.util.Collection)} publishes with every other part. A task needs no
 * catalog, policy engine or listener.
 *
 * <pre>{@code
 * PartSpec<Delivery> spec = run.parts("deliveries", Delivery.class);
 * // in a task:
 * try (PartWriter<Delivery> w = spec.open(partitionId, attemptNumber)) {
 *   rows.forEach(w::write);
 *   return w.finish();
 * }
 * }</pre>
 */
public interface PartSpec<T> extends Serializable {

  /** The run the parts belong to. */
  String runId();

  /** The output port. */
  String port();

  /**
   * The mode the coordinator publishes the parts in, as its run resolved it (chosen in code, else
   * the port's descriptor default, else append). A streaming job hands it to the run of each
   * checkpoint: {@code run.parts(spec.port(), type, spec.mode())}.
   */
  WriteMode mode();

  /**
   * Opens a writer for one attempt of one part; files of different attempts never overwrite each
   * other, and the coordinator keeps one attempt per part.
   */
  PartWriter<T> open(int part, int attempt);

  /**
   * This spec with the quality checks built in each task by {@code gate} (a serializable factory; a
   * Java suite whose checks hold lambdas is rebuilt this way, since it cannot be serialized). By
   * default a task builds the gate found on its class path, as a default mesh does. Either way the
   * coordinator refuses parts whose checks differ from its own (their suite hashes differ).
   */
  PartSpec<T> withQualityGate(GateFactory gate);

  /**
   * This spec for another run of the same product and port: a streaming job derives one run per
   * checkpoint and its writers stage each checkpoint's parts for that checkpoint's run, which the
   * committer starts and commits; the coordinator's run checks that the parts carry its id.
   */
  PartSpec<T> forRun(String runId);

  /** Builds, in a task, the quality gate that checks a part. */
  @FunctionalInterface
  interface GateFactory extends Serializable {
    /** A gate with the same checks as the coordinator's. */
    QualityGate create();
  }
}
