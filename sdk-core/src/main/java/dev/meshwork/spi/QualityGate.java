package dev.meshwork.spi;

import dev.meshwork.spi.write.ColumnCheck;
import dev.meshwork.spi.write.StructShape;

/** Checks the data of an output port while it is written and decides at commit. */
public interface QualityGate {

  /** Starts checking one output port of one run. */
  Session open(GateContext context);

  /** The checks of one output port; sees every written value once. */
  interface Session {

    /**
     * Checks one value before it is written; called on the writing thread. Returns null to write it
     * to the port, or a rejection to divert it to the port's quarantine table instead.
     */
    <T> Rejection observe(StructShape<T> shape, T value);

    /**
     * Checks a store may run on the columns it encodes instead of {@link #observe} reading them
     * (see {@link StagedWriter#attach}); asked once, before the first value.
     */
    default <T> java.util.List<ColumnCheck> columnChecks(StructShape<T> shape) {
      return java.util.List.of();
    }

    /**
     * The column checks the store took: {@link #observe} leaves them out from now on. Called once,
     * before the first value, when the store took any.
     */
    default void checkedByStore(java.util.Set<ColumnCheck> taken) {}

    /**
     * Whether {@link #observe} may divert values to quarantine; a run whose port is written in
     * parts opens the quarantine table beforehand only when it may (default: true, a gate that
     * cannot tell).
     */
    default boolean diverts() {
      return true;
    }

    /** The verdict after all values were observed. */
    GateVerdict verdict();

    /** The audit of write-audit-publish, or null to publish directly. */
    default Audit audit() {
      return null;
    }

    /**
     * What this session observed, for the coordinator's session to {@link #absorb}: a task that
     * wrote one part of an output ends with this instead of a verdict.
     */
    default PartialQuality partial() {
      throw new UnsupportedOperationException(
          getClass().getName() + " cannot split its checks over parts written elsewhere");
    }

    /**
     * Adds what a session of the same checks observed over another part of the output, before
     * {@link #verdict}; throws {@code IllegalArgumentException} when the part was checked by other
     * checks (its suite hash differs).
     */
    default <T> void absorb(StructShape<T> shape, PartialQuality part) {
      throw new UnsupportedOperationException(
          getClass().getName() + " cannot merge checks of parts written elsewhere");
    }
  }

  /**
   * Checks that need the committed version: the output is committed to an audit branch first, and
   * main moves to it only if these checks pass.
   */
  interface Audit {
    /** Every failed audit check (empty when the version may be published). */
    java.util.List<String> check(AuditView view);

    /** Whether a failed audit keeps its branch for inspection (else the branch is removed). */
    boolean keepsBranchOnFailure();

    /**
     * The output's verdict once audited: {@code written}, the verdict on the written rows, with
     * what the audit judged on the audited version added; its blocking failures keep main
     * untouched. By default, {@link #check}'s failures become blocking failures.
     */
    default GateVerdict judge(AuditView view, GateVerdict written) {
      return written.withBlockingFailures(check(view));
    }
  }

  /**
   * What an audit sees: the summaries of main's current version and of the audited version, and the
   * audited rows as untyped rows.
   */
  record AuditView(
      java.util.Map<String, String> previous,
      java.util.Map<String, String> audited,
      java.util.function.Supplier<java.util.stream.Stream<dev.meshwork.core.Row>> rows) {}

  /** Why a row goes to quarantine: the rule that rejected it and what was wrong. */
  record Rejection(String ruleId, String rule, String reason) {}

  /** A gate that checks nothing (the quality module supplies the contract-driven gate). */
  static QualityGate none() {
    return NoQualityGate.INSTANCE;
  }
}
