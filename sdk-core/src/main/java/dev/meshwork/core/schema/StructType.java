package dev.meshwork.core.schema;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A nested record type: an ordered list of uniquely named fields. */
public record StructType(List<Field> fields) implements DataType {

  /** Copies the fields and rejects duplicate names. */
  public StructType {
    fields = List.copyOf(fields);
    long distinct = fields.stream().map(Field::name).distinct().count();
    if (distinct != fields.size()) {
      throw new IllegalArgumentException(
          "struct field names must be unique, but were "
              + fields.stream().map(Field::name).toList());
    }
  }

  /** The field with this exact name, if any. */
  public Optional<Field> field(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  @Override
  public String display() {
    return fields.stream()
        .map(f -> f.name() + ":" + f.type().display())
        .collect(Collectors.joining(",", "struct<", ">"));
  }
}
