package dev.meshwork.core;

/**
 * The snapshot-summary and table-property keys Meshwork writes with every publish, in one place for
 * the runtime, the stores, policy engines and readers of the tables (as Iceberg's {@code
 * TableProperties}).
 */
public final class SummaryKeys {
  private SummaryKeys() {}

  /** The product's id (snapshot summary and table property). */
  public static final String PRODUCT_ID = "meshwork.product.id";

  /** The product's version, when it has one. */
  public static final String PRODUCT_VERSION = "meshwork.product.version";

  /** The id of the run that published the snapshot: a publish's idempotence key. */
  public static final String RUN_ID = "meshwork.run-id";

  /**
   * The UUID lineage knows the run by ({@link RunOptions#uuidOf}), when the run id is not itself a
   * UUID.
   */
  public static final String RUN_UUID = "meshwork.run-uuid";

  /**
   * The output ports the run publishes together, comma-separated: a later run finds out from any
   * one of them whether the run published all of them.
   */
  public static final String RUN_OUTPUTS = "meshwork.run.outputs";

  /**
   * Table property prefix: {@code meshwork.subject.<subject>} lists the columns that identify data
   * subject {@code <subject>} (contract properties with custom property {@code dataSubject}), so
   * that an erasure finds every table that holds one.
   */
  public static final String SUBJECT_PREFIX = "meshwork.subject.";

  /** The id of the erasure that published the snapshot. */
  public static final String ERASURE_ID = "meshwork.erasure-id";

  /** The output port (or quarantine or metrics table) the table belongs to. */
  public static final String PORT = "meshwork.port";

  /** The id of the ODCS contract that describes the table. */
  public static final String CONTRACT_ID = "meshwork.contract.id";

  /** The contract's version, when it has one. */
  public static final String CONTRACT_VERSION = "meshwork.contract.version";

  /** The contract's top-level columns, comma-separated, as published. */
  public static final String CONTRACT_COLUMNS = "meshwork.contract.columns";

  /**
   * The prefix of the consumed inputs: {@code meshwork.input.<port>.table} and {@code
   * meshwork.input.<port>.snapshot-id} ({@code none} before the input's first publish).
   */
  public static final String INPUT_PREFIX = "meshwork.input.";

  /** On a quarantine table: the output port whose rejected rows it holds. */
  public static final String QUARANTINE_OF = "meshwork.quarantine-of";

  /**
   * Table property: {@code meshwork.published-run.<run id>} holds the version a run published
   * ({@code snapshotId:sequenceNumber:rows:files:bytes}), written in the same commit, for the most
   * recent {@link #PUBLISHED_RUNS} runs; a rerun finds its run there without walking the history,
   * also after the snapshot expired.
   */
  public static final String PUBLISHED_RUN_PREFIX = "meshwork.published-run.";

  /** Table property: how many published runs the table's index keeps (present once it has one). */
  public static final String PUBLISHED_RUNS = "meshwork.published-runs";

  /** On the product's metrics table: how many runs' metrics a snapshot adds. */
  public static final String METRICS_RUNS = "meshwork.metrics.runs";

  /** The hash of the quality suite that checked the output. */
  public static final String QUALITY_SUITE_HASH = "meshwork.quality.suite-hash";

  /** Quality rules that passed. */
  public static final String QUALITY_PASSED = "meshwork.quality.passed";

  /** Quality rules that failed (only non-blocking ones can have failed in a published snapshot). */
  public static final String QUALITY_FAILED = "meshwork.quality.failed";

  /** Quality warnings. */
  public static final String QUALITY_WARNINGS = "meshwork.quality.warnings";

  /** Rows a quarantine rule diverted to the quarantine table. */
  public static final String QUALITY_QUARANTINED = "meshwork.quality.quarantined-rows";

  /** {@code meshwork.input.<port>.table}. */
  public static String inputTable(String port) {
    return INPUT_PREFIX + port + ".table";
  }

  /**
   * {@code meshwork.input.<port>.after-snapshot-id}: the version after which an incremental read
   * started (exclusive), absent when the run read the whole version.
   */
  public static String inputAfterSnapshotId(String port) {
    return INPUT_PREFIX + port + ".after-snapshot-id";
  }

  /** {@code meshwork.input.<port>.read}: how the run chose the version ({@link InputRead}). */
  public static String inputRead(String port) {
    return INPUT_PREFIX + port + ".read";
  }

  /** {@code meshwork.input.<port>.snapshot-id}: the version read (up to, when incremental). */
  public static String inputSnapshotId(String port) {
    return INPUT_PREFIX + port + ".snapshot-id";
  }
}
