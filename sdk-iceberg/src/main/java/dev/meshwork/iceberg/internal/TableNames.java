package dev.meshwork.iceberg.internal;

import dev.meshwork.spi.TableAddress;
import java.util.Locale;
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

  /** The table identifier of an output port. */
  public static TableIdentifier identifier(TableAddress address) {
    String domain =
        address.domain() == null || address.domain().isBlank() ? "default" : address.domain();
    return TableIdentifier.of(
        Namespace.of(clean(domain), clean(address.product())), clean(address.port()));
  }

  static String clean(String name) {
    String s = name.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    s = s.replaceAll("^_+|_+$", "");
    return s.isEmpty() ? "_" : s;
  }
}
