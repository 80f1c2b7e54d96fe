package dev.meshwork.spi.write;

/**
 * Capabilities an object accessor may add so that a store can encode a non-null value from its
 * stored form, without building the Java value first (Arrow batches hold dates as epoch days and
 * strings as UTF-8 bytes). The accessor's {@code get} still returns the canonical Java value for
 * everything else (quality rules, quarantine, policy).
 */
public final class RawValues {
  private RawValues() {}

  /** A date or timestamp as Iceberg stores it. */
  @FunctionalInterface
  public interface Temporal<T> {
    /** Epoch days of a date, or epoch microseconds of a timestamp; the value must not be null. */
    long epochValue(T target);
  }

  /** A string as UTF-8 bytes in a buffer the accessor reuses (or already holds them in). */
  public interface Utf8<T> {
    /** Puts the value's UTF-8 bytes in {@link #buffer} at {@link #offset}; returns their number. */
    int utf8(T target);

    /** The buffer holding the bytes of the last {@link #utf8} call on {@code target}. */
    byte[] buffer(T target);

    /** Where in {@link #buffer} the bytes of the last {@link #utf8} call start. */
    default int offset(T target) {
      return 0;
    }
  }

  /**
   * A required number, date or timestamp column whose batch holds its stored values in one array,
   * so that a store can encode a run of rows in one loop instead of a call per value. Each method
   * returns the array indexed by the batch's rows (valid until the batch changes), or null when
   * this batch does not hold the column in that form; the store then reads value by value.
   */
  public interface Columnar<T> {
    /** INT64 values or epoch microseconds. */
    default long[] longs(RowBatch<T> rows) {
      return null;
    }

    /** INT32 values or epoch days. */
    default int[] ints(RowBatch<T> rows) {
      return null;
    }

    /** DOUBLE values. */
    default double[] doubles(RowBatch<T> rows) {
      return null;
    }

    /** FLOAT values. */
    default float[] floats(RowBatch<T> rows) {
      return null;
    }
  }

  /**
   * An optional boolean or number column read without boxing: test for null, then read the value in
   * its primitive form.
   */
  public interface Primitive<T> {
    /** Whether the value is null. */
    boolean isNull(T target);

    /** A non-null boolean (1 or 0), int or long value. */
    long longValue(T target);

    /** A non-null float or double value. */
    double doubleValue(T target);
  }
}
