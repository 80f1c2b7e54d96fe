package dev.meshwork.core.internal.schema;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.LogicalType;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives a table schema from an ODCS schema object.
 *
 * <p>The logical type decides the family and the physical type (Spark/Hive/SQL names such as {@code
 * int}, {@code bigint}, {@code decimal(10,2)}, {@code timestamp_ntz}) or {@code logicalTypeOptions}
 * refine it:
 *
 * <ul>
 *   <li>integer: {@code int}/{@code integer}/{@code smallint}/{@code tinyint} or format i8..i32,
 *       u8, u16 → int; otherwise long.
 *   <li>number: {@code decimal(p,s)}/{@code numeric(p,s)} → decimal; {@code float}/{@code real} or
 *       format f32 → float; otherwise double.
 *   <li>string: {@code uuid} → uuid; {@code binary}/{@code bytes}/{@code varbinary} or format
 *       binary/byte → binary; otherwise string.
 *   <li>timestamp: {@code timezone: true} or {@code timestamptz}/{@code timestamp_ltz} → timestamp
 *       with zone; otherwise a local timestamp.
 *   <li>object: nested {@code properties} → struct; physical type {@code map<k,v>} → map (or {@code
 *       map} with {@code items} describing the values, keys being strings).
 *   <li>array: {@code items} describes the elements.
 * </ul>
 *
 * A property without a logical type takes it from its physical type. Primary-key properties are
 * required, and become identifier fields in key position order; partitioned properties become the
 * partition spec in key position order, with the transform in custom property {@code
 * partitionTransform} (default identity).
 */
public final class ContractSchemas {
  private static final Pattern DECIMAL =
      Pattern.compile("(?:decimal|numeric|number)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");
  private static final Pattern MAP = Pattern.compile("map\\s*<\\s*([^,]+?)\\s*,\\s*(.+?)\\s*>");

  private ContractSchemas() {}

  /** The schema object a port uses: the only one, or the one named after the port or given. */
  public static SchemaObject schemaObject(
      DataContract contract, String portName, String explicitName) {
    List<SchemaObject> objects = contract.schema();
    if (objects.isEmpty()) {
      throw new ContractViolationException(
          "Contract '"
              + contract.id()
              + "' ("
              + contract.source()
              + ") has no schema objects; add a schema entry describing the port's table.");
    }
    return contract
        .schemaObjectFor(portName, explicitName)
        .orElseThrow(
            () ->
                new ContractViolationException(
                    explicitName != null
                        ? "Port '"
                            + portName
                            + "' names schema object '"
                            + explicitName
                            + "', but contract '"
                            + contract.id()
                            + "' has only "
                            + objects.stream().map(SchemaObject::name).toList()
                        : "Contract '"
                            + contract.id()
                            + "' has several schema objects "
                            + objects.stream().map(SchemaObject::name).toList()
                            + " and none is named after port '"
                            + portName
                            + "'; add custom property 'schemaObject' to the port to choose one."));
  }

