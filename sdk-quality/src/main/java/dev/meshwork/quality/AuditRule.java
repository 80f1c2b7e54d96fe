package dev.meshwork.quality;

import dev.meshwork.spi.QualityGate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A check of write-audit-publish: it sees the version committed to the audit branch next to main's
 * current version, and may read the audited rows.
 */
public interface AuditRule {

  /** What the rule asserts. */
  String describe();

  /** Why the audited version must not be published, or empty when it may. */
  Optional<String> failure(QualityGate.AuditView view);

  /**
   * The audited version adds at most {@code fraction} (0.5 = 50%) more or fewer rows than main's
   * current version added; passes when main has no version yet.
   */
  static AuditRule maxRowCountChange(double fraction) {
    if (fraction < 0) {
      throw new IllegalArgumentException("fraction must be zero or positive, but was " + fraction);
    }
    return new AuditRule() {
      @Override
      public String describe() {
        return String.format(
            Locale.ROOT,
            "added rows change by at most %.0f%% from main's last version",
            fraction * 100);
      }

      @Override
      public Optional<String> failure(QualityGate.AuditView view) {
        String before = view.previous().get("added-records");
        String now = view.audited().get("added-records");
        if (before == null || now == null) {
          return Optional.empty();
        }
        double b = Double.parseDouble(before);
        double n = Double.parseDouble(now);
        double change = b == 0 ? (n == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs(n - b) / b;
        return change <= fraction
            ? Optional.empty()
            : Optional.of(
                describe()
                    + ": main's last version added "
                    + (long) b
                    + " rows, the audited one "
                    + (long) n);
      }
    };
  }

  /** A rule given as a predicate over the audit view. */
  static AuditRule of(String description, Predicate<QualityGate.AuditView> passes) {
    Objects.requireNonNull(passes, "passes");
    return new AuditRule() {
      @Override
      public String describe() {
        return description;
      }

      @Override
      public Optional<String> failure(QualityGate.AuditView view) {
        return passes.test(view) ? Optional.empty() : Optional.of(description + ": does not hold");
      }
    };
  }
}
