package dev.meshwork.spi.write;

/**
 * Reads one field from a value of type {@code T}. Primitive fields get specialised accessors, so a
 * store can encode them without boxing; check the subtype once, when building a writer.
 */
public sealed interface FieldAccessor<T>
    permits FieldAccessor.OfBoolean,
        FieldAccessor.OfInt,
        FieldAccessor.OfLong,
        FieldAccessor.OfFloat,
        FieldAccessor.OfDouble,
        FieldAccessor.OfObject {

  /**
   * The field's value, boxed when primitive: for sampling, checks and conversions, never for the
   * encoding loop.
   */
  static <T> Object readBoxed(FieldAccessor<T> a, T target) {
    if (a instanceof OfObject<T> o) {
      return o.get(target);
    }
    if (a instanceof OfLong<T> l) {
      return l.getLong(target);
    }
    if (a instanceof OfInt<T> i) {
      return i.getInt(target);
    }
    if (a instanceof OfDouble<T> d) {
      return d.getDouble(target);
    }
    if (a instanceof OfFloat<T> f) {
      return f.getFloat(target);
    }
    return ((OfBoolean<T>) a).getBoolean(target);
  }

  /** Reads a primitive boolean. */
  @FunctionalInterface
  non-sealed interface OfBoolean<T> extends FieldAccessor<T> {
    /** The field's value in {@code target}. */
    boolean getBoolean(T target);
  }

  /** Reads a primitive int. */
  @FunctionalInterface
  non-sealed interface OfInt<T> extends FieldAccessor<T> {
    /** The field's value in {@code target}. */
    int getInt(T target);
  }

  /** Reads a primitive long. */
  @FunctionalInterface
  non-sealed interface OfLong<T> extends FieldAccessor<T> {
    /** The field's value in {@code target}. */
    long getLong(T target);
  }

  /** Reads a primitive float. */
  @FunctionalInterface
  non-sealed interface OfFloat<T> extends FieldAccessor<T> {
    /** The field's value in {@code target}. */
    float getFloat(T target);
  }

  /** Reads a primitive double. */
  @FunctionalInterface
  non-sealed interface OfDouble<T> extends FieldAccessor<T> {
    /** The field's value in {@code target}. */
    double getDouble(T target);
  }

  /** Reads an object (possibly null): boxed numbers, strings, temporals, nested values. */
  @FunctionalInterface
  non-sealed interface OfObject<T> extends FieldAccessor<T> {
    /** The field's value in {@code target}, or null. */
    Object get(T target);
  }
}
