package dev.meshwork.iceberg.internal.parquet;

import org.apache.iceberg.parquet.ColumnWriter;
import org.apache.iceberg.parquet.ParquetValueWriters;
import org.apache.parquet.column.ColumnDescriptor;

/**
 * One Parquet leaf column. Extending Iceberg's primitive writer is the public way to reach its
 * {@link ColumnWriter}, whose typed methods write values without boxing.
 */
abstract class Column extends ParquetValueWriters.PrimitiveWriter<Object> {
  protected final ColumnDescriptor descriptor;

  Column(ColumnDescriptor descriptor) {
    super(descriptor);
    this.descriptor = descriptor;
  }

  final ColumnWriter<Object> out() {
    return column;
  }

  /** Writes a non-null value given as an object. */
  @Override
  public abstract void write(int repetitionLevel, Object value);
}
