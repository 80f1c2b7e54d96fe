package dev.meshwork.spi;

/** Checks the data of an output port while it is written and decides at commit. */
public interface QualityGate {

  /** Starts checking one output port of one run. */
  Session open(GateContext context);

  /** The checks of one output port; sees every written value once. */
  interface Session {

    /** Observes one value as it is written; called on the writing thread. */
    <T> void observe(StructShape<T> shape, T value);

    /** The verdict after all values were observed. */
    GateVerdict verdict();
  }

  /** A gate that checks nothing (the quality module supplies the contract-driven gate). */
  static QualityGate none() {
    return NoQualityGate.INSTANCE;
  }
}
