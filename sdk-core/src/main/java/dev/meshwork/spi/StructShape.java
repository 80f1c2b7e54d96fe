package dev.meshwork.spi;

import dev.meshwork.core.schema.StructType;
import java.util.List;
import java.util.function.Function;

/**
 * A struct held as a Java type {@code T} (a record, or {@code Row}): its members in schema order
 * and a factory that builds a {@code T} from member values in the same order.
 */
public final class StructShape<T> implements ValueShape {
  private final Class<T> javaType;
  private final StructType type;
  private final List<Member<T>> members;
  private final Function<Object[], T> factory;

  /** A shape; {@code type} lists exactly the members' fields. */
  public StructShape(
      Class<T> javaType, StructType type, List<Member<T>> members, Function<Object[], T> factory) {
    this.javaType = javaType;
    this.type = type;
    this.members = List.copyOf(members);
    this.factory = factory;
  }

  /** The Java type. */
  public Class<T> javaType() {
    return javaType;
  }

  @Override
  public StructType type() {
    return type;
  }

  /** The members, in the order of {@link #type()}'s fields. */
  public List<Member<T>> members() {
    return members;
  }

  /** Builds a value from member values given in member order. */
  public T create(Object[] values) {
    return factory.apply(values);
  }

  @Override
  public String toString() {
    return "StructShape[" + javaType.getSimpleName() + " as " + type.display() + "]";
  }
}
