package dev.meshwork.spi;

import java.util.List;

/**
 * A policy decision: allow or deny, the reasons (naming the policy and rule that decided), and
 * obligations the enforcement point must apply (masks, row filters, usage terms).
 */
public record Decision(boolean allowed, List<String> reasons, List<Obligation> obligations) {

  /** Copies the lists. */
  public Decision {
    reasons = List.copyOf(reasons);
    obligations = List.copyOf(obligations);
  }

  /** An allow without obligations. */
  public static Decision allow(String reason) {
    return new Decision(true, List.of(reason), List.of());
  }

  /** A deny with a reason. */
  public static Decision deny(String reason) {
    return new Decision(false, List.of(reason), List.of());
  }

  /** Something an enforcement point must do when it acts on an allow. */
  public interface Obligation {
    /** A short kind such as {@code mask}, {@code row-filter} or {@code expires-at}. */
    String kind();
  }
}
