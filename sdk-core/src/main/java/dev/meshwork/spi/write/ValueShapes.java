package dev.meshwork.spi.write;

import dev.meshwork.core.Row;
import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.DecimalType;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.ListType;
import dev.meshwork.core.schema.MapType;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.StructType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The canonical shapes: how untyped {@link Row}s hold values of each schema type. */
public final class ValueShapes {
  private ValueShapes() {}

  /** The canonical shape of a type: rows for structs, lists, maps and boxed scalars. */
  public static ValueShape canonical(DataType type) {
    if (type instanceof StructType st) {
      return rows(st);
    }
    if (type instanceof ListType lt) {
      return new ListShape(lt, canonical(lt.element()));
    }
    if (type instanceof MapType mt) {
      return new MapShape(mt, canonical(mt.key()), canonical(mt.value()));
    }
    return new ScalarShape(type, canonicalClass(type));
  }

  /** The shape of rows with the given fields (no value checks). */
  public static StructShape<Row> rows(StructType struct) {
    List<Member<Row>> members = new ArrayList<>();
    List<String> names = struct.fields().stream().map(Field::name).toList();
    for (Field f : struct.fields()) {
      String name = f.name();
      members.add(
          new Member<>(f, (FieldAccessor.OfObject<Row>) row -> row.get(name), canonical(f.type())));
    }
    return new StructShape<>(
        Row.class,
        struct,
        members,
        values -> {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < values.length; i++) {
            m.put(names.get(i), values[i]);
          }
          return Row.of(m);
        });
  }

  /**
   * A canonical scalar value (as {@link #canonicalClass} says) as the Java type of {@code shape}:
   * enum constants by name, {@code byte[]} for binary, {@code OffsetDateTime} at UTC, {@code short}
   * and {@code byte}; null stays null. The one conversion every read into records goes through.
   *
   * @throws dev.meshwork.core.ContractViolationException when a text is no constant of the enum,
   *     naming {@code path}
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object toJava(ScalarShape shape, Object canonical, String path) {
    if (canonical == null) {
      return null;
    }
    Class<?> target = shape.javaType();
    if (target.isEnum()) {
      String name = canonical.toString();
      try {
        return Enum.valueOf((Class<? extends Enum>) target, name);
      } catch (IllegalArgumentException e) {
        throw new dev.meshwork.core.ContractViolationException(
            "Cannot read field '"
                + path
                + "': '"
                + name
                + "' is not a constant of "
                + target.getSimpleName()
                + "; read it as String or add the constant.");
      }
    }
    if (target == byte[].class && canonical instanceof ByteBuffer b) {
      byte[] out = new byte[b.remaining()];
      b.duplicate().get(out);
      return out;
    }
    if (target == java.time.OffsetDateTime.class && canonical instanceof Instant i) {
      return i.atOffset(java.time.ZoneOffset.UTC);
    }
    if ((target == short.class || target == Short.class) && canonical instanceof Number n) {
      return n.shortValue();
    }
    if ((target == byte.class || target == Byte.class) && canonical instanceof Number n) {
      return n.byteValue();
    }
    return canonical;
  }

  /** The Java class rows use for a scalar type. */
  public static Class<?> canonicalClass(DataType type) {
    if (type instanceof DecimalType) {
      return BigDecimal.class;
    }
    return switch ((PrimitiveType) type) {
      case BOOLEAN -> Boolean.class;
      case INT -> Integer.class;
      case LONG -> Long.class;
      case FLOAT -> Float.class;
      case DOUBLE -> Double.class;
      case STRING -> String.class;
      case BINARY -> ByteBuffer.class;
      case UUID -> UUID.class;
      case DATE -> LocalDate.class;
      case TIME -> LocalTime.class;
      case TIMESTAMP -> LocalDateTime.class;
      case TIMESTAMP_TZ -> Instant.class;
    };
  }
}
