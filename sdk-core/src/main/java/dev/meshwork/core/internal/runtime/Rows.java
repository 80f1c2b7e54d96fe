package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.Row;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.ListShape;
import dev.meshwork.spi.write.MapShape;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShape;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Copies typed values into untyped rows with canonical Java types (for quarantine tables). */
final class Rows {
  private Rows() {}

  static <T> Map<String, Object> values(StructShape<T> shape, T value) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Member<T> m : shape.members()) {
      out.put(m.field().name(), canonical(m.shape(), FieldAccessor.readBoxed(m.accessor(), value)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object canonical(ValueShape shape, Object v) {
    if (v == null) {
      return null;
    }
    if (shape instanceof StructShape<?> s) {
      return v instanceof Row r ? r : Row.of(values((StructShape<Object>) s, v));
    }
    if (shape instanceof ListShape l) {
      List<Object> out = new ArrayList<>();
      for (Object e : (List<?>) v) {
        out.add(canonical(l.element(), e));
      }
      return out;
    }
    if (shape instanceof MapShape m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, x) -> out.put(canonical(m.key(), k), canonical(m.value(), x)));
      return out;
    }
    if (v instanceof Enum<?> e) {
      return e.name();
    }
    if (v instanceof Short s) {
      return s.intValue();
    }
    if (v instanceof Byte b) {
      return b.intValue();
    }
    if (v instanceof byte[] b) {
      return ByteBuffer.wrap(b);
    }
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    return v;
  }
}
