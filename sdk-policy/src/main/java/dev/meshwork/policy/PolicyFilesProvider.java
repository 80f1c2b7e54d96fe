package dev.meshwork.policy;

import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyEngineProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Zero-configuration policy: the built-in engine over the folder named by {@code
 * -Dmeshwork.policies} or {@code MESHWORK_POLICIES}, else over {@code ./policies} when it exists.
 * Decisions go to {@link Policies#defaultDecisionLog()}. A named folder that does not exist is an
 * error, never a silent allow-all.
 */
public final class PolicyFilesProvider implements PolicyEngineProvider {

  @Override
  public Optional<PolicyEngine> defaultEngine() {
    String named = Policies.setting("meshwork.policies", "MESHWORK_POLICIES");
    Path dir;
    if (named != null) {
      dir = Path.of(named);
    } else if (Files.isDirectory(Path.of("policies"))) {
      dir = Path.of("policies");
    } else {
      return Optional.empty();
    }
    return Optional.of(Policies.fromDirectory(dir));
  }
}
