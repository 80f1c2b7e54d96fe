package dev.meshwork.spi;

/** Checks the data of an output port while it is written and decides at commit. */
public interface QualityGate {

  /** Starts checking one output port of one run. */
  Session open(GateContext context);

  /** The checks of one output port; sees every written value once. */
  interface Session {

    /**
     * Checks one value before it is written; called on the writing thread. Returns null to write it
     * to the port, or a rejection to divert it to the port's quarantine table instead.
     */
    <T> Rejection observe(StructShape<T> shape, T value);

    /** The verdict after all values were observed. */
    GateVerdict verdict();
  }

  /** Why a row goes to quarantine: the rule that rejected it and what was wrong. */
  record Rejection(String ruleId, String rule, String reason) {}

  /** A gate that checks nothing (the quality module supplies the contract-driven gate). */
  static QualityGate none() {
    return NoQualityGate.INSTANCE;
  }
}
