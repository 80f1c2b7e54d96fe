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

  @Override
  public String toString() {
    return (domain == null ? "" : domain + "/") + product + "/" + port;
  }
}
