package dev.meshwork.spi;

import dev.meshwork.core.schema.StructType;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An {@link InputTable} that decodes flat columns a batch at a time straight into Arrow's layout,
 * for input ports read as Arrow batches without a policy's masks or row filters. Optional: without
 * it, batches are filled from rows.
 */
public interface ColumnarReads {
  /**
   * The rows of {@code scan} as batches of the columns {@code columns} (top-level columns of the
   * table, of scalar types), at most {@code batchRows} rows each, refilled in one {@link
   * ColumnBatch} whose widths {@link #widthOf} gives; empty when this scan cannot be read column by
   * column (row-level deletes, a type not decoded here): the caller then reads rows. Close the
   * stream.
   */
  Optional<Stream<ColumnBatch>> readColumns(StructType columns, Scan scan, int batchRows);

  /**
   * The width a column of {@code type} has in a {@link ColumnBatch}: bytes, {@link
   * ColumnBatch#BITS} or {@link ColumnBatch#VARIABLE}; empty for types read as rows.
   */
  static java.util.OptionalInt widthOf(dev.meshwork.core.schema.DataType type) {
    if (!(type instanceof dev.meshwork.core.schema.PrimitiveType p)) {
      return java.util.OptionalInt.empty();
    }
    return switch (p) {
      case LONG, DOUBLE, TIMESTAMP, TIMESTAMP_TZ, TIME -> java.util.OptionalInt.of(8);
      case INT, FLOAT, DATE -> java.util.OptionalInt.of(4);
      case BOOLEAN -> java.util.OptionalInt.of(ColumnBatch.BITS);
      case STRING, BINARY -> java.util.OptionalInt.of(ColumnBatch.VARIABLE);
      case UUID -> java.util.OptionalInt.of(16);
    };
  }
}
