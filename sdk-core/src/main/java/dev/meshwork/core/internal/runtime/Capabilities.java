package dev.meshwork.core.internal.runtime;

import dev.meshwork.spi.AuditedPublishing;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.PartedWrites;

/**
 * The capabilities an output table declares beyond appending, each asked for in one place and
 * refused with the capability named, before anything is written.
 */
final class Capabilities {
  private Capabilities() {}

  /** The table as one tasks elsewhere stage parts of, or an error naming what it lacks. */
  static PartedWrites parted(OutputTable table, String port) {
    if (table instanceof PartedWrites p) {
      return p;
    }
    throw new UnsupportedOperationException(
        "Cannot hand out parts of output port '"
            + port
            + "': its store's table "
            + table.info().identifier()
            + " ("
            + table.getClass().getSimpleName()
            + ") cannot be written in parts by tasks elsewhere (it does not implement "
            + PartedWrites.class.getName()
            + "). Use the Iceberg store, or write the port in this process.");
  }

  /** The table as one published by write-audit-publish, or an error naming what it lacks. */
  static AuditedPublishing audited(OutputTable table, String port, String why) {
    if (table instanceof AuditedPublishing a) {
      return a;
    }
    throw new UnsupportedOperationException(
        "Cannot open output port '"
            + port
            + "': "
            + why
            + ", but its store's table "
            + table.info().identifier()
            + " ("
            + table.getClass().getSimpleName()
            + ") cannot publish by write-audit-publish (it does not implement "
            + AuditedPublishing.class.getName()
            + "). Use the Iceberg store.");
  }

  /** Deletes the unreferenced files of the run's parts, when the table takes parts at all. */
  static void discardParts(OutputTable table, String runId) {
    if (table instanceof PartedWrites p) {
      p.discardParts(runId);
    }
  }
}
