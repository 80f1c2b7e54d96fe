package dev.meshwork.core;

import java.util.List;

/** Records or tables do not match a port's data contract; lists every difference found. */
public class ContractViolationException extends MeshworkException {
  private static final long serialVersionUID = 1L;

  private final List<String> differences;

  /** A violation with a headline and the individual differences. */
  public ContractViolationException(String headline, List<String> differences) {
    super(headline + (differences.isEmpty() ? "" : ":\n  - " + String.join("\n  - ", differences)));
    this.differences = List.copyOf(differences);
  }

  /** A violation with a single message. */
  public ContractViolationException(String message) {
    this(message, List.of());
  }

  /** Each difference on its own. */
  public List<String> differences() {
    return differences;
  }
}
