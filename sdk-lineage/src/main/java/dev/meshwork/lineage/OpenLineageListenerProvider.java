package dev.meshwork.lineage;

import dev.meshwork.spi.RunListener;
import dev.meshwork.spi.RunListenerProvider;

/**
 * Makes {@link OpenLineageListener#fromEnvironment()} the default listener of a zero-config mesh.
 */
public final class OpenLineageListenerProvider implements RunListenerProvider {

  @Override
  public RunListener defaultListener() {
    return OpenLineageListener.fromEnvironment();
  }
}
