package dev.meshwork.core.model;

import java.util.Arrays;
import java.util.Optional;

/** The comparison of a quality rule: an ODCS operator and its operand. */
public record Comparison(Operator operator, Object operand) {

  /** The comparison operators of ODCS v3. */
  public enum Operator {
    MUST_BE("mustBe"),
    MUST_NOT_BE("mustNotBe"),
    MUST_BE_GREATER_THAN("mustBeGreaterThan"),
    MUST_BE_GREATER_OR_EQUAL_TO("mustBeGreaterOrEqualTo"),
    MUST_BE_LESS_THAN("mustBeLessThan"),
    MUST_BE_LESS_OR_EQUAL_TO("mustBeLessOrEqualTo"),
    MUST_BE_BETWEEN("mustBeBetween"),
    MUST_NOT_BE_BETWEEN("mustNotBeBetween");

    private final String key;

    Operator(String key) {
      this.key = key;
    }

    /** The descriptor key, such as {@code mustBeLessOrEqualTo}. */
    public String key() {
      return key;
    }

    /**
     * Finds an operator by its descriptor key; also accepts the {@code ...ThanOrEqualTo} spelling.
     */
    public static Optional<Operator> forKey(String key) {
      String canonical = key.replace("ThanOrEqualTo", "OrEqualTo");
      return Arrays.stream(values()).filter(o -> o.key.equals(canonical)).findFirst();
    }
  }
}
