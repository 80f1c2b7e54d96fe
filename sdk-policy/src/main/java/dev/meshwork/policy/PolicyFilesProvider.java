package dev.meshwork.policy;

import dev.meshwork.core.Settings;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyEngineProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Zero-configuration policy: the built-in engine over the folder named by the setting {@value
 * Policies#POLICIES} ({@code -Dmeshwork.policies}, {@code MESHWORK_POLICIES}, …), else over {@code
 * ./policies} when it exists. Decisions go to {@link Policies#defaultDecisionLog(Settings)}. A
 * named folder that does not exist is an error, never a silent allow-all.
 */
public final class PolicyFilesProvider implements PolicyEngineProvider {

  @Override
  public Optional<PolicyEngine> defaultEngine(Settings settings) {
    Optional<Path> named = settings.path(Policies.POLICIES);
    Path dir;
    if (named.isPresent()) {
      dir = named.get();
    } else if (Files.isDirectory(Path.of("policies"))) {
      dir = Path.of("policies");
    } else {
      return Optional.empty();
    }
    return Optional.of(
        Policies.fromDirectory(
            dir, Policies.defaultDecisionLog(settings), java.time.Clock.systemUTC()));
  }
}
