package dev.meshwork.quality;

import dev.meshwork.core.model.Comparison;
import java.util.Locale;

/** A comparison a measured value must satisfy: the ODCS operators, with numeric operands. */
public record Threshold(Comparison.Operator operator, double value, double upper) {

  /** Validates range order. */
  public Threshold {
    if ((operator == Comparison.Operator.MUST_BE_BETWEEN
            || operator == Comparison.Operator.MUST_NOT_BE_BETWEEN)
        && upper < value) {
      throw new IllegalArgumentException(
          operator.key()
              + " needs the smaller number first, but got ["
              + value
              + ", "
              + upper
              + "]");
    }
  }

  /** Equal to {@code v}. */
  public static Threshold mustBe(double v) {
    return new Threshold(Comparison.Operator.MUST_BE, v, v);
  }

  /** Not equal to {@code v}. */
  public static Threshold mustNotBe(double v) {
    return new Threshold(Comparison.Operator.MUST_NOT_BE, v, v);
  }

  /** Greater than {@code v}. */
  public static Threshold mustBeGreaterThan(double v) {
    return new Threshold(Comparison.Operator.MUST_BE_GREATER_THAN, v, v);
  }

  /** Greater than or equal to {@code v}. */
  public static Threshold mustBeGreaterOrEqualTo(double v) {
    return new Threshold(Comparison.Operator.MUST_BE_GREATER_OR_EQUAL_TO, v, v);
  }

  /** Less than {@code v}. */
  public static Threshold mustBeLessThan(double v) {
    return new Threshold(Comparison.Operator.MUST_BE_LESS_THAN, v, v);
  }

  /** Less than or equal to {@code v}. */
  public static Threshold mustBeLessOrEqualTo(double v) {
    return new Threshold(Comparison.Operator.MUST_BE_LESS_OR_EQUAL_TO, v, v);
  }

  /** Between {@code low} and {@code high}, both included. */
  public static Threshold mustBeBetween(double low, double high) {
    return new Threshold(Comparison.Operator.MUST_BE_BETWEEN, low, high);
  }

  /** Below {@code low} or above {@code high}. */
  public static Threshold mustNotBeBetween(double low, double high) {
    return new Threshold(Comparison.Operator.MUST_NOT_BE_BETWEEN, low, high);
  }

  /** Whether {@code observed} satisfies this threshold. */
  public boolean test(double observed) {
    return switch (operator) {
      case MUST_BE -> observed == value;
      case MUST_NOT_BE -> observed != value;
      case MUST_BE_GREATER_THAN -> observed > value;
      case MUST_BE_GREATER_OR_EQUAL_TO -> observed >= value;
      case MUST_BE_LESS_THAN -> observed < value;
      case MUST_BE_LESS_OR_EQUAL_TO -> observed <= value;
      case MUST_BE_BETWEEN -> observed >= value && observed <= upper;
      case MUST_NOT_BE_BETWEEN -> observed < value || observed > upper;
    };
  }

  /** Whether some value from {@code low} to {@code high} satisfies this threshold. */
  boolean admitsSomeIn(double low, double high) {
    return test(low)
        || test(high)
        || (value >= low && value <= high && test(value))
        || (upper >= low && upper <= high && test(upper));
  }

  @Override
  public String toString() {
    return switch (operator) {
      case MUST_BE -> "= " + num(value);
      case MUST_NOT_BE -> "!= " + num(value);
      case MUST_BE_GREATER_THAN -> "> " + num(value);
      case MUST_BE_GREATER_OR_EQUAL_TO -> ">= " + num(value);
      case MUST_BE_LESS_THAN -> "< " + num(value);
      case MUST_BE_LESS_OR_EQUAL_TO -> "<= " + num(value);
      case MUST_BE_BETWEEN -> "between " + num(value) + " and " + num(upper);
      case MUST_NOT_BE_BETWEEN -> "not between " + num(value) + " and " + num(upper);
    };
  }

  static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? Long.toString((long) d)
        : String.format(Locale.ROOT, "%.4g", d);
  }
}
