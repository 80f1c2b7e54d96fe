package dev.meshwork.policy.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The Rego policies shipped in the sdk-policy jar, and their data documents as JSON. */
public final class RegoFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RegoFiles() {}

  /** The text of a policy beside the {@code dev.meshwork.policy} classes. */
  public static String policy(String fileName) {
    try (InputStream in = RegoFiles.class.getResourceAsStream("/dev/meshwork/policy/" + fileName)) {
      if (in == null) {
        throw new IllegalStateException(fileName + " is missing from the sdk-policy jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A data document as indented JSON. */
  public static String json(Map<String, Object> data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a policy and its data document ({@code data.json}) into a folder, which {@code opa run
   * --server DIR} loads.
   */
  public static void write(Path dir, String policyFile, String rego, Map<String, Object> data) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(policyFile), rego);
      Files.writeString(dir.resolve("data.json"), json(data));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write "
              + policyFile
              + " and data.json to "
              + dir
              + ": "
              + e.getMessage()
              + "; check that the folder can be written",
          e);
    }
  }
}
