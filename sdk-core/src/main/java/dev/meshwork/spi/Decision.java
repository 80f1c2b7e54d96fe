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

  /**
   * A deny because the engine could not decide (unreachable, too slow, broken answer), not because
   * a policy said no: enforcement fails closed, and caches do not keep it.
   */
  public static Decision failedClosed(String reason) {
    return new Decision(
        false, List.of(reason), List.of(new Term(FAILED_CLOSED, "the engine could not decide")));
  }

  /** Whether this is a {@link #failedClosed} deny. */
  public boolean failedClosed() {
    return !allowed && obligations.stream().anyMatch(o -> FAILED_CLOSED.equals(o.kind()));
  }

  private static final String FAILED_CLOSED = "failed-closed";

  /** Something an enforcement point must do when it acts on an allow. */
  public interface Obligation extends java.io.Serializable {
    /** A short kind such as {@code mask}, {@code row-filter} or {@code expires-at}. */
    String kind();
  }

  /** How a masked column's values are replaced. */
  public enum MaskKind {
    /** null (or the type's zero for primitive record components). */
    NULL,
    /** Text becomes {@code ****}; other types become null. */
    REDACT,
    /**
     * HMAC-SHA-256 of the value under the mesh's {@link dev.meshwork.core.MaskKey} derived for the
     * mask's scope: lower-case hex for text, the digest's leading bytes for whole numbers (so
     * masked keys still join within the scope); other types become null.
     */
    HASH,
    /** Text keeps its first {@code length} characters. */
    TRUNCATE
  }

  /**
   * Replace every value of a column before the reader sees it. {@code column} is a top-level column
   * or a path into nested data: {@code contact.email} (a struct field), {@code phones[]} (every
   * element of a list, every value of a map), {@code contacts[].email} (a field of every element).
   * A mask on a struct, list or map masks every value inside it. {@code keyScope} chooses the
   * derived key of {@code hash} masks (readers in one scope get joinable hashes).
   */
  public record ColumnMask(String column, MaskKind mask, int length, String keyScope)
      implements Obligation {
    @Override
    public String kind() {
      return "mask";
    }
  }

  /**
   * Hand only rows for which {@code keep} is true to the reader. {@code filter}, when not null, is
   * the same condition as a {@link dev.meshwork.core.Filter} on top-level columns: reads apply it
   * to decoded columns and skip files and row groups it rules out, instead of testing whole rows.
   */
  public record RowFilter(
      String description,
      java.util.function.Predicate<java.util.Map<String, Object>> keep,
      dev.meshwork.core.Filter filter)
      implements Obligation {

    /** A row filter that only a whole row can be tested against. */
    public RowFilter(
        String description, java.util.function.Predicate<java.util.Map<String, Object>> keep) {
      this(description, keep, null);
    }

    @Override
    public String kind() {
      return "row-filter";
    }
  }

  /**
   * An obligation recorded with the decision but not applied to data (for example a usage term).
   */
  public record Term(String kind, String detail) implements Obligation {}
}
