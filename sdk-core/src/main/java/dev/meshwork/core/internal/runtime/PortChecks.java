package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.model.DataProduct;

/** Binds a record type to a port's contract without a run, to check that they match. */
public final class PortChecks {
  private PortChecks() {}

  /** Binds {@code type} to input port {@code port} for reading, or throws what differs. */
  public static void input(DataProduct product, String port, Class<?> type) {
    new PortBinder(product).input(port, type);
  }

  /** Binds {@code type} to output port {@code port} for writing, or throws what differs. */
  public static void output(DataProduct product, String port, Class<?> type) {
    new PortBinder(product).output(product.outputKey(port), type);
  }
}
