package dev.meshwork.iceberg.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Row;
import dev.meshwork.core.schema.DecimalType;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.iceberg.internal.IcebergSchemas;
import dev.meshwork.spi.write.ValueShapes;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Files written by Meshwork's page store against Iceberg's own generic writer on the same rows:
 * Iceberg's reader reads back exactly the rows written, Iceberg's metrics (value, null and NaN
 * counts, bounds) are equal, and so are parquet's footer statistics of every column chunk. Rows are
 * random per try: every flat type, nulls, NaN, signed zeros, extremes, non-ASCII text, columns of
 * few or many distinct values (dictionary, plain and dictionary fallback), small and default page
 * and dictionary limits.
 */
class PageStoreParityTest {
  private static final WriteResources RESOURCES = new WriteResources(1);
  private static final StructType LOCATION =
      new StructType(
          List.of(
              Field.optional("lat", PrimitiveType.DOUBLE),
              Field.required("name", PrimitiveType.STRING)));

  static final StructType STRUCT =
      new StructType(
          List.of(
              Field.required("id", PrimitiveType.LONG),
              Field.optional("i", PrimitiveType.INT),
              Field.optional("l", PrimitiveType.LONG),
              Field.optional("d", PrimitiveType.DOUBLE),
              Field.optional("f", PrimitiveType.FLOAT),
              Field.optional("b", PrimitiveType.BOOLEAN),
              Field.optional("s", PrimitiveType.STRING),
              Field.required("code", PrimitiveType.STRING),
              Field.optional("bin", PrimitiveType.BINARY),
              Field.optional("u", PrimitiveType.UUID),
              Field.optional("dec9", new DecimalType(9, 2)),
              Field.optional("dec18", new DecimalType(18, 4)),
              Field.optional("dec30", new DecimalType(30, 5)),
              Field.optional("day", PrimitiveType.DATE),
              Field.optional("t", PrimitiveType.TIME),
              Field.optional("ts", PrimitiveType.TIMESTAMP),
              Field.optional("tstz", PrimitiveType.TIMESTAMP_TZ),
              Field.optional("loc", LOCATION)));

  static final Schema SCHEMA =
      IcebergSchemas.toIceberg(dev.meshwork.core.schema.Schema.of(STRUCT.fields()));

