package dev.meshwork.spi;

import java.util.Objects;

/**
 * Where a product's output port lives, in mesh terms: domain, product and port. Stores derive a
 * table name from it (the Iceberg store uses {@code <domain>.<product>.<port>}).
 */
public record TableAddress(String domain, String product, String port) {

  /** Validates that product and port are named. */
  public TableAddress {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(port, "port");
  }

  /**
   * The conventional name parts {@code [domain, product, port]}: lower-cased, every character other
   * than a-z, 0-9 and underscore replaced by an underscore (so engines need no quoting), and domain
   * {@code default} when none is set.
   */
  public java.util.List<String> conventionalName() {
    String d = domain == null || domain.isBlank() ? "default" : domain;
    return java.util.List.of(clean(d), clean(product), clean(port));
  }

  private static String clean(String name) {
    String s = name.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    s = s.replaceAll("^_+|_+$", "");
    return s.isEmpty() ? "_" : s;
  }

  @Override
  public String toString() {
    return (domain == null ? "" : domain + "/") + product + "/" + port;
  }
}
