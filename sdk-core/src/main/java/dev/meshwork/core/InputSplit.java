package dev.meshwork.core;

import java.io.Serializable;
import java.util.stream.Stream;

/**
 * A share of an input port at the run's pinned version, for a task elsewhere (a Spark or Flink
 * task) to read through Meshwork: it carries the policy obligations the coordinator's READ decision
 * imposed (masks, row filters), which hold in the task as they hold in {@link InputPort#read()}.
 * Reading the table with the engine's own reader instead bypasses them.
 */
public interface InputSplit<T> extends Serializable {

  /** The input port. */
  String port();

  /** This share's number, from 0. */
  int index();

  /** The rows of this share as the run's input port gives them; close the stream. */
  Stream<T> read();
}
