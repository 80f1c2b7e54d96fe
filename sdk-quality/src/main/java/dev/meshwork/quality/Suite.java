package dev.meshwork.quality;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A named set of checks for one output port; check ids are unique within it. */
public final class Suite {
  private final String name;
  private final List<Check> checks;

  private Suite(String name, List<Check> checks) {
    this.name = Objects.requireNonNull(name, "name");
    Set<String> ids = new HashSet<>();
    for (Check c : checks) {
      if (!ids.add(c.id())) {
        throw new IllegalArgumentException(
            "suite '" + name + "' has two checks with id '" + c.id() + "'; give one an id(...)");
      }
    }
    this.checks = List.copyOf(checks);
  }

  /** A suite of these checks. */
  public static Suite of(String name, Check... checks) {
    return new Suite(name, List.of(checks));
  }

  /** A suite of these checks. */
  public static Suite of(String name, List<Check> checks) {
    return new Suite(name, checks);
  }

  /** The name. */
  public String name() {
    return name;
  }

  /** The checks, in order. */
  public List<Check> checks() {
    return checks;
  }

  /** This suite with more checks. */
  public Suite plus(List<Check> more) {
    List<Check> all = new ArrayList<>(checks);
    all.addAll(more);
    return new Suite(name, all);
  }

  /** SHA-256 of the checks' definitions: the same hash means the same rules ran. */
  public String hash() {
    StringBuilder b = new StringBuilder(name);
    for (Check c : checks) {
      b.append('\n').append(c);
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
