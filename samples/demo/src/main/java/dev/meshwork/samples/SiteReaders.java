package dev.meshwork.samples;

import dev.meshwork.lineage.SiteReader;
import dev.meshwork.policy.PolicySet;
import dev.meshwork.policy.ReadAccess;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The product pages' "Who may read" from a policy set: its readers of each contract. */
public final class SiteReaders {
  private SiteReaders() {}

  /** The readers of a contract id under {@code policies}, as the product pages show them. */
  public static Function<String, List<SiteReader>> of(PolicySet policies) {
    return contractId -> policies.readers(contractId).stream().map(SiteReaders::line).toList();
  }

  /** A date when the instant starts a UTC day ({@code back} days earlier), else the instant. */
  private static String day(java.time.Instant t, int back) {
    var at = t.atOffset(ZoneOffset.UTC);
    return at.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
        ? at.toLocalDate().minusDays(back).toString()
        : t.toString();
  }

  private static SiteReader line(ReadAccess a) {
    List<String> under = new ArrayList<>();
    if (!a.products().isEmpty()) {
      under.add("in products " + String.join(", ", a.products().stream().sorted().toList()));
    }
    a.masks().forEach(m -> under.add("masked " + m));
    if (a.rowFilter() != null) {
      under.add("rows where " + a.rowFilter());
    }
    if (a.condition() != null) {
      under.add("when " + a.condition());
    }
    a.terms().forEach(t -> under.add("term: " + t));
    List<String> valid = new ArrayList<>();
    if (a.validFrom() != null) {
      valid.add("from " + day(a.validFrom(), 0));
    }
    if (a.validUntil() != null) {
      // A usage contract ends at the start of the day after its last (validUntil: 2030-12-31).
      valid.add("through " + day(a.validUntil(), 1));
    }
    return new SiteReader(
        a.principals().stream().sorted().toList(),
        a.purposes().stream().sorted().toList(),
        under,
        String.join(" ", valid),
        a.source());
  }
}
