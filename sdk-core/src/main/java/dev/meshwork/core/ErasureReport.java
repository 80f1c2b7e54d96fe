package dev.meshwork.core;

import java.time.Instant;
import java.util.List;

/**
 * What an erasure did, table by table, and the proof that it worked: rows deleted, snapshots
 * expired, files removed, every remaining file read back without finding the subject, and the
 * products downstream that consumed the tables and may need to re-derive what they hold. Holds no
 * value that identifies the subject.
 */
public record ErasureReport(
    String erasureId,
    String subject,
    String reason,
    Principal principal,
    Instant time,
    List<TableErasure> tables,
    List<String> uncovered) {

  /** Copies the lists. */
  public ErasureReport {
    tables = List.copyOf(tables);
    uncovered = List.copyOf(uncovered);
  }

  /**
   * One table's erasure: its product, port and table, the subject's columns, the version it
   * published (null when nothing was deleted), the rows deleted, snapshots expired and files
   * removed (data files of expired snapshots and unreferenced files that held the subject), the
   * live files read back, those still holding the subject (empty when verified), the consumers that
   * recorded reading the table, and the consumer pins (tags) the erasure removed.
   */
  public record TableErasure(
      String product,
      String port,
      String table,
      List<String> columns,
      Long version,
      long rowsDeleted,
      int snapshotsExpired,
      int filesRemoved,
      int filesChecked,
      List<String> remaining,
      List<String> consumers,
      List<String> droppedPins) {

    /** Copies the lists. */
    public TableErasure {
      columns = List.copyOf(columns);
      remaining = List.copyOf(remaining);
      consumers = List.copyOf(consumers);
      droppedPins = List.copyOf(droppedPins);
    }

    /** Whether no remaining file holds the subject. */
    public boolean verified() {
      return remaining.isEmpty();
    }
  }

  /** Rows deleted in every table. */
  public long rowsDeleted() {
    return tables.stream().mapToLong(TableErasure::rowsDeleted).sum();
  }

  /** Whether every table verified and no table declaring the subject was left out. */
  public boolean verified() {
    return uncovered.isEmpty() && tables.stream().allMatch(TableErasure::verified);
  }

  /** The report as lines for a terminal or a log. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append("Erasure ")
        .append(erasureId)
        .append(" of subject '")
        .append(subject)
        .append("' by ")
        .append(principal)
        .append(" at ")
        .append(time)
        .append(" (")
        .append(reason)
        .append("): ")
        .append(rowsDeleted())
        .append(" rows deleted in ")
        .append(tables.size())
        .append(" tables, ")
        .append(verified() ? "verified" : "NOT VERIFIED")
        .append('\n');
    for (TableErasure t : tables) {
      b.append(
          String.format(
              "  %-40s %s: %d rows deleted%s, %d snapshots expired, %d files removed, %d files"
                  + " read back: %s%n",
              t.table(),
              t.columns(),
              t.rowsDeleted(),
              t.version() == null ? "" : " (version " + t.version() + ")",
              t.snapshotsExpired(),
              t.filesRemoved(),
              t.filesChecked(),
              t.verified() ? "none holds the subject" : "STILL HELD BY " + t.remaining()));
      if (!t.consumers().isEmpty()) {
        b.append("    consumed by ")
            .append(t.consumers())
            .append(": they may hold derived rows, re-derive them\n");
      }
      if (!t.droppedPins().isEmpty()) {
        b.append("    consumer pins removed: ").append(t.droppedPins()).append('\n');
      }
    }
    if (!uncovered.isEmpty()) {
      b.append("  tables that declare the subject but whose products were not given: ")
          .append(uncovered)
          .append('\n');
    }
    return b.toString();
  }
}
