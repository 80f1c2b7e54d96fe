package dev.meshwork.core.internal.binding;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.MeshField;
import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.Row;
import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.DecimalType;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.ListType;
import dev.meshwork.core.schema.MapType;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.ListShape;
import dev.meshwork.spi.write.MapShape;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.ScalarShape;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShape;
import dev.meshwork.spi.write.ValueShapes;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks Java types against contract schemas and builds the shapes that stores use to write and
 * read them. Every mismatch is collected, so the user sees all of them at once.
 */
public final class RecordShapes {
  /** Shapes kept per record type: binding spins accessor classes, and every run binds its ports. */
  private static final int KEPT_PER_TYPE = 32;

  private static final ClassValue<java.util.Map<ShapeKey, StructShape<?>>> BOUND =
      new ClassValue<>() {
        @Override
        protected java.util.Map<ShapeKey, StructShape<?>> computeValue(Class<?> type) {
          return new java.util.concurrent.ConcurrentHashMap<>();
        }
      };

  private record ShapeKey(StructType struct, Direction direction) {}

  private RecordShapes() {}

  /**
   * The shape of record type {@code type} for a port with schema {@code struct}.
   *
   * @throws ContractViolationException listing every difference when they do not match
   */
  public static <T> StructShape<T> forRecord(
      Class<T> type, StructType struct, Direction direction, String portDescription) {
    if (type == Row.class) {
      @SuppressWarnings("unchecked")
      StructShape<T> rows = (StructShape<T>) forRows(struct, direction);
      return rows;
    }
    java.util.Map<ShapeKey, StructShape<?>> bound = BOUND.get(type);
    ShapeKey key = new ShapeKey(struct, direction);
    @SuppressWarnings("unchecked")
    StructShape<T> known = (StructShape<T>) bound.get(key);
    if (known != null) {
      return known;
    }
    List<String> problems = new ArrayList<>();
    StructShape<T> shape = record(type, struct, direction, "", problems);
    if (problems.isEmpty()) {
      if (bound.size() >= KEPT_PER_TYPE) {
        bound.clear();
      }
      bound.put(key, shape);
    }
    if (!problems.isEmpty()) {
      throw new ContractViolationException(
          "Cannot bind "
              + type.getName()
              + " to "
              + portDescription
              + ": it does not match the contract ("
              + problems.size()
              + " difference"
              + (problems.size() == 1 ? "" : "s")
              + ")",
          problems);
    }
    return shape;
  }

  /** The shape of untyped {@link Row}s for a schema; writes check each value's Java type. */
  public static StructShape<Row> forRows(StructType struct, Direction direction) {
    StructShape<Row> plain = ValueShapes.rows(struct);
    if (direction == Direction.READ) {
      return plain;
    }
    List<Member<Row>> members = new ArrayList<>();
    for (Member<Row> m : plain.members()) {
      Field f = m.field();
      ValueShape shape = m.shape();
      members.add(
          new Member<>(
              f, (FieldAccessor.OfObject<Row>) row -> checked(row, f.name(), f, shape), shape));
    }
    return new StructShape<>(Row.class, struct, members, plain::create);
  }

  private static Object checked(Row row, String name, Field field, ValueShape shape) {
    Object v = row.get(name);
    if (v == null || !(shape instanceof ScalarShape s) || s.javaType().isInstance(v)) {
      return v;
    }
    throw new ContractViolationException(
        "Cannot write row: field '"
            + name
            + "' is "
            + field.type().display()
            + " and takes a "
            + s.javaType().getSimpleName()
            + ", but the row holds a "
            + v.getClass().getSimpleName()
            + " ("
            + v
            + "). Convert the value before writing.");
  }

