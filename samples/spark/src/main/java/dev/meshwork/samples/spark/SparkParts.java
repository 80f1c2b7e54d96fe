package dev.meshwork.samples.spark;

import dev.meshwork.core.PartSpec;
import dev.meshwork.core.PartWriter;
import dev.meshwork.core.StagedPart;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Writes a Meshwork output port from the partitions of a Spark job: each task opens a part writer
 * from the run's {@link PartSpec} with its partition id and attempt number and sends back what it
 * staged; the driver gives every part to {@code run.commit(parts)}. A task needs no catalog, policy
 * engine or listener. Parts travel as Java-serialized bytes, whatever serializer the job
 * configured.
 */
public final class SparkParts {
  private SparkParts() {}

  /** The rows of one partition, produced in the task. */
  @FunctionalInterface
  public interface PartitionRows<T> extends Serializable {
    /** The rows of partition {@code partition}. */
    Iterator<T> rows(int partition);
  }

  /** Stages the rows of an RDD, one part per partition; returns the parts the tasks staged. */
  public static <T> List<StagedPart> stage(JavaRDD<T> rows, PartSpec<T> spec) {
    return received(
        rows.mapPartitions(
                it -> {
                  TaskContext task = TaskContext.get();
                  return List.of(write(spec, task.partitionId(), task.attemptNumber(), it))
                      .iterator();
                })
            .collect());
  }

  /**
   * Stages {@code partitions} parts whose rows the tasks produce themselves (generated, or read
   * from a source each task opens); returns the parts the tasks staged.
   */
  public static <T> List<StagedPart> stage(
      JavaSparkContext spark, int partitions, PartSpec<T> spec, PartitionRows<T> rows) {
    return received(
        spark
            .parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
            .mapPartitions(
                ids -> {
                  TaskContext task = TaskContext.get();
                  List<byte[]> out = new ArrayList<>();
                  while (ids.hasNext()) {
                    int p = ids.next();
                    out.add(write(spec, p, task.attemptNumber(), rows.rows(p)));
                  }
                  return out.iterator();
                })
            .collect());
  }

  /** In a task: writes one attempt of one part and returns the staged part, serialized. */
  static <T> byte[] write(PartSpec<T> spec, int part, int attempt, Iterator<T> rows) {
    try (PartWriter<T> writer = spec.open(part, attempt)) {
      while (rows.hasNext()) {
        writer.write(rows.next());
      }
      return writer.finish().toBytes();
    }
  }

  /** The staged parts tasks sent as bytes. */
  public static List<StagedPart> received(List<byte[]> sent) {
    return sent.stream().map(StagedPart::fromBytes).toList();
  }
}
