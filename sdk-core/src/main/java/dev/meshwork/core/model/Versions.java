package dev.meshwork.core.model;

/**
 * Semantic versions compared by their numbers ({@code 1.10.0} after {@code 1.9.2}); a pre-release
 * ({@code 2.0.0-rc1}) comes before its release.
 */
final class Versions {
  private Versions() {}

  /** Negative, zero or positive as {@code a} is lower than, equal to or higher than {@code b}. */
  static int compare(String a, String b) {
    String[] x = core(a).split("\\.");
    String[] y = core(b).split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String p = i < x.length ? x[i] : "0";
      String q = i < y.length ? y[i] : "0";
      int c =
          p.matches("\\d+") && q.matches("\\d+")
              ? new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q))
              : p.compareTo(q);
      if (c != 0) {
        return c;
      }
    }
    boolean preA = a.contains("-");
    boolean preB = b.contains("-");
    if (preA != preB) {
      return preA ? -1 : 1;
    }
    return a.compareTo(b);
  }

  /** The major version ({@code 2} of {@code 2.1.0} or {@code v2}), or -1 when it has none. */
  static long major(String version) {
    if (version == null) {
      return -1;
    }
    String v = version.startsWith("v") || version.startsWith("V") ? version.substring(1) : version;
    String first = core(v).split("\\.")[0];
    try {
      return first.matches("\\d{1,18}") ? Long.parseLong(first) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The highest of {@code versions}: releases before pre-releases, which count only when there is
   * no release.
   */
  static <T> T highest(java.util.List<T> entries, java.util.function.Function<T, String> version) {
    java.util.List<T> releases =
        entries.stream().filter(e -> !String.valueOf(version.apply(e)).contains("-")).toList();
    return (releases.isEmpty() ? entries : releases)
        .stream()
            .max(
                (a, b) ->
                    compare(String.valueOf(version.apply(a)), String.valueOf(version.apply(b))))
            .get();
  }

  private static String core(String v) {
    int end = v.length();
    for (char c : new char[] {'-', '+'}) {
      int i = v.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return v.substring(0, end);
  }
}
