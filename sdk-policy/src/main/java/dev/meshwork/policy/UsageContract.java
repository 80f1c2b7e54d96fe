package dev.meshwork.policy;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Data-space style usage contract: a consumer may read the listed contracts' data for the listed
 * purposes within a validity window, under terms (such as no redistribution) recorded as
 * obligations.
 */
public record UsageContract(
    String id,
    Set<String> consumers,
    Set<String> contracts,
    Set<String> purposes,
    Instant validFrom,
    Instant validUntil,
    List<String> terms) {

  /** Copies the collections. */
  public UsageContract {
    consumers = Set.copyOf(consumers);
    contracts = Set.copyOf(contracts);
    purposes = Set.copyOf(purposes);
    terms = List.copyOf(terms);
  }
}
