package dev.meshwork.core;

import java.util.Objects;
import java.util.Set;

/** Who runs a pipeline: a user or a service identity, with the groups it belongs to. */
public record Principal(Kind kind, String name, Set<String> groups) {

  /** The kinds of principal. */
  public enum Kind {
    USER,
    SERVICE
  }

  /** Validates the name and copies the groups. */
  public Principal {
    Objects.requireNonNull(kind, "kind");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("principal name must not be blank");
    }
    groups = Set.copyOf(groups);
  }

  /** A service identity, such as a pipeline's deployment name. */
  public static Principal service(String name) {
    return new Principal(Kind.SERVICE, name, Set.of());
  }

  /** A human user. */
  public static Principal user(String name) {
    return new Principal(Kind.USER, name, Set.of());
  }

  /** The same principal with these groups. */
  public Principal withGroups(Set<String> newGroups) {
    return new Principal(kind, name, newGroups);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
  }
}
