package dev.meshwork.core.schema;

import java.util.List;
import java.util.Optional;

/** The schema of a port's table: its top-level fields, with the layout the store should use. */
public record Schema(
    StructType struct, List<String> identifierFields, List<PartitionColumn> partitioning) {

  /** Copies the lists and checks that layout columns exist. */
  public Schema {
    identifierFields = List.copyOf(identifierFields);
    partitioning = List.copyOf(partitioning);
    for (String id : identifierFields) {
      Field f =
          struct
              .field(id)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException("identifier field " + id + " is not a column"));
      if (!f.required()) {
        throw new IllegalArgumentException("identifier field " + id + " must be required");
      }
    }
    for (PartitionColumn p : partitioning) {
      if (struct.field(p.column()).isEmpty()) {
        throw new IllegalArgumentException("partition column " + p.column() + " is not a column");
      }
    }
  }

  /** A schema with no identifier fields and no partitioning. */
  public static Schema of(List<Field> fields) {
    return new Schema(new StructType(fields), List.of(), List.of());
  }

  /** The top-level fields. */
  public List<Field> fields() {
    return struct.fields();
  }

  /** The top-level field with this name, if any. */
  public Optional<Field> field(String name) {
    return struct.field(name);
  }
}
