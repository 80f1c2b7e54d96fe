package dev.meshwork.core;

import java.io.Serializable;

/**
 * What one attempt of one part of an output port staged in a task: its data files and quarantine
 * files (not yet visible), its row counts and what its quality checks observed. Serializable, to
 * send to the coordinator's {@link Run#commit(java.util.Collection)}.
 */
public interface StagedPart extends Serializable {

  /** The run the part belongs to. */
  String runId();

  /** The output port. */
  String port();

  /** The part id the task was given. */
  int part();

  /** The attempt number the task was given. */
  int attempt();

  /** Rows staged for the port. */
  long rows();

  /** Rows diverted to the port's quarantine table. */
  long quarantinedRows();

  /** Data files staged for the port. */
  int files();

  /** Bytes of those files. */
  long bytes();

  /** The size of the quality state the part carries, in bytes (0 without checks). */
  int qualityStateBytes();

  /**
   * This part as bytes (Java serialization), to ship through an engine whose own serializer (Kryo)
   * should not see the store's file descriptions.
   */
  default byte[] toBytes() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(this);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot serialize " + this, e);
    }
    return bytes.toByteArray();
  }

  /** A part from {@link #toBytes()}. */
  static StagedPart fromBytes(byte[] bytes) {
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return (StagedPart) in.readObject();
    } catch (java.io.IOException | ClassNotFoundException | ClassCastException e) {
      throw new IllegalArgumentException(
          "Cannot read a staged part from "
              + bytes.length
              + " bytes ("
              + e
              + "): send what StagedPart.toBytes() gave, with the same Meshwork version on both"
              + " sides.",
          e);
    }
  }
}
