package dev.meshwork.spi;

import dev.meshwork.spi.write.ColumnCheck;
import dev.meshwork.spi.write.RowBatch;

/** Writes values into staged data files for one output port and one run. */
public interface StagedWriter<T> extends AutoCloseable {

  /** Encodes one value; must not box primitive fields. */
  void write(T value);

  /**
   * Runs {@code checks} on the values this writer encodes, from now on, for every value it writes;
   * returns those it took (the caller runs the others itself). Call before the first write.
   */
  default java.util.Set<ColumnCheck> attach(java.util.List<ColumnCheck> checks) {
    return java.util.Set.of();
  }

  /**
   * Encodes every row of {@code rows} a column at a time, if this writer can now; returns false,
   * having written nothing, when the caller must write them one by one with {@link #write}.
   */
  default boolean writeBatch(RowBatch<T> rows) {
    return false;
  }

  /** Rows written so far. */
  long rows();

  /** Finishes the files and returns them, still unpublished. */
  StagedFiles finish();

  /** Deletes everything written so far; safe to call more than once. */
  void abort();

  /** Aborts if not finished. */
  @Override
  void close();
}
