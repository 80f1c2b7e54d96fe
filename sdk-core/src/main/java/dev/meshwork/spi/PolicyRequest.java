package dev.meshwork.spi;

import dev.meshwork.core.Principal;
import dev.meshwork.core.model.DataProduct;

/**
 * A question for a policy engine: may this principal do this action on this product's port, for
 * this purpose, at this time? For PUBLISH, {@code output} describes what is about to be published.
 */
public record PolicyRequest(
    Action action,
    Principal principal,
    DataProduct product,
    String port,
    String purpose,
    java.time.Instant time,
    PublishedOutput output) {

  /** A request without time or output (engines then use their own clock). */
  public PolicyRequest(
      Action action, Principal principal, DataProduct product, String port, String purpose) {
    this(action, principal, product, port, purpose, null, null);
  }

  /**
   * What a PUBLISH would make visible: the contract, its schema object and the table schema, with
   * the snapshot summary of the version readers see now ({@code meshwork.contract.version}, {@code
   * meshwork.contract.columns}; empty before the first publish).
   */
  public record PublishedOutput(
      dev.meshwork.core.model.DataContract contract,
      dev.meshwork.core.model.SchemaObject schemaObject,
      dev.meshwork.core.schema.Schema schema,
      java.util.Map<String, String> published) {
    /** Copies the summary. */
    public PublishedOutput {
      published = published == null ? java.util.Map.of() : java.util.Map.copyOf(published);
    }
  }
}
