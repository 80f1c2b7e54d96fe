package dev.meshwork.core;

import java.util.OptionalLong;
import java.util.stream.Stream;

/** A typed input port: reads the upstream table at the version pinned for the whole run. */
public interface InputPort<T> {

  /** The port name. */
  String name();

  /** The upstream table's identifier. */
  String table();

  /** The pinned table version, or empty when the upstream has published nothing yet. */
  OptionalLong version();

  /** All rows at the pinned version; close the stream when done (try-with-resources). */
  Stream<T> read();
}
