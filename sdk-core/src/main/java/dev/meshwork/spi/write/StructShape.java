package dev.meshwork.spi.write;

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
  private final java.util.function.UnaryOperator<T> retainer;

  /** A shape; {@code type} lists exactly the members' fields. */
  public StructShape(
      Class<T> javaType, StructType type, List<Member<T>> members, Function<Object[], T> factory) {
    this(javaType, type, members, factory, java.util.function.UnaryOperator.identity());
  }

  /**
   * A shape whose values are views that change after the call that passed them returns (rows of a
   * reused batch): {@code retainer} copies one into a value that stays as it is.
   */
  public StructShape(
      Class<T> javaType,
      StructType type,
      List<Member<T>> members,
      Function<Object[], T> factory,
      java.util.function.UnaryOperator<T> retainer) {
    this.javaType = javaType;
    this.type = type;
    this.members = List.copyOf(members);
    this.factory = factory;
    this.retainer = retainer;
  }

  /**
   * A value to keep beyond the call that received it: the value itself, or a copy when values are
   * views of a reused batch. Writers that hold values back (to sample them) keep this instead.
   */
  public T retain(T value) {
    return retainer.apply(value);
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
