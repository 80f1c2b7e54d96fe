package dev.meshwork.iceberg.internal;

import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.spi.write.ListShape;
import dev.meshwork.spi.write.MapShape;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.ScalarShape;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShape;
import dev.meshwork.spi.write.ValueShapes;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;

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
    // Iceberg's generic values made canonical, then the one conversion to the record's types.
    Object canonical = v;
    if (s.type() == PrimitiveType.STRING) {
      canonical = v.toString();
    } else if (s.type() == PrimitiveType.BINARY && v instanceof byte[] bytes) {
      canonical = ByteBuffer.wrap(bytes);
    } else if (s.type() == PrimitiveType.TIMESTAMP_TZ && v instanceof OffsetDateTime o) {
      canonical = o.toInstant();
    }
    return ValueShapes.toJava(s, canonical, path);
  }
}
