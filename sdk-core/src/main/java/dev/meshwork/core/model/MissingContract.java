package dev.meshwork.core.model;

import java.nio.file.Path;

/**
 * A contract a product's port references that was found nowhere the loader looked: the product
 * loads without it, and opening the port fails with {@link #describe()}.
 *
 * @param contractId the id the port names
 * @param port the port's name
 * @param file the product file
 * @param line the line of the port's {@code contractId} (1-based; 0 when unknown)
 * @param column its column (1-based; 0 when unknown)
 * @param message what was searched and how to fix it
 */
public record MissingContract(
    String contractId, String port, Path file, int line, int column, String message) {

  /** {@code file:line:column: message}, as a compiler prints it. */
  public String describe() {
    return file + (line > 0 ? ":" + line + ":" + column : "") + ": " + message;
  }
}
