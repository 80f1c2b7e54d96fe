package dev.meshwork.iceberg.internal;

import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.DecimalType;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.ListType;
import dev.meshwork.core.schema.MapType;
import dev.meshwork.core.schema.PartitionColumn;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.core.schema.StructType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** Converts between Meshwork schemas and Iceberg schemas and partition specs. */
public final class IcebergSchemas {
  private static final Pattern WITH_ARG = Pattern.compile("(bucket|truncate)\\[(\\d+)]");

  private IcebergSchemas() {}

  /** An Iceberg schema with fresh field ids and identifier fields from the primary key. */
  public static org.apache.iceberg.Schema toIceberg(Schema schema) {
    AtomicInteger ids = new AtomicInteger();
    List<Types.NestedField> top = new ArrayList<>();
    // Top-level columns take ids 1..n first, as Iceberg's own schema builders do.
    int[] topIds = new int[schema.fields().size()];
    for (int i = 0; i < topIds.length; i++) {
      topIds[i] = ids.incrementAndGet();
    }
    for (int i = 0; i < topIds.length; i++) {
      Field f = schema.fields().get(i);
      top.add(field(topIds[i], f.name(), f.required(), convert(f.type(), ids), f.description()));
    }
    Set<Integer> identifiers = new HashSet<>();
    for (String name : schema.identifierFields()) {
      top.stream().filter(f -> f.name().equals(name)).forEach(f -> identifiers.add(f.fieldId()));
    }
    return new org.apache.iceberg.Schema(top, identifiers);
  }

  private static Types.NestedField field(
      int id, String name, boolean required, Type type, String doc) {
    return required
        ? Types.NestedField.required(id, name, type, doc)
        : Types.NestedField.optional(id, name, type, doc);
  }

  private static Type convert(DataType type, AtomicInteger ids) {
    if (type instanceof DecimalType d) {
      return Types.DecimalType.of(d.precision(), d.scale());
    }
    if (type instanceof StructType s) {
      int[] childIds = new int[s.fields().size()];
      for (int i = 0; i < childIds.length; i++) {
        childIds[i] = ids.incrementAndGet();
      }
      List<Types.NestedField> fields = new ArrayList<>();
      for (int i = 0; i < childIds.length; i++) {
        Field f = s.fields().get(i);
        fields.add(
            field(childIds[i], f.name(), f.required(), convert(f.type(), ids), f.description()));
      }
      return Types.StructType.of(fields);
    }
    if (type instanceof ListType l) {
      int elementId = ids.incrementAndGet();
      Type element = convert(l.element(), ids);
      return l.elementRequired()
          ? Types.ListType.ofRequired(elementId, element)
          : Types.ListType.ofOptional(elementId, element);
    }
    if (type instanceof MapType m) {
      int keyId = ids.incrementAndGet();
      int valueId = ids.incrementAndGet();
      Type key = convert(m.key(), ids);
      Type value = convert(m.value(), ids);
      return m.valueRequired()
          ? Types.MapType.ofRequired(keyId, valueId, key, value)
          : Types.MapType.ofOptional(keyId, valueId, key, value);
    }
    return switch ((PrimitiveType) type) {
      case BOOLEAN -> Types.BooleanType.get();
      case INT -> Types.IntegerType.get();
      case LONG -> Types.LongType.get();
      case FLOAT -> Types.FloatType.get();
      case DOUBLE -> Types.DoubleType.get();
      case STRING -> Types.StringType.get();
      case BINARY -> Types.BinaryType.get();
      case UUID -> Types.UUIDType.get();
      case DATE -> Types.DateType.get();
      case TIME -> Types.TimeType.get();
      case TIMESTAMP -> Types.TimestampType.withoutZone();
      case TIMESTAMP_TZ -> Types.TimestampType.withZone();
    };
  }

  /** The Meshwork view of an Iceberg schema (types the contract model cannot express are named). */
  public static Schema fromIceberg(org.apache.iceberg.Schema schema) {
    List<Field> fields = new ArrayList<>();
    for (Types.NestedField f : schema.columns()) {
      fields.add(new Field(f.name(), fromIceberg(f.type()), f.isRequired(), f.doc()));
    }
    return Schema.of(fields);
  }

  /** The Meshwork type of an Iceberg type. */
  public static DataType dataType(Type type) {
    return fromIceberg(type);
  }

  private static DataType fromIceberg(Type type) {
    switch (type.typeId()) {
      case BOOLEAN:
        return PrimitiveType.BOOLEAN;
      case INTEGER:
        return PrimitiveType.INT;
      case LONG:
        return PrimitiveType.LONG;
      case FLOAT:
        return PrimitiveType.FLOAT;
      case DOUBLE:
        return PrimitiveType.DOUBLE;
      case STRING:
        return PrimitiveType.STRING;
      case BINARY:
      case FIXED:
        return PrimitiveType.BINARY;
      case UUID:
        return PrimitiveType.UUID;
      case DATE:
        return PrimitiveType.DATE;
      case TIME:
        return PrimitiveType.TIME;
      case TIMESTAMP:
        return ((Types.TimestampType) type).shouldAdjustToUTC()
            ? PrimitiveType.TIMESTAMP_TZ
            : PrimitiveType.TIMESTAMP;
      case DECIMAL:
        Types.DecimalType d = (Types.DecimalType) type;
        return new DecimalType(d.precision(), d.scale());
      case STRUCT:
        List<Field> fields = new ArrayList<>();
        for (Types.NestedField f : type.asStructType().fields()) {
          fields.add(new Field(f.name(), fromIceberg(f.type()), f.isRequired(), f.doc()));
        }
        return new StructType(fields);
      case LIST:
        Types.ListType l = type.asListType();
        return new ListType(fromIceberg(l.elementType()), l.isElementRequired());
      case MAP:
        Types.MapType m = type.asMapType();
        return new MapType(
            fromIceberg(m.keyType()), fromIceberg(m.valueType()), m.isValueRequired());
      default:
        // Types Meshwork contracts cannot declare (variant, geometry, nanosecond timestamps):
        // reported as binary so that a contract expecting anything else sees a clear mismatch.
        return PrimitiveType.BINARY;
    }
  }

  /** The partition spec of a schema's partition columns. */
  public static PartitionSpec partitionSpec(
      org.apache.iceberg.Schema schema, List<PartitionColumn> columns) {
    if (columns.isEmpty()) {
      return PartitionSpec.unpartitioned();
    }
    PartitionSpec.Builder b = PartitionSpec.builderFor(schema);
    for (PartitionColumn c : columns) {
      Matcher m = WITH_ARG.matcher(c.transform());
      if (m.matches()) {
        int n = Integer.parseInt(m.group(2));
        if (m.group(1).equals("bucket")) {
          b.bucket(c.column(), n);
        } else {
          b.truncate(c.column(), n);
        }
        continue;
      }
      switch (c.transform()) {
        case "year" -> b.year(c.column());
        case "month" -> b.month(c.column());
        case "day" -> b.day(c.column());
        case "hour" -> b.hour(c.column());
        default -> b.identity(c.column());
      }
    }
    return b.build();
  }
}
