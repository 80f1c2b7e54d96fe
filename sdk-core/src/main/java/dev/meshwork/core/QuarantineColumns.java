package dev.meshwork.core;

/**
 * The columns a quarantine table ({@code <port>__quarantine}) adds to its port's columns, saying
 * which rule diverted each row and why.
 */
public final class QuarantineColumns {
  private QuarantineColumns() {}

  /** The suffix of a quarantine table's port name. */
  public static final String TABLE_SUFFIX = "__quarantine";

  /** Id of the rule that diverted the row. */
  public static final String RULE_ID = "quarantine_rule_id";

  /** Description of that rule. */
  public static final String RULE = "quarantine_rule";

  /** What was wrong with the row. */
  public static final String REASON = "quarantine_reason";

  /** The run that wrote the row. */
  public static final String RUN_ID = "quarantine_run_id";

  /** The quarantine table's port name for an output port. */
  public static String of(String port) {
    return port + TABLE_SUFFIX;
  }
}
