package dev.meshwork.samples;

import dev.meshwork.core.MeshworkException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the demo's descriptor folder: in place when on the file system, else copied out of the jar.
 */
final class MeshFiles {
  private static final List<String> FILES =
      List.of(
          "deliveries.yaml",
          "drone-telemetry.yaml",
          "delivery-performance.yaml",
          "drone-status.yaml",
          "contracts/deliveries.odcs.yaml",
          "contracts/telemetry.odcs.yaml",
          "contracts/daily-region-stats.odcs.yaml",
          "contracts/drone-status.odcs.yaml",
          "policies/access.yaml",
          "policies/governance.yaml");

  private MeshFiles() {}

  static Path locate() {
    URL marker = MeshFiles.class.getResource("/mesh/deliveries.yaml");
    if (marker == null) {
      throw new MeshworkException(
          "Cannot find the demo descriptors (mesh/*.yaml) on the classpath.");
    }
    try {
      if ("file".equals(marker.getProtocol())) {
        return Path.of(marker.toURI()).getParent();
      }
      Path dir = Files.createTempDirectory("meshwork-demo-mesh");
      for (String f : FILES) {
        Path target = dir.resolve(f);
        Files.createDirectories(target.getParent());
        try (InputStream in = MeshFiles.class.getResourceAsStream("/mesh/" + f)) {
          Files.copy(in, target);
        }
      }
      return dir;
    } catch (IOException | URISyntaxException e) {
      throw new MeshworkException("Cannot read the demo descriptors: " + e.getMessage(), e);
    }
  }
}
