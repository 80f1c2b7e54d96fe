package dev.meshwork.core.model;

import dev.meshwork.core.internal.descriptor.SchemaCheck;
import java.nio.file.Path;
import java.util.List;

/**
 * Holds descriptor files to the official JSON schema of the standard and version they declare: the
 * Bitol ODCS and ODPS schemas ship with Meshwork. Needs {@code com.networknt:json-schema-validator}
 * on the class path (the {@code meshwork} command has it).
 */
public final class DescriptorSchemas {
  private DescriptorSchemas() {}

  /**
   * Every place {@code file} breaks its schema, in file order; none for a file whose kind or
   * version has no schema here (loading it says what is wrong).
   *
   * @throws dev.meshwork.core.DescriptorException when the file cannot be read or is not YAML
   * @throws IllegalStateException when the validator is not on the class path, saying which to add
   */
  public static List<SchemaFinding> check(Path file) {
    return SchemaCheck.check(file);
  }

  /** Whether the validator is on the class path. */
  public static boolean available() {
    return SchemaCheck.available();
  }
}