  private static <T> StructShape<T> record(
      Class<T> type, StructType struct, Direction direction, String path, List<String> problems) {
    if (!type.isRecord()) {
      problems.add(
          at(path)
              + type.getName()
              + " is not a record; ports are typed by Java records (or use Row for untyped access)");
      return null;
    }
    RecordComponent[] components = type.getRecordComponents();
    Field[] matchedField = new Field[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent rc = components[i];
      Optional<Field> field = match(rc, struct);
      if (field.isEmpty()) {
        problems.add(
            at(path)
                + "component '"
                + rc.getName()
                + "' of "
                + type.getSimpleName()
                + " matches no contract field; fields are "
                + struct.fields().stream().map(Field::name).collect(Collectors.joining(", "))
                + " (name it after one, or annotate it with @MeshField)");
      } else {
        matchedField[i] = field.get();
      }
    }
    List<Member<T>> members = new ArrayList<>();
    List<Integer> constructorPosition = new ArrayList<>();
    for (Field f : struct.fields()) {
      int idx = indexOf(matchedField, f);
      String fieldPath = path.isEmpty() ? f.name() : path + "." + f.name();
      if (idx < 0) {
        if (direction == Direction.WRITE && f.required()) {
          problems.add(
              at(path)
                  + "required contract field '"
                  + f.name()
                  + "' ("
                  + f.type().display()
                  + ") has no component in "
                  + type.getSimpleName()
                  + "; add one named '"
                  + f.name()
                  + "' or its camelCase form");
        } else if (direction == Direction.WRITE) {
          members.add(
              new Member<>(
                  f, (FieldAccessor.OfObject<T>) t -> null, ValueShapes.canonical(f.type())));
          constructorPosition.add(-1);
        }
        continue;
      }
      RecordComponent rc = components[idx];
      ValueShape shape =
          shape(rc.getType(), rc.getGenericType(), f.type(), direction, fieldPath, problems);
      if (rc.getType().isPrimitive() && !f.required() && direction == Direction.READ) {
        problems.add(
            at(fieldPath)
                + "the contract allows null, but component '"
                + rc.getName()
                + "' is primitive "
                + rc.getType()
                + "; use "
                + boxed(rc.getType()).getSimpleName()
                + " instead");
      }
      if (shape != null) {
        members.add(new Member<>(f, Accessors.forGetter(type, rc.getAccessor()), shape));
        constructorPosition.add(idx);
      }
    }
    if (!problems.isEmpty()) {
      return null;
    }
    StructType bound = new StructType(members.stream().map(Member::field).toList());
    return new StructShape<>(type, bound, members, factory(type, components, constructorPosition));
  }

  private static int indexOf(Field[] matched, Field f) {
    for (int i = 0; i < matched.length; i++) {
      if (matched[i] == f) {
        return i;
      }
    }
    return -1;
  }

  private static Optional<Field> match(RecordComponent rc, StructType struct) {
    MeshField explicit = rc.getAnnotation(MeshField.class);
    if (explicit != null) {
      return struct.field(explicit.value());
    }
    Optional<Field> exact = struct.field(rc.getName());
    if (exact.isPresent()) {
      return exact;
    }
    return struct.fields().stream().filter(f -> Naming.matches(rc.getName(), f.name())).findFirst();
  }

  private static ValueShape shape(
      Class<?> raw,
      Type generic,
      DataType type,
      Direction direction,
      String path,
      List<String> problems) {
    if (type instanceof StructType st) {
      return record(raw, st, direction, path, problems);
    }
    if (type instanceof ListType lt) {
      if (!List.class.isAssignableFrom(raw) || raw != List.class && direction == Direction.READ) {
        problems.add(
            at(path)
                + "is "
                + type.display()
                + " in the contract, but the component is "
                + raw.getSimpleName()
                + "; use List<...>");
        return null;
      }
      Type element = typeArgument(generic, 0);
      if (element == null) {
        problems.add(at(path) + "declare the element type, e.g. List<String>");
        return null;
      }
      ValueShape e =
          shape(rawClass(element), element, lt.element(), direction, path + "[]", problems);
      return e == null ? null : new ListShape(lt, e);
    }
    if (type instanceof MapType mt) {
      if (!Map.class.isAssignableFrom(raw) || raw != Map.class && direction == Direction.READ) {
        problems.add(
            at(path)
                + "is "
                + type.display()
                + " in the contract, but the component is "
                + raw.getSimpleName()
                + "; use Map<...>");
        return null;
      }
      Type k = typeArgument(generic, 0);
      Type v = typeArgument(generic, 1);
      if (k == null || v == null) {
        problems.add(at(path) + "declare the key and value types, e.g. Map<String, Long>");
        return null;
      }
      ValueShape ks = shape(rawClass(k), k, mt.key(), direction, path + "{key}", problems);
      ValueShape vs = shape(rawClass(v), v, mt.value(), direction, path + "{value}", problems);
      return ks == null || vs == null ? null : new MapShape(mt, ks, vs);
    }
    if (!scalarFits(type, raw)) {
      problems.add(
          at(path)
              + "is "
              + type.display()
              + " in the contract, but the component is "
              + raw.getSimpleName()
              + "; use "
              + javaChoices(type));
      return null;
    }
    return new ScalarShape(type, raw);
  }

