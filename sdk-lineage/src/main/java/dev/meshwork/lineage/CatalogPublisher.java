package dev.meshwork.lineage;

import dev.meshwork.spi.RunEvent;

/**
 * Publishes a completed run to a data catalog: domain, data product, one table per output, lineage
 * edges and quality results. Must be idempotent (create-or-update), so retries are safe.
 */
public interface CatalogPublisher extends AutoCloseable {

  /**
   * Publishes one COMPLETE event; throws {@link CatalogPublishException} when the catalog refuses.
   */
  void publish(RunEvent completed);

  /** A one-line description without secrets. */
  String describe();

  @Override
  default void close() {}
}
