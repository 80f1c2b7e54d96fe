package dev.meshwork.spi;

import java.util.Optional;

/**
 * Discovered with {@link java.util.ServiceLoader} when a mesh is built without a policy engine:
 * supplies the engine its configuration points at (the policy module reads {@code ./policies} or
 * {@code -Dmeshwork.policies}), or nothing when there is no configuration.
 */
public interface PolicyEngineProvider {

  /** The configured engine, or empty when this provider finds no configuration. */
  Optional<PolicyEngine> defaultEngine();
}
