package dev.meshwork.core.model;

import java.util.Optional;

/**
 * Somewhere else contracts come from when a product's folders do not hold them: a registry, a URL,
 * a catalogue. Give one to {@link ProductLoader#contractSource}; it is asked, in the order given,
 * for every contract id no file provided.
 */
public interface ContractSource {
  /** The contract with this id, or empty when this source has none. */
  Optional<DataContract> find(String contractId);

  /** What this source is, for messages that list where a contract was looked for. */
  String describe();

  /** A source of the given contracts, by id (for tests and contracts built in code). */
  static ContractSource of(java.util.Collection<DataContract> contracts, String description) {
    java.util.Map<String, DataContract> byId = new java.util.LinkedHashMap<>();
    contracts.forEach(c -> byId.put(c.id(), c));
    return new ContractSource() {
      @Override
      public Optional<DataContract> find(String contractId) {
        return Optional.ofNullable(byId.get(contractId));
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }
}
