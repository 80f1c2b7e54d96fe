package dev.meshwork.quality;

import dev.meshwork.core.Settings;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.QualityGateProvider;

/** Makes {@link ContractQualityGate#ofDefaults()} the gate of a zero-configuration mesh. */
public final class ContractQualityGateProvider implements QualityGateProvider {

  @Override
  public QualityGate defaultGate(Settings settings) {
    return ContractQualityGate.ofDefaults();
  }
}
