package dev.meshwork.spi;

/** Writes values into staged data files for one output port and one run. */
public interface StagedWriter<T> extends AutoCloseable {

  /** Encodes one value; must not box primitive fields. */
  void write(T value);

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
