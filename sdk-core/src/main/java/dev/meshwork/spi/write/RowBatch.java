package dev.meshwork.spi.write;

import dev.meshwork.spi.StagedWriter;

/**
 * Rows a writer may encode a column at a time (see {@link StagedWriter#writeBatch}): row {@code i}
 * is {@link #at}{@code (i)}. The value {@code at} returns may be one object repositioned on each
 * call, valid until the next.
 */
public interface RowBatch<T> {

  /** Rows in the batch. */
  int size();

  /** Row {@code index}, from 0 to {@link #size()} - 1. */
  T at(int index);
}
