package dev.meshwork.spi;

import java.nio.file.Path;

/**
 * Where Meshwork keeps local files that live beside the tables (lineage spool and file, decision
 * log): the warehouse when it is a local folder ({@code -Dmeshwork.warehouse}, else {@code
 * MESHWORK_WAREHOUSE}, else {@code ./warehouse}); {@code ./warehouse} when the warehouse is on
 * object storage.
 */
public final class LocalFolder {
  private LocalFolder() {}

  /** The folder (not created). */
  public static Path get() {
    String configured = System.getProperty("meshwork.warehouse");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("MESHWORK_WAREHOUSE");
    }
    if (configured == null || configured.isBlank() || configured.contains("://")) {
      return configured != null && configured.startsWith("file://")
          ? Path.of(java.net.URI.create(configured))
          : Path.of("warehouse");
    }
    return Path.of(configured);
  }
}
