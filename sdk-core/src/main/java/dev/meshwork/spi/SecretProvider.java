package dev.meshwork.spi;

import java.util.Optional;

/**
 * Where a mesh gets secrets that should not sit in settings files or the environment: a vault, a
 * cloud secret manager, a Kubernetes secret. Asked by setting key ({@code meshwork.mask.key}); what
 * it returns is never logged.
 */
@FunctionalInterface
public interface SecretProvider {
  /** The secret stored under {@code key}, or empty when this provider does not hold it. */
  Optional<String> secret(String key);
}
