package dev.meshwork.core.internal.schema;

import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.ListType;
import dev.meshwork.core.schema.MapType;
import dev.meshwork.core.schema.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Compares what a reader expects with what a table provides. */
public final class SchemaCompatibility {
  private SchemaCompatibility() {}

  /** Every way in which {@code actual} fails to provide the fields of {@code wanted}. */
  public static List<String> readDifferences(StructType wanted, StructType actual) {
    List<String> out = new ArrayList<>();
    compare("", wanted, actual, out);
    return out;
  }

  private static void compare(String path, StructType wanted, StructType actual, List<String> out) {
    for (Field w : wanted.fields()) {
      String p = path.isEmpty() ? w.name() : path + "." + w.name();
      Optional<Field> a = actual.field(w.name());
      if (a.isEmpty()) {
        out.add(p + ": the table has no such column");
        continue;
      }
      if (w.required() && !a.get().required()) {
        out.add(p + ": required in the contract, but the table allows null");
      }
      compareTypes(p, w.type(), a.get().type(), out);
    }
  }

  private static void compareTypes(String p, DataType w, DataType a, List<String> out) {
    if (w instanceof StructType ws && a instanceof StructType as) {
      compare(p, ws, as, out);
    } else if (w instanceof ListType wl && a instanceof ListType al) {
      compareTypes(p + "[]", wl.element(), al.element(), out);
    } else if (w instanceof MapType wm && a instanceof MapType am) {
      compareTypes(p + "{key}", wm.key(), am.key(), out);
      compareTypes(p + "{value}", wm.value(), am.value(), out);
    } else if (!w.equals(a)) {
      out.add(p + ": the contract says " + w.display() + ", the table has " + a.display());
    }
  }
}
