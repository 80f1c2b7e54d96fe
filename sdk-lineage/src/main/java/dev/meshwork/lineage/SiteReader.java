package dev.meshwork.lineage;

import java.util.List;

/**
 * One line of a product page's "Who may read" table: the principals a policy lets read a port's
 * contract, the purposes it allows (empty: any), what they get masked, filtered or agree to, when
 * it is valid, and the policy it comes from.
 */
public record SiteReader(
    List<String> who, List<String> purposes, List<String> conditions, String valid, String source) {

  /** Copies the lists. */
  public SiteReader {
    who = List.copyOf(who);
    purposes = List.copyOf(purposes);
    conditions = List.copyOf(conditions);
  }
}
