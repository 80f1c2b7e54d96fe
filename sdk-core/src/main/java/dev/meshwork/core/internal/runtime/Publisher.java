package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.CommitStateUnknownException;
import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.QualityGateException;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.StoreException;
import dev.meshwork.spi.AuditedPublishing;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.PublishRequest;
import dev.meshwork.spi.PublishResult;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.write.ValueShapes;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a run's staged outputs one after another, audited ones (write-audit-publish) first so
 * that their audits can still refuse the run before anything else is visible. The outcome is one of
 * three, as in Iceberg's commit: every output published; a known failure, after which the store has
 * cleaned the failed output's files and the outputs not yet handed to it are to be discarded; or an
 * unknown outcome of one output's commit, whose files must be kept (the commit may have landed).
 */
final class Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

  private final String runId;

  private java.util.Set<String> kept = java.util.Set.of();

  /** This publisher with the files of {@code ports} kept when their publish fails. */
  Publisher keepingFilesOf(java.util.Set<String> ports) {
    this.kept = java.util.Set.copyOf(ports);
    return this;
  }

  Publisher(String runId) {
    this.runId = runId;
  }

  /** How a publish ended. */
  enum Kind {
    /** Every output is published. */
    PUBLISHED,
    /** An output failed with a known outcome; nothing of it is visible. */
    FAILED,
    /** An output's commit has an unknown outcome: its files are kept, nothing is cleaned. */
    UNKNOWN
  }

  /**
   * What a publish did: the outputs published (in order), the staged outputs never handed to the
   * store (to discard when the publish did not complete) and the error of an incomplete publish.
   */
  record Outcome(
      Kind kind,
      List<RunResult.Output> published,
      List<StagedOutput> unpublished,
      RuntimeException error) {}

  /** Publishes {@code staged}: audited outputs first, then the others, each in the given order. */
  Outcome publish(List<StagedOutput> staged) {
    List<StagedOutput> order = new ArrayList<>();
    staged.stream().filter(s -> s.audit() != null).forEach(order::add);
    staged.stream().filter(s -> s.audit() == null).forEach(order::add);
    List<RunResult.Output> published = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      StagedOutput out = order.get(i);
      List<StagedOutput> rest = order.subList(i + 1, order.size());
      try {
        published.add(
            out.audit() == null ? publishDirect(out, published) : publishAudited(out, published));
      } catch (RuntimeException e) {
        Kind kind = e instanceof CommitStateUnknownException ? Kind.UNKNOWN : Kind.FAILED;
        return new Outcome(kind, List.copyOf(published), List.copyOf(rest), e);
      }
    }
    return new Outcome(Kind.PUBLISHED, List.copyOf(published), List.of(), null);
  }

  private RunResult.Output publishDirect(StagedOutput out, List<RunResult.Output> published) {
    PublishResult result;
    try {
      result = out.table().publish(request(out));
    } catch (RuntimeException e) {
      throw partial(published, out.port(), e);
    }
    boolean again = result.outcome() == PublishResult.Outcome.ALREADY_PUBLISHED;
    if (again) {
      warnIfDifferent(out, result);
    }
    LOG.info(
        "Run {}: published '{}' as version {} of {} ({} rows, {} files{}{})",
        runId,
        out.port(),
        result.version(),
        result.table(),
        result.rows(),
        result.files(),
        out.mode() instanceof dev.meshwork.core.WriteMode.Append
            ? ""
            : "; " + out.mode() + " removed " + removed(result.removedRows()) + " rows",
        again ? ", already published by an earlier try" : "");
    return output(out, result, out.verdict());
  }

  /** Write-audit-publish: commit to an audit branch, audit it, and move main only if it passes. */
  private RunResult.Output publishAudited(StagedOutput out, List<RunResult.Output> published) {
    // Each attempt of the run audits on its own branch: attempts running at once must not
    // append to, or remove, each other's audited version.
    String branch = "audit-" + runId + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    AuditedPublishing table = Capabilities.audited(out.table(), out.port(), "it is audited");
    PublishResult result;
    try {
      result = table.publishToBranch(request(out), branch);
    } catch (RuntimeException e) {
      throw partial(published, out.port(), e);
    }
    if (result.outcome() == PublishResult.Outcome.ALREADY_PUBLISHED) {
      warnIfDifferent(out, result);
    }
    GateVerdict verdict = out.verdict();
    if (result.outcome() == PublishResult.Outcome.PUBLISHED) {
      QualityGate.AuditView view =
          new QualityGate.AuditView(
              out.table().headSummary("main"),
              out.table().headSummary(branch),
              () -> table.readBranch(branch, ValueShapes.rows(out.schema().struct())));
      verdict = judge(out, view, table, branch);
      List<String> failures = verdict.blockingFailures();
      verdict.warnings().stream()
          .filter(w -> !out.verdict().warnings().contains(w))
          .forEach(w -> LOG.warn("Run {}: output '{}' quality warning: {}", runId, out.port(), w));
      if (!failures.isEmpty()) {
        boolean keep = out.audit().keepsBranchOnFailure();
        if (!keep) {
          table.dropBranch(branch, out.files());
        }
        throw new QualityGateException(
            "Cannot publish output '"
                + out.port()
                + "' of run "
                + runId
                + ": its write-audit-publish audit failed, so main of "
                + result.table()
                + " is untouched"
                + (keep
                    ? "; the audited version stays on branch '" + branch + "' for inspection"
                    : "; the audit branch was removed"),
            failures);
      }
      PublishResult promoted = table.promote(branch, out.files());
      if (promoted.outcome() == PublishResult.Outcome.ALREADY_PUBLISHED) {
        warnIfDifferent(out, promoted);
        LOG.info(
            "Run {}: another attempt published '{}' first, as version {} of {}",
            runId,
            out.port(),
            promoted.version(),
            promoted.table());
        return output(out, promoted, out.verdict());
      }
      LOG.info(
          "Run {}: audit of '{}' passed; main of {} now shows version {}",
          runId,
          out.port(),
          result.table(),
          result.version());
    }
    return output(out, result, verdict);
  }

  /** The audit's verdict; an audit that cannot run leaves the branch to nobody, so it goes. */
  private static GateVerdict judge(
      StagedOutput out, QualityGate.AuditView view, AuditedPublishing table, String branch) {
    try {
      return out.audit().judge(view, out.verdict());
    } catch (RuntimeException e) {
      table.dropBranch(branch, out.files());
      throw e;
    }
  }

  /**
   * A rerun whose rows differ in number from the version its run published earlier computed other
   * data: that version stays (a run publishes once), which the pipeline's owner must hear of.
   */
  private void warnIfDifferent(StagedOutput out, PublishResult published) {
    long staged = out.files().rows();
    if (staged != published.rows()) {
      LOG.warn(
          "Run {} already published '{}' as version {} of {} with {} rows; this attempt wrote {}"
              + " rows, which are discarded (a run publishes once). To publish the new data, run it"
              + " as another batch or with another run id.",
          runId,
          out.port(),
          published.version(),
          published.table(),
          published.rows(),
          staged);
    }
  }

  private PublishRequest request(StagedOutput out) {
    return new PublishRequest(
            runId,
            out.files(),
            out.summary(),
            kept.contains(out.port())
                ? PublishRequest.OnFailure.KEEP_FILES
                : PublishRequest.OnFailure.DELETE_FILES)
        .withMode(out.mode());
  }

  private static String removed(long rows) {
    return rows < 0 ? "an unknown number of" : Long.toString(rows);
  }

  private static RunResult.Output output(
      StagedOutput out, PublishResult result, GateVerdict verdict) {
    return new RunResult.Output(
        out.port(),
        result.table(),
        result.version(),
        result.rows(),
        result.files(),
        result.bytes(),
        result.outcome() == PublishResult.Outcome.ALREADY_PUBLISHED,
        out.quarantined(),
        verdict,
        out.mode(),
        result.removedRows());
  }

  private MeshworkException partial(
      List<RunResult.Output> published, String failedPort, RuntimeException cause) {
    String done =
        published.isEmpty()
            ? "no output was published"
            : "outputs already published: "
                + published.stream().map(RunResult.Output::port).toList();
    String msg =
        "Cannot publish output '"
            + failedPort
            + "' of run "
            + runId
            + ": "
            + cause.getMessage()
            + ". "
            + done
            + ". Rerun with RunOptions.builder().runId(\""
            + runId
            + "\") to finish: outputs published by this run id are not appended twice.";
    if (cause instanceof CommitStateUnknownException) {
      return new CommitStateUnknownException(msg, cause);
    }
    if (cause instanceof dev.meshwork.core.WriteConflictException) {
      return new dev.meshwork.core.WriteConflictException(msg, cause);
    }
    if (cause instanceof dev.meshwork.core.ContractViolationException) {
      return new dev.meshwork.core.ContractViolationException(msg);
    }
    return new StoreException(msg, cause);
  }
}
