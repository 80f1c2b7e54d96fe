package dev.meshwork.iceberg.internal;

import dev.meshwork.spi.TableAddress;
import java.util.List;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The naming convention: product {@code P} of domain {@code D}, port {@code O} lives in table
 * {@code d.p.o} (namespace {@code [d, p]}, table {@code o}). Names are lower-cased and every
 * character other than a-z, 0-9 and underscore becomes an underscore, so engines can query them
 * without quoting; a product without a domain goes to domain {@code default}.
 */
public final class TableNames {
  private TableNames() {}

  private static final java.util.regex.Pattern FILE_SAFE =
      java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /**
   * The run id as it may begin a file name: itself when it is short and plain, else its UUID
   * (orchestrators' ids hold ':' and '+', which object stores and Hadoop paths do not take).
   */
  public static String fileSafe(String runId) {
    return FILE_SAFE.matcher(runId).matches() ? runId : dev.meshwork.core.RunOptions.uuidOf(runId);
  }

  /** The table identifier of an output port. */
  public static TableIdentifier identifier(TableAddress address) {
    List<String> parts = address.conventionalName();
    return TableIdentifier.of(Namespace.of(parts.get(0), parts.get(1)), parts.get(2));
  }
}
