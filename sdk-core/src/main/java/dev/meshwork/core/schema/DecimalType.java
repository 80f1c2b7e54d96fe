package dev.meshwork.core.schema;

/** A fixed-point decimal with the given precision (1..38) and scale (0..precision). */
public record DecimalType(int precision, int scale) implements DataType {

  /** Validates precision and scale. */
  public DecimalType {
    if (precision < 1 || precision > 38) {
      throw new IllegalArgumentException(
          "decimal precision must be between 1 and 38, but was " + precision);
    }
    if (scale < 0 || scale > precision) {
      throw new IllegalArgumentException(
          "decimal scale must be between 0 and the precision " + precision + ", but was " + scale);
    }
  }

  @Override
  public String display() {
    return "decimal(" + precision + "," + scale + ")";
  }
}
