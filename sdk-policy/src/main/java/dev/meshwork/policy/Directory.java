package dev.meshwork.policy;

import dev.meshwork.core.Principal;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where group membership comes from (LDAP, SCIM, a file, a token). Engines keep an answer for a
 * while (the built-in engine: five minutes by default), so a slow directory costs one lookup per
 * principal and period, not one per check, and a revoked member loses access within that period.
 */
@FunctionalInterface
public interface Directory {

  /** The groups (without the {@code group:} prefix) the principal belongs to. */
  Set<String> groupsOf(Principal principal);

  /**
   * The file-based default: {@code directory.groups} of the policy files, mapping a group to
   * members written as {@code user:ana}, {@code service:etl} or a bare name.
   */
  static Directory of(Map<String, Set<String>> groups) {
    Map<String, Set<String>> copy = Map.copyOf(groups);
    return principal -> {
      Set<String> out = new LinkedHashSet<>();
      String self = principal.toString();
      copy.forEach(
          (group, members) -> {
            if (members.contains(self) || members.contains(principal.name())) {
              out.add(group);
            }
          });
      return out;
    };
  }
}
