package dev.meshwork.samples.flink;

import dev.meshwork.core.PartSpec;
import dev.meshwork.core.PartWriter;
import dev.meshwork.core.StagedPart;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Stages the rows between two checkpoint barriers as one part of the run of the next checkpoint
 * (the one after the last barrier it saw, or after the checkpoint it was restored from) and sends
 * the part to the committer just before the barrier. With a key (a change stream published as an
 * upsert) it keeps the latest row of each key instead and stages those at the barrier: what it
 * holds is replayed by the source after a failure, as rows written since the last barrier are.
 */
final class PartWriterOperator<I, T> extends AbstractStreamOperator<Tuple2<Long, byte[]>>
    implements OneInputStreamOperator<I, Tuple2<Long, byte[]>>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final PartSpec<T> spec;
  private final MeshworkSink.ToRecord<I, T> toRecord;
  private final MeshworkSink.KeyOf<I, ?> keyOf;
  private transient java.util.Map<Object, T> latest;
  private transient org.apache.flink.api.common.state.ListState<Long> checkpoints;
  private transient org.apache.flink.api.common.state.ListState<String> epochs;
  private transient String epoch;
  private transient long lastCheckpoint;
  private transient long writingFor;
  private transient PartWriter<T> writer;

  PartWriterOperator(
      String uid,
      PartSpec<T> spec,
      MeshworkSink.ToRecord<I, T> toRecord,
      MeshworkSink.KeyOf<I, ?> keyOf) {
    this.uid = uid;
    this.spec = spec;
    this.toRecord = toRecord;
    this.keyOf = keyOf;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    // Kept in state, not only taken from the restore: a stateless operator may be told nothing,
    // and a writer that numbered its rows after an old checkpoint would stage them for a run that
    // is already published.
    checkpoints =
        context
            .getOperatorStateStore()
            .getUnionListState(
                new org.apache.flink.api.common.state.ListStateDescriptor<>(
                    "meshwork-last-checkpoint", Long.class));
    epochs = context.getOperatorStateStore().getUnionListState(MeshworkSink.EPOCH);
    epoch = MeshworkSink.epoch(context, epochs, getRuntimeContext().getJobInfo().getJobId());
    lastCheckpoint = context.getRestoredCheckpointId().orElse(0L);
    for (Long c : checkpoints.get()) {
      lastCheckpoint = Math.max(lastCheckpoint, c);
    }
  }

  @Override
  public void snapshotState(org.apache.flink.runtime.state.StateSnapshotContext context)
      throws Exception {
    super.snapshotState(context);
    checkpoints.update(java.util.List.of(context.getCheckpointId()));
    epochs.update(java.util.List.of(epoch));
  }

  @Override
  public void processElement(StreamRecord<I> element) {
    I value = element.getValue();
    if (keyOf != null) {
      if (latest == null) {
        latest = new java.util.HashMap<>();
      }
      latest.put(keyOf.apply(value), toRecord.apply(value));
      return;
    }
    writer().write(toRecord.apply(value));
  }

  /** The writer of the next checkpoint's part, opened with its first row. */
  private PartWriter<T> writer() {
    if (writer == null) {
      writingFor = lastCheckpoint + 1;
      writer =
          spec.forRun(MeshworkSink.runId(uid, epoch, writingFor))
              .open(
                  getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                  getRuntimeContext().getTaskInfo().getAttemptNumber());
    }
    return writer;
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flush();
    lastCheckpoint = checkpointId;
  }

  @Override
  public void endInput() {
    flush();
  }

  private void flush() {
    if (latest != null && !latest.isEmpty()) {
      PartWriter<T> w = writer();
      latest.values().forEach(w::write);
      latest.clear();
    }
    if (writer == null) {
      return;
    }
    StagedPart part = writer.finish();
    writer = null;
    output.collect(new StreamRecord<>(Tuple2.of(writingFor, part.toBytes())));
  }

  @Override
  public void close() throws Exception {
    try {
      if (writer != null) {
        // Not finished: a failover or cancel; what this attempt wrote is deleted.
        writer.close();
        writer = null;
      }
    } finally {
      super.close();
    }
  }
}
