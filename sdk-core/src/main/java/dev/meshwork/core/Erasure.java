package dev.meshwork.core;

import java.util.List;
import java.util.Objects;

/**
 * A request to erase every row about one data subject (the right to erasure, GDPR art. 17): the
 * subject kind that contracts declare on the columns that identify it (the property's custom
 * property {@code dataSubject}, e.g. {@code customer}), the values that identify this subject in
 * those columns, and why. The id makes a repeated request erase once; see {@link
 * Mesh#erase(Erasure, Principal, List)}.
 *
 * <pre>{@code
 * Erasure.of("customer", "ana@example.com").because("GDPR art. 17 request #4711")
 * }</pre>
 */
public record Erasure(String id, String subject, List<Object> values, String reason) {

  /** The custom property of a contract property that marks it as identifying a data subject. */
  public static final String PROPERTY = "dataSubject";

  /** Requires an id, a subject and at least one value; copies the values. */
  public Erasure {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subject, "subject");
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException(
          "An erasure of subject '" + subject + "' needs the values that identify it");
    }
  }

  /** Erases the subject identified by {@code values}, with a fresh id and no reason yet. */
  public static Erasure of(String subject, Object... values) {
    return new Erasure("erasure-" + java.util.UUID.randomUUID(), subject, List.of(values), null);
  }

  /** This request with the reason the decision log records (required to erase). */
  public Erasure because(String why) {
    return new Erasure(id, subject, values, why);
  }

  /** This request with another id: a request with the id of one that ran erases nothing more. */
  public Erasure withId(String other) {
    return new Erasure(other, subject, values, reason);
  }

  @Override
  public String toString() {
    // The values identify a person: they stay out of logs and messages.
    return "erasure " + id + " of subject '" + subject + "' (" + values.size() + " values)";
  }
}
