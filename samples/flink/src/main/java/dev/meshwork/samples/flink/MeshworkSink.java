package dev.meshwork.samples.flink;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.PartSpec;
import dev.meshwork.core.Principal;
import dev.meshwork.core.model.DataProduct;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Publishes a Flink stream to a Meshwork output port, one version per completed checkpoint: writer
 * operators stage each checkpoint's rows as parts (flushed before the barrier), and a committer of
 * parallelism 1 commits a checkpoint's parts as one run when the checkpoint completes. The run id
 * is derived from the sink's uid and the checkpoint, so a job restored from a checkpoint, under the
 * same or a new job id, commits each checkpoint's rows exactly once. The parts of completed, not
 * yet committed checkpoints live in the committer's state and their files are kept ({@code
 * OnFailure.KEEP_PARTS}) until a commit publishes them.
 *
 * <p>A checkpoint whose rows fail an error rule of the port's contract fails the job: nothing of it
 * is published, its files stay, and the restored job tries the same checkpoint again, so nothing is
 * lost while the rule (or the data upstream) is fixed. Quarantine rules divert rows as in any run.
 */
public final class MeshworkSink {
  private MeshworkSink() {}

  /** What the committer needs on the cluster: a mesh, the product and who publishes. */
  public interface Setup extends Serializable {
    /** A mesh with the store, listeners and policy of the job (called once per committer). */
    Mesh mesh();

    /** The product whose port the stream publishes. */
    DataProduct product();

    /** The principal that publishes. */
    Principal principal();
  }

  /** Turns a stream element into the port's record, in the writer. */
  @FunctionalInterface
  public interface ToRecord<I, T> extends Serializable {
    /** The record of one element. */
    T apply(I element);
  }

  /** The type of the messages from writers to committer: the checkpoint run's number and a part. */
  static final TupleTypeInfo<Tuple2<Long, byte[]>> PARTS =
      new TupleTypeInfo<>(Types.LONG, Types.PRIMITIVE_ARRAY(Types.BYTE));

  /**
   * Adds writers (the stream's parallelism) and a committer to {@code stream}. {@code spec} comes
   * from a run of the product on the client ({@code run.parts(port, type)}); {@code uid} names the
   * sink in run ids and must stay the same across restarts.
   */
  public static <I, T> void publish(
      DataStream<I> stream,
      String uid,
      PartSpec<T> spec,
      Class<T> type,
      ToRecord<I, T> toRecord,
      Setup setup) {
    requireAlignedCheckpoints(stream, uid, spec);
    commit(
        stream
            .transform(
                "meshwork-writer-" + uid,
                PARTS,
                new PartWriterOperator<>(uid, spec, toRecord, null))
            .uid(uid + "-writer"),
        uid,
        spec,
        type,
        setup);
  }

  /**
   * Publishes a change stream (change data capture) to a port written as an upsert by its
   * contract's primary key ({@code writeMode: upsert}, or {@code run.parts(port, type,
   * WriteMode.upsert())}): the stream is keyed by {@code keyOf}, so that every change of one key
   * reaches one writer in order, and a writer keeps only the latest change of each key until the
   * checkpoint's barrier. Each checkpoint then publishes one version that replaces the rows of the
   * keys that changed. A writer holds one row per key changed since the last checkpoint.
   */
  public static <I, T, K> void publishChanges(
      DataStream<I> stream,
      String uid,
      PartSpec<T> spec,
      Class<T> type,
      ToRecord<I, T> toRecord,
      KeyOf<I, K> keyOf,
      Class<K> keyType,
      Setup setup) {
    if (!(spec.mode() instanceof dev.meshwork.core.WriteMode.Upsert)) {
      throw new IllegalArgumentException(
          "Cannot publish the changes of sink '"
              + uid
              + "' to "
              + spec.port()
              + ": the port is published "
              + spec.mode()
              + ", and keeping the latest change of each key needs an upsert. Declare"
              + " writeMode: upsert on the port, or hand out its parts with"
              + " run.parts(port, type, WriteMode.upsert()).");
    }
    requireAlignedCheckpoints(stream, uid, spec);
    commit(
        stream
            .keyBy(keyOf::apply, org.apache.flink.api.common.typeinfo.TypeInformation.of(keyType))
            .transform(
                "meshwork-writer-" + uid,
                PARTS,
                new PartWriterOperator<>(uid, spec, toRecord, keyOf))
            .uid(uid + "-writer"),
        uid,
        spec,
        type,
        setup);
  }

  /** The key of a change: the primary key of the row it changes. */
  @FunctionalInterface
  public interface KeyOf<I, K> extends Serializable {
    /** The key of one element (equal keys for changes of the same row). */
    K apply(I element);
  }

  private static void requireAlignedCheckpoints(
      DataStream<?> stream, String uid, PartSpec<?> spec) {
    if (stream.getExecutionEnvironment().getCheckpointConfig().isUnalignedCheckpointsEnabled()) {
      // With unaligned checkpoints a checkpoint's parts may still be in flight when it completes.
      throw new IllegalArgumentException(
          "Cannot publish "
              + spec.port()
              + " with sink '"
              + uid
              + "': the job uses unaligned checkpoints, and a checkpoint's parts must reach the"
              + " committer before it completes. Turn them off"
              + " (execution.checkpointing.unaligned.enabled: false).");
    }
  }

  private static <T> void commit(
      DataStream<Tuple2<Long, byte[]>> parts,
      String uid,
      PartSpec<T> spec,
      Class<T> type,
      Setup setup) {
    parts
        .transform(
            "meshwork-committer-" + uid,
            Types.VOID,
            new PartCommitterOperator<>(uid, spec.port(), type, spec.mode(), setup))
        .uid(uid + "-committer")
        .setParallelism(1)
        .setMaxParallelism(1)
        .sinkTo(new DiscardingSink<>())
        .setParallelism(1);
  }

  /** Where writers and committer keep the epoch of the sink's runs ({@link #epoch}). */
  static final org.apache.flink.api.common.state.ListStateDescriptor<String> EPOCH =
      new org.apache.flink.api.common.state.ListStateDescriptor<>("meshwork-epoch", String.class);

  /**
   * The epoch of the sink's runs: the id of the job that started the stream, kept in state across
   * restores. A job started afresh on the same tables numbers its checkpoints from 1 again; in an
   * epoch of its own it never reuses an earlier job's run ids (which it would find published with
   * other rows). A checkpoint taken before epochs existed restores the empty epoch.
   */
  static String epoch(
      org.apache.flink.runtime.state.StateInitializationContext context,
      org.apache.flink.api.common.state.ListState<String> state,
      org.apache.flink.api.common.JobID job)
      throws Exception {
    for (String restored : state.get()) {
      return restored;
    }
    return context.isRestored() ? "" : job.toString();
  }

  /** The run id of the sink's {@code n}-th checkpoint run in {@code epoch}. */
  static String runId(String uid, String epoch, long n) {
    String name = epoch.isEmpty() ? uid + "/" + n : uid + "/" + epoch + "/" + n;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
