package dev.meshwork.spi;

import dev.meshwork.core.ErasureReport;
import dev.meshwork.core.Filter;
import java.util.List;
import java.util.Optional;

/**
 * A {@link TableStore} that erases a data subject's rows from its tables, from their history and
 * from storage, and proves it by reading back what is left.
 */
public interface ErasingStore {

  /**
   * Deletes the rows {@code rows} matches (a filter on {@code columns}) from the table at {@code
   * address} as one version recorded under {@code erasureId} (a repeated id deletes nothing more),
   * physically rewriting every file that holds one, including rows already hidden by row-level
   * deletes; expires every older version that still holds them; removes unreferenced files that
   * hold them; and reads every remaining file back. Empty when the table does not exist.
   */
  Optional<ErasureReport.TableErasure> erase(
      TableAddress address, List<String> columns, Filter rows, String erasureId);

  /** The tables of the store that declare subject {@code subject} on some column, by identifier. */
  List<String> tablesDeclaring(String subject);
}
