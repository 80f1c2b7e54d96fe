package dev.meshwork.core.model;

import java.util.Map;

/** A typed link to a source that defines an element with authority. */
public record AuthoritativeDefinition(
    String type, String url, String description, Map<String, Object> extensions) {

  /** Copies the extensions. */
  public AuthoritativeDefinition {
    extensions = Copies.map(extensions);
  }
}
