package dev.meshwork.iceberg.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Row;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.ColumnBatch;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.iceberg.data.Record;

/**
 * The column-batch decoder behind Arrow reads against Iceberg's generic reader on the same files:
 * every type it decodes, nulls, NaN, extremes, dictionary and plain pages, one or several row
 * groups, files of both writers and every codec, any batch size, whole and in two halves by byte
 * range. Values must be equal row for row.
 */
class BatchReaderParityTest {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** Every column of the parity schema the decoder takes: all but decimals and the struct. */
  private static final StructType COLUMNS =
      new StructType(
          PageStoreParityTest.STRUCT.fields().stream()
              .filter(f -> f.type() instanceof PrimitiveType)
              .toList());

  @Property(tries = 30)
  void decodedColumnsEqualIcebergsGenericReader(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 9_000) int rows,
      @ForAll @IntRange(min = 1, max = 5_000) int batchRows,
      @ForAll boolean smallLimits,
      @ForAll boolean icebergWriter,
      @ForAll("codecs") String codec)
      throws Exception {
    List<Row> data = PageStoreParityTest.generate(new Random(seed), rows);
    Path dir = Files.createTempDirectory("columns");
    Path file = dir.resolve("rows.parquet");
    try {
      PageStoreParityTest.write(file, data, codec, smallLimits, icebergWriter);
      List<Record> expected = PageStoreParityTest.read(file.toFile());
      BatchReader reader = BatchReader.of(COLUMNS, PageStoreParityTest.SCHEMA).orElseThrow();
      long length = Files.size(file);
      List<List<Object>> whole = read(reader, file, 0, length, batchRows);
      assertThat(whole).hasSize(rows);
      for (int i = 0; i < rows; i++) {
        for (int c = 0; c < COLUMNS.fields().size(); c++) {
          Field f = COLUMNS.fields().get(c);
          assertThat(whole.get(i).get(c))
              .as("row %d, %s", i, f.name())
              .isEqualTo(normal(expected.get(i).getField(f.name())));
        }
      }
      List<List<Object>> halves = new ArrayList<>(read(reader, file, 0, length / 2, batchRows));
      halves.addAll(read(reader, file, length / 2, length - length / 2, batchRows));
      assertThat(halves).as("two byte ranges: each row group once").isEqualTo(whole);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  @Provide
  Arbitrary<String> codecs() {
    return Arbitraries.of("zstd", "snappy", "gzip", "uncompressed");
  }

  private static List<List<Object>> read(
      BatchReader reader, Path file, long start, long length, int batchRows) {
    List<List<Object>> out = new ArrayList<>();
    ColumnBatch batch = new ColumnBatch(reader.widths());
    try (Stream<ColumnBatch> batches =
        reader
            .read(
                org.apache.iceberg.Files.localInput(file.toFile()),
                start,
                length,
                batch,
                batchRows,
                "test")
            .orElseThrow()) {
      batches.forEach(
          b -> {
            assertThat(b.rows()).isBetween(1, batchRows);
            for (int i = 0; i < b.rows(); i++) {
              List<Object> row = new ArrayList<>();
              for (int c = 0; c < b.columns(); c++) {
                row.add(value(b.column(c), (PrimitiveType) COLUMNS.fields().get(c).type(), i));
              }
              out.add(row);
            }
          });
    }
    return out;
  }

  /** Value {@code i} of a column, as {@link #normal} makes the generic reader's. */
  private static Object value(ColumnBatch.Column c, PrimitiveType type, int i) {
    if (c.hasNulls() && (c.validity()[i >>> 3] & (1 << (i & 7))) == 0) {
      return null;
    }
    byte[] d = c.data();
    return switch (type) {
      case LONG -> (long) LONG.get(d, i * 8);
      case DOUBLE -> Double.longBitsToDouble((long) LONG.get(d, i * 8));
      case INT -> (int) INT.get(d, i * 4);
      case FLOAT -> Float.intBitsToFloat((int) INT.get(d, i * 4));
      case DATE -> LocalDate.ofEpochDay((int) INT.get(d, i * 4));
      case TIME -> LocalTime.ofNanoOfDay((long) LONG.get(d, i * 8) * 1_000);
      case TIMESTAMP ->
          LocalDateTime.ofInstant(
              Instant.EPOCH.plus((long) LONG.get(d, i * 8), ChronoUnit.MICROS), ZoneOffset.UTC);
      case TIMESTAMP_TZ -> Instant.EPOCH.plus((long) LONG.get(d, i * 8), ChronoUnit.MICROS);
      case BOOLEAN -> (d[i >>> 3] & (1 << (i & 7))) != 0;
      case UUID -> {
        ByteBuffer b = ByteBuffer.wrap(d, i * 16, 16);
        yield new UUID(b.getLong(), b.getLong());
      }
      case STRING, BINARY -> {
        byte[] offsets = c.offsets();
        int from = (int) INT.get(offsets, i * 4);
        int to = (int) INT.get(offsets, i * 4 + 4);
        yield type == PrimitiveType.STRING
            ? new String(d, from, to - from, StandardCharsets.UTF_8)
            : java.util.HexFormat.of().formatHex(d, from, to);
      }
    };
  }

  private static Object normal(Object v) {
    if (v instanceof ByteBuffer b) {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      return java.util.HexFormat.of().formatHex(bytes);
    }
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (v instanceof CharSequence s) {
      return s.toString();
    }
    return v;
  }
}