  /** The table schema of a schema object; lists every property that cannot be mapped. */
  public static Schema schema(DataContract contract, SchemaObject object) {
    List<String> problems = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    for (SchemaProperty p : object.properties()) {
      DataType t = type(p, object.name() + "." + p.name(), problems);
      if (t != null) {
        fields.add(new Field(p.name(), t, p.required() || p.primaryKey(), p.description()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ContractViolationException(
          "Cannot derive a table schema from contract '"
              + contract.id()
              + "' ("
              + contract.source()
              + ")",
          problems);
    }
    List<String> ids =
        object.properties().stream()
            .filter(SchemaProperty::primaryKey)
            .sorted(Comparator.comparingInt(p -> position(p.primaryKeyPosition())))
            .map(SchemaProperty::name)
            .toList();
    List<PartitionColumn> partitions = new ArrayList<>();
    object.properties().stream()
        .filter(SchemaProperty::partitioned)
        .sorted(Comparator.comparingInt(p -> position(p.partitionKeyPosition())))
        .forEach(
            p -> {
              Object transform = p.customProperty("partitionTransform").orElse("identity");
              try {
                partitions.add(new PartitionColumn(p.name(), String.valueOf(transform)));
              } catch (IllegalArgumentException e) {
                problems.add(object.name() + "." + p.name() + ": " + e.getMessage());
              }
            });
    if (!problems.isEmpty()) {
      throw new ContractViolationException(
          "Cannot derive a table layout from contract '" + contract.id() + "'", problems);
    }
    return new Schema(new StructType(fields), ids, partitions);
  }

  private static int position(int p) {
    return p < 0 ? Integer.MAX_VALUE : p;
  }

  private static DataType type(SchemaProperty p, String path, List<String> problems) {
    String physical =
        p.physicalType() == null ? "" : p.physicalType().trim().toLowerCase(Locale.ROOT);
    LogicalType logical = p.logicalType();
    if (logical == null) {
      Optional<LogicalType> inferred = inferLogical(physical, p);
      if (inferred.isEmpty()) {
        problems.add(
            path
                + ": no logicalType, and physicalType '"
                + (p.physicalType() == null ? "" : p.physicalType())
                + "' is not one Meshwork knows; set logicalType (string, integer, number, boolean, date, timestamp, time, object or array)");
        return null;
      }
      logical = inferred.get();
    }
    Map<String, Object> options = p.logicalTypeOptions();
    String format =
        options.get("format") == null
            ? ""
            : String.valueOf(options.get("format")).toLowerCase(Locale.ROOT);
    switch (logical) {
      case BOOLEAN:
        return PrimitiveType.BOOLEAN;
      case DATE:
        return PrimitiveType.DATE;
      case TIME:
        return PrimitiveType.TIME;
      case TIMESTAMP:
        boolean zoned =
            Boolean.TRUE.equals(options.get("timezone"))
                || physical.startsWith("timestamptz")
                || physical.startsWith("timestamp_ltz")
                || physical.contains("with time zone") && !physical.contains("without");
        return zoned ? PrimitiveType.TIMESTAMP_TZ : PrimitiveType.TIMESTAMP;
      case INTEGER:
        if (physical.matches("int|integer|int32|smallint|tinyint|int16|int8|short|byte|int4|int2")
            || format.matches("i8|i16|i32|u8|u16")) {
          return PrimitiveType.INT;
        }
        if (format.matches("i128|u64|u128")) {
          problems.add(
              path
                  + ": integer format "
                  + format
                  + " does not fit in 64 bits; use number with decimal(38,0)");
          return null;
        }
        return PrimitiveType.LONG;
      case NUMBER:
        Matcher m = DECIMAL.matcher(physical);
        if (m.matches()) {
          int precision = Integer.parseInt(m.group(1));
          int scale = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
          try {
            return new DecimalType(precision, scale);
          } catch (IllegalArgumentException e) {
            problems.add(path + ": " + e.getMessage());
            return null;
          }
        }
        if (physical.matches("float|real|float32|float4") || format.equals("f32")) {
          return PrimitiveType.FLOAT;
        }
        return PrimitiveType.DOUBLE;
      case STRING:
        if (physical.equals("uuid")) {
          return PrimitiveType.UUID;
        }
        if (physical.matches("binary|bytes|varbinary|bytea|blob")
            || format.matches("binary|byte")) {
          return PrimitiveType.BINARY;
        }
        return PrimitiveType.STRING;
      case ARRAY:
        if (p.items() == null) {
          problems.add(path + ": an array needs 'items' describing its elements");
          return null;
        }
        DataType element = type(p.items(), path + "[]", problems);
        return element == null ? null : new ListType(element, p.items().required());
      case OBJECT:
        Matcher mm = MAP.matcher(physical);
        if (mm.matches() || physical.equals("map")) {
          DataType key =
              mm.matches()
                  ? physicalOnly(mm.group(1), path + "{key}", problems)
                  : PrimitiveType.STRING;
          DataType value;
          boolean valueRequired = false;
          if (p.items() != null) {
            value = type(p.items(), path + "{value}", problems);
            valueRequired = p.items().required();
          } else if (mm.matches()) {
            value = physicalOnly(mm.group(2), path + "{value}", problems);
          } else {
            problems.add(
                path
                    + ": a map needs physicalType map<key,value> or 'items' describing its values");
            return null;
          }
          return key == null || value == null ? null : new MapType(key, value, valueRequired);
        }
        if (p.properties().isEmpty()) {
          problems.add(path + ": an object needs nested 'properties' (or physicalType map<k,v>)");
          return null;
        }
        List<Field> fields = new ArrayList<>();
        for (SchemaProperty child : p.properties()) {
          DataType t = type(child, path + "." + child.name(), problems);
          if (t != null) {
            fields.add(
                new Field(
                    child.name(), t, child.required() || child.primaryKey(), child.description()));
          }
        }
        return new StructType(fields);
      default:
        throw new IllegalStateException("unhandled logical type " + logical);
    }
  }

  private static DataType physicalOnly(String physical, String path, List<String> problems) {
    SchemaProperty synthetic =
        new SchemaProperty(
            null, "value", null, physical, null, null, null, Map.of(), false, false, false, -1,
            false, -1, null, null, false, List.of(), null, null, List.of(), List.of(), null,
            List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
    return type(synthetic, path, problems);
  }

  private static Optional<LogicalType> inferLogical(String physical, SchemaProperty p) {
    if (physical.isEmpty()) {
      if (!p.properties().isEmpty()) {
        return Optional.of(LogicalType.OBJECT);
      }
      return p.items() != null ? Optional.of(LogicalType.ARRAY) : Optional.empty();
    }
    if (physical.matches("bool|boolean")) {
      return Optional.of(LogicalType.BOOLEAN);
    }
    if (physical.matches(
        "int|integer|int32|smallint|tinyint|int16|int8|short|byte|int4|int2|bigint|long|int64")) {
      return Optional.of(LogicalType.INTEGER);
    }
    if (physical.matches("float|real|float32|float4|double|double precision|float64|float8")
        || DECIMAL.matcher(physical).matches()) {
      return Optional.of(LogicalType.NUMBER);
    }
    if (physical.matches(
        "(var)?char(\\s*\\(\\d+\\))?|varchar2?(\\s*\\(\\d+\\))?|string|text|uuid|binary|bytes|varbinary|bytea|blob")) {
      return Optional.of(LogicalType.STRING);
    }
    if (physical.equals("date")) {
      return Optional.of(LogicalType.DATE);
    }
    if (physical.startsWith("timestamp") || physical.equals("datetime")) {
      return Optional.of(LogicalType.TIMESTAMP);
    }
    if (physical.startsWith("time")) {
      return Optional.of(LogicalType.TIME);
    }
    if (physical.startsWith("map")) {
      return Optional.of(LogicalType.OBJECT);
    }
    return Optional.empty();
  }
}
