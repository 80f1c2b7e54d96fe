package dev.meshwork.policy;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Who may read a contract's data under a policy set, for catalogues: one grant or usage contract,
 * with the principals it names, the purposes it allows (empty: any), the consumer products it is
 * limited to (empty: any), what the reader gets masked or filtered, its terms and its validity.
 */
public record ReadAccess(
    String source,
    Set<String> principals,
    Set<String> purposes,
    Set<String> products,
    List<String> masks,
    String rowFilter,
    String condition,
    List<String> terms,
    Instant validFrom,
    Instant validUntil) {

  /** Copies the collections. */
  public ReadAccess {
    principals = Set.copyOf(principals);
    purposes = Set.copyOf(purposes);
    products = Set.copyOf(products);
    masks = List.copyOf(masks);
    terms = List.copyOf(terms);
  }
}
