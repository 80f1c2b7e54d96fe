package dev.meshwork.spi.write;

import dev.meshwork.spi.StagedWriter;

/**
 * A quality check a store runs on one top-level column's values as it encodes them, a page at a
 * time, so that the gate does not read that column of every row itself (see {@link
 * StagedWriter#attach}). The store calls it on the writing thread once per page, with every value
 * it writes to the column, in the stored form the check asks for; a page is a view that is valid
 * only during the call.
 */
public interface ColumnCheck {

  /** The top-level column the check reads. */
  String column();

  /** The form the check reads the column's values in. */
  Form form();

  /** How a store hands a page's values over. */
  enum Form {
    /** Whole numbers: ints and longs, dates as epoch days, timestamps as epoch microseconds. */
    INTEGER,
    /** Floating-point numbers (floats widened to doubles). */
    FLOATING,
    /** Text as UTF-8 bytes. */
    UTF8
  }

  /** Checks a page of an {@link Form#INTEGER} column. */
  default void integers(LongPage page) {
    throw new UnsupportedOperationException(column() + " is not read as whole numbers");
  }

  /** Checks a page of a {@link Form#FLOATING} column. */
  default void floating(DoublePage page) {
    throw new UnsupportedOperationException(column() + " is not read as floating-point numbers");
  }

  /** Checks a page of a {@link Form#UTF8} column. */
  default void utf8(Utf8Page page) {
    throw new UnsupportedOperationException(column() + " is not read as text");
  }
}
