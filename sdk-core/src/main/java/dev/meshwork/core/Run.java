package dev.meshwork.core;

import java.util.Collection;

/**
 * One run of a data product: open ports, write, then {@link #commit()}. Nothing is visible before
 * commit returns; closing a run that was not committed aborts it and deletes its staged files.
 */
public interface Run extends AutoCloseable {

  /** The run id (a UUID); reuse it to rerun idempotently. */
  String id();

  /**
   * Opens an input port typed by a record (checked against the port's contract), by {@link Row}, or
   * by Apache Arrow's {@code VectorSchemaRoot}: then each element a read gives is a batch of up to
   * 8,192 rows of every contract column (the policy's masks and row filters, the read's filter and
   * row-level deletes applied), which the caller closes when done with it (closing the stream
   * closes those still open).
   */
  <T> InputPort<T> input(String port, Class<T> type);

  /** Opens an input port as untyped rows. */
  default InputPort<Row> input(String port) {
    return input(port, Row.class);
  }

  /**
   * The input port cut into at most {@code count} serializable shares of about equal size, at the
   * version the run pins, for tasks elsewhere to read (see {@link InputSplit}). READ is decided
   * here, once; its masks and row filters travel with the shares.
   */
  <T> java.util.List<InputSplit<T>> splits(String port, Class<T> type, int count);

  /**
   * Opens an output port typed by a record (checked against the port's contract), by {@link Row},
   * or by Apache Arrow's {@code VectorSchemaRoot}: then each {@code write(batch)} writes every row
   * of the batch. A batch must have exactly the contract's columns, with their Arrow types (bigint,
   * int, double, float, bit, varchar, date-day, timestamp-micro with or without UTC zone, decimal
   * of the contract's scale) and no nulls where the contract requires a value; a batch that does
   * not fit is refused whole with every difference listed, and the run stays usable. The batch may
   * be reused once {@code write} returns. The rows are published in the port's default {@link
   * WriteMode}: its {@code writeMode} custom property, else append.
   */
  <T> OutputPort<T> output(String port, Class<T> type);

  /**
   * {@link #output(String, Class)} publishing in {@code mode}: replacing a slice, the partitions
   * written or rows by key, or removing rows (see {@link WriteMode}). A port is opened in one mode
   * per run.
   */
  <T> OutputPort<T> output(String port, Class<T> type, WriteMode mode);

  /** Opens an output port as untyped rows. */
  default OutputPort<Row> output(String port) {
    return output(port, Row.class);
  }

  /**
   * Hands out the spec from which tasks elsewhere (Spark or Flink tasks) write parts of an output
   * port: see {@link PartSpec}. The port is then written only in parts, and the run is committed
   * with {@link #commit(Collection)}. Policy (WRITE) is decided here, once.
   */
  <T> PartSpec<T> parts(String port, Class<T> type);

  /**
   * {@link #parts(String, Class)} publishing the parts together in {@code mode}: an upsert by the
   * contract's primary key, a restated slice. A key written by two parts is refused at commit, as
   * within one writer.
   */
  <T> PartSpec<T> parts(String port, Class<T> type, WriteMode mode);

  /** {@link #parts(String, Class)} for untyped rows. */
  default PartSpec<Row> parts(String port) {
    return parts(port, Row.class);
  }

  /** Gates and publishes every output, then reports; nothing is visible before this returns. */
  RunResult commit();

  /**
   * Commits with the parts tasks staged for the ports handed out with {@link #parts}: one attempt
   * per part id is kept (the lowest attempt number; the others' files are deleted), the parts'
   * quality states are merged into one verdict per port, PUBLISH is decided once, and each output
   * (and quarantine table) is published as one version, as {@link #commit()} does. Committing the
   * same run id and parts again publishes nothing twice.
   */
  RunResult commit(Collection<? extends StagedPart> parts);

  /** Aborts when not committed; does nothing otherwise. */
  @Override
  void close();
}
