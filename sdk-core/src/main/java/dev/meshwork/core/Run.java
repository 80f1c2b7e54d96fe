package dev.meshwork.core;

/**
 * One run of a data product: open ports, write, then {@link #commit()}. Nothing is visible before
 * commit returns; closing a run that was not committed aborts it and deletes its staged files.
 */
public interface Run extends AutoCloseable {

  /** The run id (a UUID); reuse it to rerun idempotently. */
  String id();

  /** Opens an input port typed by a record (checked against the port's contract). */
  <T> InputPort<T> input(String port, Class<T> type);

  /** Opens an input port as untyped rows. */
  default InputPort<Row> input(String port) {
    return input(port, Row.class);
  }

  /**
   * Opens an output port typed by a record (checked against the port's contract), by {@link Row},
   * or by Apache Arrow's {@code VectorSchemaRoot}: then each {@code write(batch)} writes every row
   * of the batch. A batch must have exactly the contract's columns, with their Arrow types (bigint,
   * int, double, float, bit, varchar, date-day, timestamp-micro with or without UTC zone, decimal
   * of the contract's scale) and no nulls where the contract requires a value; a batch that does
   * not fit is refused whole with every difference listed, and the run stays usable. The batch may
   * be reused once {@code write} returns.
   */
  <T> OutputPort<T> output(String port, Class<T> type);

  /** Opens an output port as untyped rows. */
  default OutputPort<Row> output(String port) {
    return output(port, Row.class);
  }

  /** Gates and publishes every output, then reports; nothing is visible before this returns. */
  RunResult commit();

  /** Aborts when not committed; does nothing otherwise. */
  @Override
  void close();
}
