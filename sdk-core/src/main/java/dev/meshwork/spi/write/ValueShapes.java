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
