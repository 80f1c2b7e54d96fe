package dev.meshwork.spi;

import dev.meshwork.spi.write.StructShape;

/** The gate that checks nothing; a singleton so the runtime can skip it on the hot path. */
final class NoQualityGate implements QualityGate, QualityGate.Session {
  static final NoQualityGate INSTANCE = new NoQualityGate();

  private NoQualityGate() {}

  @Override
  public Session open(GateContext context) {
    return this;
  }

  @Override
  public <T> Rejection observe(StructShape<T> shape, T value) {
    return null;
  }

  @Override
  public GateVerdict verdict() {
    return GateVerdict.passed();
  }
}
