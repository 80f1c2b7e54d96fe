package dev.meshwork.iceberg.internal.parquet;

import dev.meshwork.core.StoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A range of a data file opened to decode some of its columns, found by Iceberg field id, each with
 * what its decoder needs ({@code H}); a column the file lacks (added to the table later) has none
 * and reads as nulls.
 */
final class FileColumns<H> {
  final ParquetFileReader reader;
  final MessageType fileSchema;
  final MessageType projection;
  final PrimitiveType[] physical;
  final ColumnDescriptor[] descriptors;
  final H[] how;

  private FileColumns(
      ParquetFileReader reader,
      MessageType fileSchema,
      MessageType projection,
      PrimitiveType[] physical,
      ColumnDescriptor[] descriptors,
      H[] how) {
    this.reader = reader;
    this.fileSchema = fileSchema;
    this.projection = projection;
    this.physical = physical;
    this.descriptors = descriptors;
    this.how = how;
  }

  /**
   * Opens the row groups of {@code file} whose middle lies in [{@code start}, {@code start +
   * length}) and finds the columns of {@code fieldIds}; {@code how} says how column {@code i} of
   * its physical type is decoded (null: not here). Empty, with nothing left open, when the file has
   * no field ids (an imported file, read through the table's name mapping) or a column is nested,
   * of a type {@code how} refuses, or of an encoding not decoded here.
   */
  static <H> Optional<FileColumns<H>> open(
      org.apache.iceberg.io.InputFile file,
      long start,
      long length,
      int[] fieldIds,
      BiFunction<Integer, PrimitiveType, H> how,
      IntFunction<H[]> array,
      String what) {
    ParquetFileReader reader;
    try {
      reader =
          ParquetFileReader.open(
              new ShapeReader.Input(file),
              ParquetReadOptions.builder(new org.apache.parquet.conf.PlainParquetConfiguration())
                  .withRange(start, start + length)
                  .withCodecFactory(new PageDecompressors())
                  .build());
    } catch (IOException e) {
      throw new StoreException("Cannot open " + what + ": " + e.getMessage(), e);
    }
    try {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      if (fileSchema.getFields().stream().anyMatch(f -> f.getId() == null)) {
        ShapeReader.close(reader, what);
        return Optional.empty();
      }
      H[] hows = array.apply(fieldIds.length);
      PrimitiveType[] physical = new PrimitiveType[fieldIds.length];
      List<Type> requested = new ArrayList<>();
      for (int i = 0; i < fieldIds.length; i++) {
        Type column = ShapeReader.column(fileSchema, fieldIds[i]);
        if (column == null) {
          continue;
        }
        H h =
            !column.isPrimitive() || column.isRepetition(Type.Repetition.REPEATED)
                ? null
                : how.apply(i, column.asPrimitiveType());
        if (h == null || !ShapeReader.decodable(reader, column.getName())) {
          ShapeReader.close(reader, what);
          return Optional.empty();
        }
        hows[i] = h;
        physical[i] = column.asPrimitiveType();
        requested.add(column);
      }
      MessageType projection = new MessageType(fileSchema.getName(), requested);
      ColumnDescriptor[] descriptors = new ColumnDescriptor[fieldIds.length];
      for (int i = 0; i < fieldIds.length; i++) {
        descriptors[i] =
            physical[i] == null
                ? null
                : projection.getColumnDescription(new String[] {physical[i].getName()});
      }
      return Optional.of(
          new FileColumns<>(reader, fileSchema, projection, physical, descriptors, hows));
    } catch (RuntimeException e) {
      ShapeReader.closeQuietly(reader, e);
      throw e;
    }
  }

  /** A stream of an iterator's elements that runs {@code close} when closed. */
  static <T> Stream<T> stream(Iterator<T> it, Runnable close) {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(close);
  }
}
