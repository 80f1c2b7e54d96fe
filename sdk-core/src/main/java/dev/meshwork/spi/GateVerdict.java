package dev.meshwork.spi;

import java.util.List;

/** The outcome of a quality gate for one output: blocking failures stop the publish. */
public record GateVerdict(List<String> blockingFailures, List<String> warnings) {

  /** Copies the lists. */
  public GateVerdict {
    blockingFailures = List.copyOf(blockingFailures);
    warnings = List.copyOf(warnings);
  }

  /** A verdict with nothing to report. */
  public static GateVerdict passed() {
    return new GateVerdict(List.of(), List.of());
  }

  /** Whether the output may be published. */
  public boolean allowsPublish() {
    return blockingFailures.isEmpty();
  }
}
