package dev.meshwork.spi;

import dev.meshwork.core.schema.Schema;
import java.util.Map;

/**
 * What a store needs to open an output port's table: its address, the contract's schema and layout,
 * and properties to record on the table (product and contract ids and versions).
 */
public record OutputSpec(
    TableAddress address, String contractId, Schema schema, Map<String, String> properties) {

  /** Copies the properties. */
  public OutputSpec {
    properties = Map.copyOf(properties);
  }
}
