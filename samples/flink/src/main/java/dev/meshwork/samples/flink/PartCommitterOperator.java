package dev.meshwork.samples.flink;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.StagedPart;
import dev.meshwork.core.model.DataProduct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits, when a checkpoint completes, the parts of every checkpoint run up to it, each run as one
 * Meshwork run (one verdict, one PUBLISH decision, one snapshot). Parts not yet committed are kept
 * in operator state; after a restore they are committed first, and a run that an earlier attempt
 * already published is found by its run id and not published again.
 */
final class PartCommitterOperator<T> extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<Tuple2<Long, byte[]>, Void>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PartCommitterOperator.class);

  private final String uid;
  private final String port;
  private final Class<T> type;
  private final dev.meshwork.core.WriteMode mode;
  private final MeshworkSink.Setup setup;
  private transient ListState<Tuple2<Long, byte[]>> state;
  private transient ListState<String> epochs;
  private transient String epoch;
  private transient TreeMap<Long, List<byte[]>> pending;
  private transient Mesh mesh;
  private transient DataProduct product;

  PartCommitterOperator(
      String uid,
      String port,
      Class<T> type,
      dev.meshwork.core.WriteMode mode,
      MeshworkSink.Setup setup) {
    this.uid = uid;
    this.port = port;
    this.type = type;
    this.mode = mode;
    this.setup = setup;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    state =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("meshwork-parts", MeshworkSink.PARTS));
    epochs = context.getOperatorStateStore().getUnionListState(MeshworkSink.EPOCH);
    epoch = MeshworkSink.epoch(context, epochs, getRuntimeContext().getJobInfo().getJobId());
    pending = new TreeMap<>();
    for (Tuple2<Long, byte[]> t : state.get()) {
      pending.computeIfAbsent(t.f0, k -> new ArrayList<>()).add(t.f1);
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    mesh = setup.mesh();
    product = setup.product();
    // Restored parts belong to completed checkpoints: their runs are due now.
    commitUpTo(Long.MAX_VALUE);
  }

  @Override
  public void processElement(StreamRecord<Tuple2<Long, byte[]>> element) {
    Tuple2<Long, byte[]> t = element.getValue();
    pending.computeIfAbsent(t.f0, k -> new ArrayList<>()).add(t.f1);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    List<Tuple2<Long, byte[]>> all = new ArrayList<>();
    pending.forEach((n, parts) -> parts.forEach(p -> all.add(Tuple2.of(n, p))));
    state.update(all);
    epochs.update(List.of(epoch));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    super.notifyCheckpointComplete(checkpointId);
    commitUpTo(checkpointId);
  }

  @Override
  public void endInput() {
    commitUpTo(Long.MAX_VALUE);
  }

  /** Commits every pending run numbered up to {@code last}, oldest first. */
  private void commitUpTo(long last) {
    Map<Long, List<byte[]>> due = pending.headMap(last, true);
    for (Map.Entry<Long, List<byte[]>> e : new ArrayList<>(due.entrySet())) {
      commit(e.getKey(), e.getValue());
      pending.remove(e.getKey());
    }
  }

  private void commit(long n, List<byte[]> sent) {
    List<StagedPart> parts = sent.stream().map(StagedPart::fromBytes).toList();
    if (parts.stream().allMatch(p -> p.rows() == 0 && p.quarantinedRows() == 0 && p.files() == 0)) {
      // Every row went with an earlier checkpoint (the input ended right after one): a version
      // of no rows would add nothing, and the contract's row-count rule would fail the job.
      LOG.info("Sink {}: checkpoint run {} holds no rows; nothing to publish", uid, n);
      return;
    }
    RunOptions options =
        RunOptions.builder()
            .runId(MeshworkSink.runId(uid, epoch, n))
            .engine("Flink", org.apache.flink.runtime.util.EnvironmentInformation.getVersion())
            .onFailure(RunOptions.OnFailure.KEEP_PARTS)
            .build();
    try (Run run = mesh.start(product, setup.principal(), options)) {
      run.parts(port, type, mode);
      RunResult r = run.commit(parts);
      RunResult.Output out = r.output(port);
      long staged = parts.stream().mapToLong(StagedPart::rows).sum();
      if (out.alreadyPublished() && out.rows() != staged) {
        // The same run id for other rows: dropping them as "already published" would lose data,
        // and a restart would only find the same version again, so the job ends here.
        throw new org.apache.flink.runtime.execution.SuppressRestartsException(
            new FlinkRuntimeException(
                "Sink "
                    + uid
                    + ": checkpoint run "
                    + n
                    + " was published earlier with "
                    + out.rows()
                    + " rows, but this job staged "
                    + staged
                    + " rows for it. Its writers numbered their rows after another checkpoint than"
                    + " the one this job was restored from; the staged files are kept. Restore the"
                    + " job from its latest checkpoint."));
      }
      LOG.info(
          "Sink {}: checkpoint run {} {} {} rows of {} ({} parts) as version {}",
          uid,
          n,
          out.alreadyPublished() ? "had already published" : "published",
          out.rows(),
          out.table(),
          parts.size(),
          out.version());
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (mesh != null) {
        mesh.close();
      }
    } finally {
      super.close();
    }
  }
}
