package dev.meshwork.core;

import dev.meshwork.core.internal.runtime.PortChecks;
import dev.meshwork.core.model.DataProduct;

/**
 * Checks, without a run, that a record type matches a port's contract as a run would bind it: every
 * component names a contract field (or a {@code @MeshField}), every required field has a component,
 * and the types convert. For tests and linters; a mismatch is a {@link ContractViolationException}
 * listing every difference.
 */
public final class RecordCheck {
  private RecordCheck() {}

  /** Checks {@code type} as the records read from input port {@code port} of {@code product}. */
  public static void input(DataProduct product, String port, Class<?> type) {
    PortChecks.input(product, port, type);
  }

  /** Checks {@code type} as the records written to output port {@code port} of {@code product}. */
  public static void output(DataProduct product, String port, Class<?> type) {
    PortChecks.output(product, port, type);
  }
}
