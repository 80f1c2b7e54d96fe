package dev.meshwork.samples.cli;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Settings;
import dev.meshwork.iceberg.IcebergStore;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --warehouse}: which warehouse a command works on, as a mesh would find it. */
final class WarehouseOption {
  @Option(
      names = {"-w", "--warehouse"},
      paramLabel = "DIR",
      description =
          "The warehouse (default: the meshwork.warehouse / MESHWORK_WAREHOUSE setting, else"
              + " ./warehouse).")
  String warehouse;

  /** The settings of this process with the warehouse given here. */
  Settings settings() {
    Settings s = Settings.fromEnvironment();
    return warehouse == null ? s : s.with(Settings.WAREHOUSE, warehouse);
  }

  /**
   * A mesh on the warehouse; a local warehouse that does not exist is an error rather than a new
   * empty one.
   */
  Mesh mesh() {
    Settings s = settings();
    String configured = s.get(Settings.WAREHOUSE).orElse(null);
    Path local = s.localFolder();
    if ((configured == null || !configured.contains("://")) && !Files.isDirectory(local)) {
      throw new IllegalArgumentException(
          "no warehouse at "
              + local.toAbsolutePath()
              + ". Run the demo there first (meshwork demo), or name one with --warehouse DIR.");
    }
    return Mesh.builder().settings(s).build();
  }

  /** The mesh's store as the Iceberg store it must be. */
  static IcebergStore iceberg(Mesh mesh) {
    if (mesh.store() instanceof IcebergStore s) {
      return s;
    }
    throw new IllegalArgumentException(
        "the warehouse's store is " + mesh.store().describe() + ", not an Iceberg store");
  }
}
