package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.Erasure;
import dev.meshwork.core.SummaryKeys;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The data subjects a contract's schema object declares, and the columns that identify them. */
final class Subjects {
  private Subjects() {}

  /** The top-level columns that identify {@code subject}, in contract order. */
  static List<String> columns(SchemaObject object, String subject) {
    List<String> out = new ArrayList<>();
    for (SchemaProperty p : object.properties()) {
      if (p.customProperty(Erasure.PROPERTY)
          .map(String::valueOf)
          .filter(subject::equals)
          .isPresent()) {
        out.add(p.name());
      }
    }
    return out;
  }

  /** Table properties {@code meshwork.subject.<subject>} = the columns, for every subject. */
  static Map<String, String> properties(SchemaObject object) {
    Map<String, List<String>> bySubject = new LinkedHashMap<>();
    for (SchemaProperty p : object.properties()) {
      p.customProperty(Erasure.PROPERTY)
          .map(String::valueOf)
          .ifPresent(s -> bySubject.computeIfAbsent(s, k -> new ArrayList<>()).add(p.name()));
    }
    Map<String, String> props = new LinkedHashMap<>();
    bySubject.forEach(
        (s, cols) -> props.put(SummaryKeys.SUBJECT_PREFIX + s, String.join(",", cols)));
    return props;
  }
}
