package dev.meshwork.core.model;

import java.nio.file.Path;

/**
 * A place where a descriptor breaks the official JSON schema of the standard and version it
 * declares (ODCS v3.0.x/v3.1.0, ODPS v0.9/v1.0).
 *
 * @param file the descriptor file
 * @param line the line of the offending value (1-based)
 * @param column its column (1-based)
 * @param path where in the document, e.g. {@code schema[0].properties[2].logicalType}
 * @param message what the schema says
 */
public record SchemaFinding(Path file, int line, int column, String path, String message) {

  /** {@code file:line:column: path: message}. */
  public String describe() {
    return file + ":" + line + ":" + column + ": " + path + ": " + message;
  }
}