  @Property(tries = 40)
  void sameRowsMetricsAndStatisticsAsIcebergsWriter(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 9_000) int rows,
      @ForAll @IntRange(max = 4) int limits,
      @ForAll boolean inlineCompression)
      throws Exception {
    Map<String, String> props = new HashMap<>();
    if (limits == 1) {
      // Many small pages and dictionaries that overflow part-way through a chunk.
      props.put(TableProperties.PARQUET_PAGE_ROW_LIMIT, "97");
      props.put(TableProperties.PARQUET_DICT_SIZE_BYTES, "600");
      props.put(TableProperties.PARQUET_PAGE_SIZE_BYTES, "2048");
      // Several row groups: dictionaries and interned values start again in each.
      props.put(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "65536");
    } else if (limits > 1) {
      // Snappy and no compression are encoded by Meshwork; gzip goes through parquet-java's codec.
      props.put(
          TableProperties.PARQUET_COMPRESSION,
          new String[] {"snappy", "uncompressed", "gzip"}[limits - 2]);
    }
    compare(generate(new Random(seed), rows), props, inlineCompression);
  }

  @Example
  void dictionaryThatOverflowsMidChunkKeepsEarlierPagesAndGoesPlain() throws Exception {
    Random r = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      // Few distinct codes in the sample (dictionary chosen), all distinct later (overflow).
      String code = i < 6_000 ? "code-" + i % 7 : "unique-" + i + "-" + r.nextInt();
      rows.add(Row.of(Map.of("id", (long) i, "code", code)));
    }
    Path file =
        compare(
            rows,
            Map.of(
                TableProperties.PARQUET_DICT_SIZE_BYTES,
                "65536",
                TableProperties.PARQUET_PAGE_ROW_LIMIT,
                "1000"),
            false);
    ColumnChunkMetaData code = chunk(file, "code");
    assertThat(code.getEncodings()).contains(Encoding.PLAIN).anyMatch(Encoding::usesDictionary);
    assertThat(code.hasDictionaryPage()).isTrue();
  }

  /**
   * Dictionary values of up to 16 bytes are told apart by their length and first and last eight
   * bytes: values that share a prefix, differ in one middle or last byte, or only in length (with
   * zero bytes) must keep their own entries.
   */
  @Example
  void shortDictionaryValuesThatShareBytesKeepTheirOwnEntries() throws Exception {
    List<String> values = new ArrayList<>();
    for (int length = 0; length <= 17; length++) {
      for (char last : new char[] {'a', 'b', '\u0000', 'é'}) {
        String base = "category-0123456789".substring(0, Math.max(0, length - 1));
        values.add(length == 0 ? "" : base + last);
      }
    }
    values.add("category-1");
    values.add("category-2");
    values.add("categorx-1");
    values.add("abc\u0000");
    values.add("abc\u0000\u0000");
    Random r = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 9_000; i++) {
      rows.add(Row.of(Map.of("id", (long) i, "code", values.get(r.nextInt(values.size())))));
    }
    Path file = compare(rows, Map.of(), false);
    assertThat(chunk(file, "code").hasDictionaryPage()).isTrue();
  }

  /**
   * Rows handed over in batches are encoded a column at a time once the file has chosen its
   * encodings (the rows before complete the sample): the file is byte for byte the one written row
   * by row, with the same metrics.
   */
  @Property(tries = 25)
  void batchesWrittenAColumnAtATimeGiveTheSameFileAsRows(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 12_000) int rows,
      @ForAll @IntRange(min = 1, max = 5_000) int batchSize,
      @ForAll boolean smallLimits)
      throws Exception {
    List<Row> data = generate(new Random(seed), rows);
    Map<String, String> props = new HashMap<>();
    if (smallLimits) {
      props.put(TableProperties.PARQUET_PAGE_ROW_LIMIT, "97");
      props.put(TableProperties.PARQUET_DICT_SIZE_BYTES, "600");
      props.put(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "65536");
    }
    Path dir = Files.createTempDirectory("batches");
    try {
      Path byRow = dir.resolve("rows.parquet");
      Path byBatch = dir.resolve("batches.parquet");
      ParquetAppender<Row> one = appender(byRow, props);
      try (one) {
        data.forEach(one::add);
      }
      ParquetAppender<Row> many = appender(byBatch, props);
      int batched = 0;
      try (many) {
        for (int from = 0; from < rows; from += batchSize) {
          List<Row> batch = data.subList(from, Math.min(rows, from + batchSize));
          if (many.writeBatch(rowBatch(batch))) {
            batched += batch.size();
          } else {
            batch.forEach(many::add);
          }
        }
      }
      // Every batch is taken; the rows completing the sample that chooses the encodings go into it.
      assertThat(batched).isEqualTo(rows);
      assertThat(Files.readAllBytes(byBatch)).isEqualTo(Files.readAllBytes(byRow));
      Metrics a = many.metrics();
      Metrics b = one.metrics();
      assertThat(a.recordCount()).isEqualTo(b.recordCount()).isEqualTo(rows);
      assertThat(a.valueCounts()).isEqualTo(b.valueCounts());
      assertThat(a.nullValueCounts()).isEqualTo(b.nullValueCounts());
      assertThat(a.nanValueCounts()).isEqualTo(b.nanValueCounts());
      assertThat(a.lowerBounds()).isEqualTo(b.lowerBounds());
      assertThat(a.upperBounds()).isEqualTo(b.upperBounds());
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  /**
   * Writes {@code data} to {@code file} with Meshwork's appender or Iceberg's own writer, with
   * {@code codec} and, when {@code smallLimits}, pages of 97 rows, a 600-byte dictionary budget and
   * 64 KiB row groups.
   */
  static void write(
      Path file, List<Row> data, String codec, boolean smallLimits, boolean icebergWriter)
      throws IOException {
    Map<String, String> props = new HashMap<>();
    props.put(TableProperties.PARQUET_COMPRESSION, codec);
    if (smallLimits) {
      props.put(TableProperties.PARQUET_PAGE_ROW_LIMIT, "97");
      props.put(TableProperties.PARQUET_DICT_SIZE_BYTES, "600");
      props.put(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "65536");
    }
    if (icebergWriter) {
      org.apache.iceberg.io.FileAppender<Record> iceberg =
          org.apache.iceberg.parquet.Parquet.write(
                  org.apache.iceberg.Files.localOutput(file.toFile()))
              .schema(SCHEMA)
              .setAll(props)
              .createWriterFunc(org.apache.iceberg.data.parquet.GenericParquetWriter::create)
              .overwrite()
              .build();
      try (iceberg) {
        data.stream().map(PageStoreParityTest::record).forEach(iceberg::add);
      }
    } else {
      ParquetAppender<Row> ours = appender(file, props);
      try (ours) {
        data.forEach(ours::add);
      }
    }
  }

  static ParquetAppender<Row> appender(Path file, Map<String, String> props) {
    return new ParquetAppender<>(
        org.apache.iceberg.Files.localOutput(file.toFile()),
        SCHEMA,
        ValueShapes.rows(STRUCT),
        props,
        MetricsConfig.getDefault(),
        RESOURCES);
  }

  private static dev.meshwork.spi.write.RowBatch<Row> rowBatch(List<Row> rows) {
    return new dev.meshwork.spi.write.RowBatch<>() {
      @Override
      public int size() {
        return rows.size();
      }

      @Override
      public Row at(int index) {
        return rows.get(index);
      }
    };
  }

  /** Writes {@code rows} both ways, checks read-back, metrics and statistics; returns ours. */
  private Path compare(List<Row> rows, Map<String, String> props, boolean inlineCompression)
      throws Exception {
    Path dir = Files.createTempDirectory("parity");
    Path ours = dir.resolve("meshwork.parquet");
    Path theirs = dir.resolve("iceberg.parquet");
    try {
      ParquetAppender<Row> appender = appender(ours, props);
      if (inlineCompression) {
        appender.compressOnWriterThread();
      }
      try (appender) {
        rows.forEach(appender::add);
      }
      assertThat(appender.meshworkPages()).isTrue();

      List<Record> expected = rows.stream().map(PageStoreParityTest::record).toList();
      FileAppender<Record> iceberg =
          Parquet.write(org.apache.iceberg.Files.localOutput(theirs.toFile()))
              .schema(SCHEMA)
              .setAll(props)
              .createWriterFunc(GenericParquetWriter::create)
              .overwrite()
              .build();
      try (iceberg) {
        expected.forEach(iceberg::add);
      }

      assertThat(read(ours.toFile())).containsExactlyElementsOf(expected);
      Metrics a = appender.metrics();
      Metrics b = iceberg.metrics();
      assertThat(a.recordCount()).isEqualTo(b.recordCount()).isEqualTo(rows.size());
      assertThat(a.valueCounts()).isEqualTo(b.valueCounts());
      assertThat(a.nullValueCounts()).isEqualTo(b.nullValueCounts());
      assertThat(a.nanValueCounts()).isEqualTo(b.nanValueCounts());
      List<Long> ourGroups = rowGroups(ours);
      boolean sameGroups = ourGroups.equals(rowGroups(theirs));
      // Iceberg merges row groups' UUID bounds in Java's signed UUID order, while each row group's
      // bounds are Parquet's unsigned ones: with row groups ending at different rows the merged
      // UUID bounds legitimately differ (found by seed 255, 3,589 rows, small limits).
      int uuid = SCHEMA.findField("u").fieldId();
      assertThat(without(a.lowerBounds(), sameGroups ? -1 : uuid))
          .isEqualTo(without(b.lowerBounds(), sameGroups ? -1 : uuid));
      assertThat(without(a.upperBounds(), sameGroups ? -1 : uuid))
          .isEqualTo(without(b.upperBounds(), sameGroups ? -1 : uuid));
      if (sameGroups) {
        assertThat(statistics(ours, false)).isEqualTo(statistics(theirs, false));
      } else {
        // Row groups end at different rows (each writer estimates sizes its own way). Merged
        // statistics are comparable except for floating point: parquet drops the bounds of a chunk
        // holding NaN, which depends on where chunks end.
        assertThat(statistics(ours, true)).isEqualTo(statistics(theirs, true));
      }
      return copyOut(ours);
    } finally {
      Files.deleteIfExists(ours);
      Files.deleteIfExists(theirs);
      Files.deleteIfExists(dir);
    }
  }

  private static Map<Integer, java.nio.ByteBuffer> without(
      Map<Integer, java.nio.ByteBuffer> bounds, int field) {
    Map<Integer, java.nio.ByteBuffer> out = new HashMap<>(bounds);
    out.remove(field);
    return out;
  }

  @Example
  void uuidBoundsWithDifferentRowGroups() throws Exception {
    // The sample that showed Iceberg's signed UUID merge order; everything else must still match.
    sameRowsMetricsAndStatisticsAsIcebergsWriter(255, 3589, 1, true);
  }

  private static Path copyOut(Path file) throws IOException {
    Path kept = Files.createTempFile("parity-kept", ".parquet");
    Files.copy(file, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    kept.toFile().deleteOnExit();
    return kept;
  }

  static List<Record> read(File file) throws IOException {
    try (CloseableIterable<Record> it =
        Parquet.read(org.apache.iceberg.Files.localInput(file))
            .project(SCHEMA)
            .createReaderFunc(t -> GenericParquetReaders.buildReader(SCHEMA, t))
            .build()) {
      List<Record> out = new ArrayList<>();
      it.forEach(out::add);
      return out;
    }
  }

  private static List<Long> rowGroups(Path file) throws IOException {
    try (ParquetFileReader r = open(file)) {
      return r.getFooter().getBlocks().stream().map(BlockMetaData::getRowCount).toList();
    }
  }

  /**
   * Footer statistics of every column chunk, by row group and column; or, {@code merged}, of every
   * column but floating-point ones over all row groups.
   */
  private static Map<String, Statistics<?>> statistics(Path file, boolean merged)
      throws IOException {
    Map<String, Statistics<?>> out = new LinkedHashMap<>();
    try (ParquetFileReader r = open(file)) {
      List<BlockMetaData> blocks = r.getFooter().getBlocks();
      for (int b = 0; b < blocks.size(); b++) {
        for (ColumnChunkMetaData c : blocks.get(b).getColumns()) {
          Statistics<?> s = c.getStatistics();
          PrimitiveTypeName t = c.getPrimitiveType().getPrimitiveTypeName();
          if (!merged) {
            out.put(b + ":" + c.getPath().toDotString(), s);
          } else if (t != PrimitiveTypeName.FLOAT && t != PrimitiveTypeName.DOUBLE) {
            out.merge(
                c.getPath().toDotString(),
                s,
                (x, y) -> {
                  Statistics<?> m = x.copy();
                  m.mergeStatistics(y);
                  return m;
                });
          }
        }
      }
    }
    return out;
  }

  private static ColumnChunkMetaData chunk(Path file, String column) throws IOException {
    try (ParquetFileReader r = open(file)) {
      return r.getFooter().getBlocks().get(0).getColumns().stream()
          .filter(c -> c.getPath().toDotString().equals(column))
          .findFirst()
          .orElseThrow();
    }
  }

  private static ParquetFileReader open(Path file) throws IOException {
    return ParquetFileReader.open(
        HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(file.toString()), new Configuration()));
  }

  static Record record(Row row) {
    GenericRecord r = GenericRecord.create(SCHEMA);
    for (Field f : STRUCT.fields()) {
      Object v = row.get(f.name());
      if (v instanceof Instant i) {
        v = i.atOffset(ZoneOffset.UTC);
      } else if (v instanceof Row loc) {
        GenericRecord g = GenericRecord.create(SCHEMA.findType("loc").asStructType());
        g.setField("lat", loc.get("lat"));
        g.setField("name", loc.get("name"));
        v = g;
      }
      r.setField(f.name(), v);
    }
    return r;
  }

  // ---- random rows ----

  static List<Row> generate(Random r, int n) {
    Map<String, Function<Random, Object>> columns = new LinkedHashMap<>();
    columns.put("i", values(r, x -> x.nextInt()));
    columns.put("l", values(r, x -> x.nextBoolean() ? x.nextLong() : (long) x.nextInt(100)));
    columns.put("d", values(r, PageStoreParityTest::aDouble));
    columns.put("f", values(r, x -> (float) (double) aDouble(x)));
    columns.put("b", values(r, Random::nextBoolean));
    columns.put("s", values(r, PageStoreParityTest::text));
    columns.put("bin", values(r, x -> ByteBuffer.wrap(bytes(x))));
    columns.put("u", values(r, x -> new UUID(x.nextLong(), x.nextLong())));
    columns.put(
        "dec9", values(r, x -> BigDecimal.valueOf(x.nextInt(1_999_999_999) - 999_999_999L, 2)));
    columns.put(
        "dec18", values(r, x -> BigDecimal.valueOf(x.nextLong() % 1_000_000_000_000_000_000L, 4)));
    columns.put(
        "dec30",
        values(
            r,
            x -> new BigDecimal(new BigInteger(99, x).subtract(BigInteger.ONE.shiftLeft(98)), 5)));
    columns.put("day", values(r, x -> LocalDate.ofEpochDay(x.nextInt(200_000) - 100_000)));
    columns.put("t", values(r, x -> LocalTime.ofNanoOfDay(x.nextLong(86_400_000_000L) * 1_000)));
    columns.put(
        "ts",
        values(
            r,
            x ->
                LocalDateTime.ofEpochSecond(
                    x.nextLong(4_000_000_000L) - 2_000_000_000L,
                    x.nextInt(1_000_000) * 1_000,
                    ZoneOffset.UTC)));
    columns.put(
        "tstz",
        values(
            r,
            x ->
                Instant.ofEpochSecond(
                    x.nextLong(4_000_000_000L) - 2_000_000_000L, x.nextInt(1_000_000) * 1_000L)));
    Function<Random, Object> lat = values(r, PageStoreParityTest::aDouble);
    Function<Random, Object> name = values(r, PageStoreParityTest::text);
    Function<Random, Object> code = values(r, PageStoreParityTest::text);
    int locNulls = r.nextInt(3);
    List<Row> rows = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      Map<String, Object> m = new HashMap<>();
      m.put("id", (long) k);
      for (Map.Entry<String, Function<Random, Object>> c : columns.entrySet()) {
        m.put(c.getKey(), c.getValue().apply(r));
      }
      Object c = code.apply(r);
      m.put("code", c == null ? "" : c);
      if (r.nextInt(4) >= locNulls) {
        Object nm = name.apply(r);
        Map<String, Object> loc = new HashMap<>();
        loc.put("lat", lat.apply(r));
        loc.put("name", nm == null ? "" : nm);
        m.put("loc", Row.of(loc));
      }
      rows.add(Row.of(m));
    }
    return rows;
  }

  /**
   * A column's value source: a null share of 0 to 100 %, and either few distinct values (a
   * dictionary), a few hundred, or all fresh values.
   */
  private static Function<Random, Object> values(Random r, Function<Random, Object> fresh) {
    double nulls = new double[] {0, 0, 0.1, 0.5, 1}[r.nextInt(5)];
    int distinct = new int[] {1, 5, 300, 0}[r.nextInt(4)];
    List<Object> pool = new ArrayList<>();
    for (int i = 0; i < distinct; i++) {
      pool.add(fresh.apply(r));
    }
    return x -> {
      if (x.nextDouble() < nulls) {
        return null;
      }
      return pool.isEmpty() ? fresh.apply(x) : pool.get(x.nextInt(pool.size()));
    };
  }

  private static final double[] SPECIAL = {
    Double.NaN,
    -0.0,
    0.0,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.MIN_VALUE,
    -Double.MAX_VALUE,
    1e300
  };

  private static Double aDouble(Random r) {
    return r.nextInt(10) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextGaussian() * 1e6;
  }

  private static final String ALPHABET = "abcXYZ019 _-é漢\uD83D\uDE00";

  private static String text(Random r) {
    int n = r.nextInt(40);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(ALPHABET.length() - 1);
      char c = ALPHABET.charAt(k);
      b.append(c);
      if (Character.isHighSurrogate(c)) {
        b.append(ALPHABET.charAt(k + 1));
      } else if (Character.isLowSurrogate(c)) {
        b.setLength(b.length() - 1);
      }
    }
    return b.toString();
  }

  private static byte[] bytes(Random r) {
    byte[] b = new byte[r.nextInt(24)];
    r.nextBytes(b);
    return b;
  }
}
