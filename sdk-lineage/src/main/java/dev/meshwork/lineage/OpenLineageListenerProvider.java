package dev.meshwork.lineage;

import dev.meshwork.core.Settings;
import dev.meshwork.spi.RunListener;
import dev.meshwork.spi.RunListenerProvider;

/**
 * Makes {@link OpenLineageListener#fromSettings} over the mesh's settings the default listener of a
 * zero-configuration mesh.
 */
public final class OpenLineageListenerProvider implements RunListenerProvider {

  @Override
  public RunListener defaultListener(Settings settings) {
    return OpenLineageListener.fromSettings(settings);
  }
}
