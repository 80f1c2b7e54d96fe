package dev.meshwork.spi;

import dev.meshwork.spi.write.StructShape;
import java.io.Serializable;

/**
 * A serializable, catalog-free handle on an output table through which tasks elsewhere (Spark or
 * Flink tasks) stage the parts of one run's output; the coordinator publishes them together with
 * {@link OutputTable#combine}.
 */
public interface PartTarget extends Serializable {

  /** The table's name, for messages. */
  String table();

  /**
   * A writer for one attempt of one part; its files are named after the run, the part and the
   * attempt, so attempts never overwrite each other. Its {@link StagedWriter#finish} gives
   * serializable staged files to send back; its resources are released at finish or abort.
   */
  <T> StagedWriter<T> newWriter(StructShape<T> shape, String runId, int part, int attempt);

  /** Deletes files a writer of this target staged that will not be sent to the coordinator. */
  void discard(StagedFiles files);
}
