package dev.meshwork.iceberg.internal;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.spi.write.ListShape;
import dev.meshwork.spi.write.MapShape;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.ScalarShape;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShape;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.util.ByteBuffers;

/** Converts Iceberg generic values into the Java types of a shape. */
final class ValueReaders {
  private ValueReaders() {}

  static <T> T struct(StructShape<T> shape, Record record) {
    List<Member<T>> members = shape.members();
    Object[] values = new Object[members.size()];
    for (int i = 0; i < values.length; i++) {
      Member<T> m = members.get(i);
      values[i] = value(m.shape(), record.getField(m.field().name()), m.field().name());
    }
    return shape.create(values);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object value(ValueShape shape, Object v, String path) {
    if (v == null) {
      return null;
    }
    if (shape instanceof StructShape<?> s) {
      return struct(s, (Record) v);
    }
    if (shape instanceof ListShape l) {
      List<Object> out = new ArrayList<>();
      for (Object e : (List<?>) v) {
        out.add(value(l.element(), e, path + "[]"));
      }
      return out;
    }
    if (shape instanceof MapShape m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        out.put(value(m.key(), e.getKey(), path), value(m.value(), e.getValue(), path));
      }
      return out;
    }
    ScalarShape s = (ScalarShape) shape;
    Class<?> target = s.javaType();
    if (target.isEnum()) {
      String name = v.toString();
      try {
        return Enum.valueOf((Class<? extends Enum>) target, name);
      } catch (IllegalArgumentException e) {
        throw new ContractViolationException(
            "Cannot read field '"
                + path
                + "': '"
                + name
                + "' is not a constant of "
                + target.getSimpleName()
                + "; read it as String or add the constant.");
      }
    }
    if (s.type() == PrimitiveType.STRING) {
      return v.toString();
    }
    if (s.type() == PrimitiveType.BINARY) {
      ByteBuffer b = v instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : (ByteBuffer) v;
      return target == byte[].class ? ByteBuffers.toByteArray(b) : b;
    }
    if (s.type() == PrimitiveType.TIMESTAMP_TZ) {
      OffsetDateTime o = (OffsetDateTime) v;
      return target == Instant.class ? o.toInstant() : o;
    }
    if (target == short.class || target == Short.class) {
      return ((Number) v).shortValue();
    }
    if (target == byte.class || target == Byte.class) {
      return ((Number) v).byteValue();
    }
    return v;
  }
}