  /** The Java classes each scalar type accepts, in the order error messages suggest them. */
  private static final Map<PrimitiveType, List<Class<?>>> ACCEPTED =
      new EnumMap<>(PrimitiveType.class);

  static {
    ACCEPTED.put(PrimitiveType.BOOLEAN, List.of(boolean.class, Boolean.class));
    ACCEPTED.put(
        PrimitiveType.INT,
        List.of(int.class, Integer.class, short.class, Short.class, byte.class, Byte.class));
    ACCEPTED.put(PrimitiveType.LONG, List.of(long.class, Long.class));
    ACCEPTED.put(PrimitiveType.FLOAT, List.of(float.class, Float.class));
    ACCEPTED.put(PrimitiveType.DOUBLE, List.of(double.class, Double.class));
    ACCEPTED.put(PrimitiveType.STRING, List.of(String.class, Enum.class));
    ACCEPTED.put(PrimitiveType.BINARY, List.of(byte[].class, ByteBuffer.class));
    ACCEPTED.put(PrimitiveType.UUID, List.of(UUID.class));
    ACCEPTED.put(PrimitiveType.DATE, List.of(LocalDate.class));
    ACCEPTED.put(PrimitiveType.TIME, List.of(LocalTime.class));
    ACCEPTED.put(PrimitiveType.TIMESTAMP, List.of(LocalDateTime.class));
    ACCEPTED.put(PrimitiveType.TIMESTAMP_TZ, List.of(Instant.class, OffsetDateTime.class));
  }

  private static List<Class<?>> accepted(DataType type) {
    return type instanceof DecimalType
        ? List.of(BigDecimal.class)
        : ACCEPTED.get((PrimitiveType) type);
  }

  private static boolean scalarFits(DataType type, Class<?> raw) {
    return accepted(type).stream().anyMatch(c -> c == raw || (c == Enum.class && raw.isEnum()));
  }

  private static String javaChoices(DataType type) {
    List<String> names =
        accepted(type).stream()
            .filter(c -> c != short.class && c != Short.class && c != byte.class && c != Byte.class)
            .map(c -> c == Enum.class ? "an enum" : c.getSimpleName())
            .toList();
    return names.size() == 1
        ? names.get(0)
        : String.join(", ", names.subList(0, names.size() - 1))
            + " or "
            + names.get(names.size() - 1);
  }

  private static Type typeArgument(Type generic, int i) {
    if (generic instanceof ParameterizedType p && p.getActualTypeArguments().length > i) {
      Type t = p.getActualTypeArguments()[i];
      return t instanceof Class<?> || t instanceof ParameterizedType ? t : null;
    }
    return null;
  }

  private static Class<?> rawClass(Type t) {
    return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
  }

  private static Class<?> boxed(Class<?> primitive) {
    return MethodHandles.zero(primitive).type().wrap().returnType();
  }

  private static String at(String path) {
    return path.isEmpty() ? "" : path + ": ";
  }

  private static <T> Function<Object[], T> factory(
      Class<T> type, RecordComponent[] components, List<Integer> positions) {
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    MethodHandle ctor;
    try {
      Constructor<T> c = type.getDeclaredConstructor(types);
      c.setAccessible(true);
      ctor =
          MethodHandles.lookup().unreflectConstructor(c).asSpreader(Object[].class, types.length);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new MeshworkException(
          "Cannot use the canonical constructor of " + type.getName() + ": " + e.getMessage(), e);
    }
    int[] pos = positions.stream().mapToInt(Integer::intValue).toArray();
    int n = types.length;
    return values -> {
      Object[] args = new Object[n];
      for (int i = 0; i < pos.length; i++) {
        if (pos[i] >= 0) {
          args[pos[i]] = values[i];
        }
      }
      for (int i = 0; i < n; i++) {
        if (args[i] == null && types[i].isPrimitive()) {
          args[i] = defaultOf(types[i]);
        }
      }
      try {
        return type.cast(ctor.invoke(args));
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new MeshworkException("Cannot create " + type.getName() + ": " + e, e);
      }
    };
  }

  private static Object defaultOf(Class<?> primitive) {
    try {
      return MethodHandles.zero(primitive).invoke();
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
