package dev.meshwork.iceberg.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Row;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.write.ValueShapes;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;

/**
 * Meshwork's direct decoder against Iceberg's generic reader on the same files: every flat type,
 * nulls, NaN, extremes, dictionary and plain pages, one or several row groups, files written by
 * Meshwork and by Iceberg's own writer, whole and in two halves by byte range. Values must be equal
 * row for row.
 */
class ShapeReaderParityTest {
  private static final StructType FLAT =
      new StructType(
          PageStoreParityTest.STRUCT.fields().stream()
              .filter(f -> !f.name().equals("loc"))
              .toList());

  @Property(tries = 30)
  void decodedRowsEqualIcebergsGenericReader(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 9_000) int rows,
      @ForAll boolean smallLimits,
      @ForAll boolean icebergWriter)
      throws Exception {
    List<Row> data = PageStoreParityTest.generate(new Random(seed), rows);
    Map<String, String> props = new HashMap<>();
    if (smallLimits) {
      props.put(TableProperties.PARQUET_PAGE_ROW_LIMIT, "97");
      props.put(TableProperties.PARQUET_DICT_SIZE_BYTES, "600");
      props.put(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "65536");
    }
    Path dir = Files.createTempDirectory("decode");
    Path file = dir.resolve("rows.parquet");
    try {
      if (icebergWriter) {
        FileAppender<Record> iceberg =
            Parquet.write(org.apache.iceberg.Files.localOutput(file.toFile()))
                .schema(PageStoreParityTest.SCHEMA)
                .setAll(props)
                .createWriterFunc(GenericParquetWriter::create)
                .overwrite()
                .build();
        try (iceberg) {
          data.stream().map(PageStoreParityTest::record).forEach(iceberg::add);
        }
      } else {
        ParquetAppender<Row> ours = PageStoreParityTest.appender(file, props);
        try (ours) {
          data.forEach(ours::add);
        }
      }
      List<Record> expected = PageStoreParityTest.read(file.toFile());

      assertThat(ShapeReader.of(ValueShapes.rows(PageStoreParityTest.STRUCT), schema()))
          .as("a nested member is read another way")
          .isEmpty();
      ShapeReader<Row> reader = ShapeReader.of(ValueShapes.rows(FLAT), schema()).orElseThrow();
      long length = Files.size(file);
      List<Row> whole = read(reader, file, 0, length);
      assertThat(whole).hasSize(rows);
      for (int i = 0; i < rows; i++) {
        for (Field f : FLAT.fields()) {
          assertThat(normal(whole.get(i).get(f.name())))
              .as("row %d, %s", i, f.name())
              .isEqualTo(normal(expected.get(i).getField(f.name())));
        }
      }
      List<Row> halves = new ArrayList<>(read(reader, file, 0, length / 2));
      halves.addAll(read(reader, file, length / 2, length - length / 2));
      assertThat(halves).as("two byte ranges: each row group once").isEqualTo(whole);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private static org.apache.iceberg.Schema schema() {
    return PageStoreParityTest.SCHEMA;
  }

  private static List<Row> read(ShapeReader<Row> reader, Path file, long start, long length) {
    try (Stream<Row> rows =
        reader
            .read(org.apache.iceberg.Files.localInput(file.toFile()), start, length, "test")
            .orElseThrow()) {
      return rows.toList();
    }
  }

  /** Equal values compare equal: bytes by content, instants whatever their holder. */
  private static Object normal(Object v) {
    if (v instanceof ByteBuffer b) {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      return java.util.HexFormat.of().formatHex(bytes);
    }
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (v instanceof GenericRecord) {
      throw new AssertionError("nested values are not compared here");
    }
    return v;
  }
}
