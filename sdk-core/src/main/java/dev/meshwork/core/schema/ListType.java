package dev.meshwork.core.schema;

/** A list of elements; {@code elementRequired} says whether elements may be null. */
public record ListType(DataType element, boolean elementRequired) implements DataType {

  /** A list whose elements may be null. */
  public static ListType ofOptional(DataType element) {
    return new ListType(element, false);
  }

  /** A list whose elements are never null. */
  public static ListType ofRequired(DataType element) {
    return new ListType(element, true);
  }

  @Override
  public String display() {
    return "list<" + element.display() + ">";
  }
}
