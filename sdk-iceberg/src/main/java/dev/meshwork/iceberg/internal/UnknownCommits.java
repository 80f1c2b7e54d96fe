package dev.meshwork.iceberg.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.InputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data files of commits whose outcome is unknown, one list per run next to the table's metadata
 * ({@code metadata/meshwork-unknown-commits/<run id>.txt}). The rerun with the same run id settles
 * it: if the earlier commit landed the files are live and the list is dropped; if not, the rerun
 * publishes its own files and deletes the listed ones, so no orphan outlives the rerun.
 */
final class UnknownCommits {
  private static final Logger LOG = LoggerFactory.getLogger(UnknownCommits.class);

  private UnknownCommits() {}

  private static String location(Table table, String runId) {
    return table.location()
        + "/metadata/meshwork-unknown-commits/"
        + TableNames.fileSafe(runId)
        + ".txt";
  }

  /**
   * Records the files of a commit of unknown outcome; the list's location, or null if unwritten.
   */
  static String record(Table table, String runId, List<String> dataFiles) {
    String where = location(table, runId);
    try (OutputStream out = table.io().newOutputFile(where).createOrOverwrite()) {
      out.write(String.join("\n", dataFiles).getBytes(StandardCharsets.UTF_8));
      return where;
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Could not record the staged files of run {} at {} ({}); if the commit did not land,"
              + " Iceberg's remove-orphan-files removes them",
          runId,
          where,
          e.getMessage());
      return null;
    }
  }

  /** The files an earlier attempt of this run left with an unknown outcome; empty if none. */
  static List<String> read(Table table, String runId) {
    InputFile in = table.io().newInputFile(location(table, runId));
    if (!in.exists()) {
      return List.of();
    }
    try (InputStream stream = in.newStream()) {
      String text = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      return text.isBlank() ? List.of() : List.of(text.split("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Drops the list of this run: its outcome is known now. */
  static void settle(Table table, String runId) {
    try {
      table.io().deleteFile(location(table, runId));
    } catch (RuntimeException e) {
      LOG.debug("No unknown-commit list to drop for run {}: {}", runId, e.getMessage());
    }
  }
}
