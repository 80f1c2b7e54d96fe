package dev.meshwork.core;

import dev.meshwork.spi.GateVerdict;
import java.time.Duration;
import java.util.List;

/** What a committed run read and published, for summaries and tests. */
public record RunResult(
    String runId, String product, List<Input> inputs, List<Output> outputs, Duration duration) {

  /** Copies the lists. */
  public RunResult {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** The output of the given port. */
  public Output output(String port) {
    return find(outputs, Output::port, port, "published");
  }

  /** The input of the given port. */
  public Input input(String port) {
    return find(inputs, Input::port, port, "read");
  }

  private <T> T find(
      List<T> items, java.util.function.Function<T, String> name, String port, String did) {
    return items.stream()
        .filter(i -> name.apply(i).equals(port))
        .findFirst()
        .orElseThrow(
            () ->
                new UnknownPortException(
                    "Run "
                        + runId
                        + " "
                        + did
                        + " no port '"
                        + port
                        + "'; it "
                        + did
                        + " "
                        + items.stream().map(name).toList()));
  }

  /**
   * An input as read: the version (null before the upstream's first publish), the version after
   * which an incremental read started (null when it read the whole version), the rows, data files
   * and bytes read (-1 when the store cannot tell; a change set counts the files it removed too)
   * and how the version was chosen ({@link InputRead}).
   */
  public record Input(
      String port,
      String table,
      Long version,
      Long appendedAfter,
      long rows,
      long files,
      long bytes,
      String read) {}

  /**
   * An output as published; {@code alreadyPublished} when an earlier try of the run had published
   * it; {@code quarantined} rows went to the port's quarantine table instead; {@code quality} is
   * the gate's verdict (null when no gate ran, and for quarantine tables); {@code mode} is how the
   * rows changed the table and {@code removedRows} the rows it removed (replaced or deleted; -1
   * when the store cannot tell).
   */
  public record Output(
      String port,
      String table,
      long version,
      long rows,
      long files,
      long bytes,
      boolean alreadyPublished,
      long quarantined,
      GateVerdict quality,
      WriteMode mode,
      long removedRows) {}
}
