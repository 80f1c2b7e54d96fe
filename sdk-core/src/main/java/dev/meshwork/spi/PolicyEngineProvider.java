package dev.meshwork.spi;

import dev.meshwork.core.Settings;
import java.util.Optional;

/**
 * Discovered with {@link java.util.ServiceLoader} when a mesh is built without a policy engine:
 * supplies the engine its configuration points at (the policy module reads {@code ./policies} or
 * the setting {@code meshwork.policies}), or nothing when there is no configuration.
 */
public interface PolicyEngineProvider {

  /** The configured engine, or empty when the settings configure none for this provider. */
  Optional<PolicyEngine> defaultEngine(Settings settings);
}
