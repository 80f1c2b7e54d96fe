package dev.meshwork.spi;

import java.io.Serializable;
import java.util.Objects;

/**
 * What one quality-gate session observed over its share of an output (a task's part), to be merged
 * into the coordinator's session of the same checks: serializable, and small (the state is the
 * gate's compact form, not the rows).
 *
 * @param suiteHash the hash of the checks that observed the rows; parts checked by other checks are
 *     refused
 * @param rows the values observed, quarantined ones included
 * @param quarantinedRows the values diverted to quarantine
 * @param state the gate's merged-later state, in its own format (empty when no value was observed)
 */
public record PartialQuality(String suiteHash, long rows, long quarantinedRows, byte[] state)
    implements Serializable {

  /** Requires the hash and the state. */
  public PartialQuality {
    Objects.requireNonNull(suiteHash, "suiteHash");
    Objects.requireNonNull(state, "state");
  }

  /** The size of the state as shipped, in bytes. */
  public int stateBytes() {
    return state.length;
  }
}
