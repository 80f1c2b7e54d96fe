package dev.meshwork.core.model;

import java.util.Map;

/** An ODCS service-level agreement property, such as latency, retention or frequency. */
public record SlaProperty(
    String id,
    String property,
    Object value,
    Object valueExt,
    String unit,
    String element,
    String driver,
    String description,
    String scheduler,
    String schedule,
    Map<String, Object> extensions) {

  /** Copies the extensions. */
  public SlaProperty {
    extensions = Copies.map(extensions);
  }
}
