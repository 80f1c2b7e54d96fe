package dev.meshwork.quality;

import java.util.Locale;

/** What a failed check does. */
public enum Severity {
  /** Blocks the publish: nothing becomes visible. */
  ERROR,
  /** Publishes and records the failure. */
  WARN,
  /** Diverts each failing row to the port's quarantine table and publishes the rest. */
  QUARANTINE;

  /**
   * Parses an ODCS severity ({@code error}, {@code warn}/{@code warning}, {@code quarantine});
   * default error.
   */
  public static Severity parse(String s) {
    if (s == null) {
      return ERROR;
    }
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "warn", "warning", "info" -> WARN;
      case "quarantine" -> QUARANTINE;
      default -> ERROR;
    };
  }
}
