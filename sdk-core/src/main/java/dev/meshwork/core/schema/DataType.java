package dev.meshwork.core.schema;

/** The type of a field: a primitive, a decimal, or a nested struct, list or map. */
public sealed interface DataType permits PrimitiveType, DecimalType, StructType, ListType, MapType {

  /** A readable name such as {@code long}, {@code decimal(10,2)} or {@code list<string>}. */
  String display();
}
