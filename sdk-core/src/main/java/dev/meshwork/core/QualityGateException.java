package dev.meshwork.core;

import java.util.List;

/** Blocking quality rules failed, so nothing was published; lists every failed rule. */
public class QualityGateException extends MeshworkException {
  private static final long serialVersionUID = 1L;

  private final List<String> failures;

  /** A gate failure with a headline and one line per failed rule. */
  public QualityGateException(String headline, List<String> failures) {
    super(headline + ":\n  - " + String.join("\n  - ", failures));
    this.failures = List.copyOf(failures);
  }

  /** One line per failed rule, with observed and expected values. */
  public List<String> failures() {
    return failures;
  }
}
