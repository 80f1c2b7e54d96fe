package dev.meshwork.iceberg.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Row;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.iceberg.internal.IcebergSchemas;
import dev.meshwork.spi.write.ValueShapes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.hadoop.BloomFilterReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table's bloom filter properties give the same filters as Iceberg's own writer: the same
 * columns get one (none where every page uses the dictionary), sized alike, holding the same values
 * bit for bit.
 */
class BloomFilterParityTest {
  private static final WriteResources RESOURCES = new WriteResources(1);
  private static final StructType STRUCT =
      new StructType(
          List.of(
              Field.required("id", PrimitiveType.LONG),
              Field.optional("name", PrimitiveType.STRING),
              Field.optional("score", PrimitiveType.DOUBLE),
              Field.optional("small", PrimitiveType.INT),
              Field.required("code", PrimitiveType.STRING),
              Field.optional("ratio", PrimitiveType.FLOAT),
              Field.required("label", PrimitiveType.STRING),
              Field.required("bucket", PrimitiveType.LONG)));

  /** The same columns plus a list, which parquet-java's column writers write. */
  private static final StructType WITH_LIST;

  static {
    List<Field> fields = new ArrayList<>(STRUCT.fields());
    fields.add(
        Field.optional("tags", new dev.meshwork.core.schema.ListType(PrimitiveType.STRING, false)));
    WITH_LIST = new StructType(fields);
  }

  @TempDir Path dir;

  @Test
  void meshworkPagesGetTheSameFiltersAsIcebergsWriter() throws Exception {
    compare(STRUCT, true);
  }

  @Test
  void parquetJavasColumnWritersGetThemToo() throws Exception {
    compare(WITH_LIST, false);
  }

  private void compare(StructType struct, boolean meshworkPages) throws Exception {
    Schema schema = IcebergSchemas.toIceberg(dev.meshwork.core.schema.Schema.of(struct.fields()));
    Map<String, String> props = new LinkedHashMap<>();
    for (String c : List.of("id", "name", "score", "small", "code", "ratio", "label", "bucket")) {
      props.put(TableProperties.PARQUET_BLOOM_FILTER_COLUMN_ENABLED_PREFIX + c, "true");
    }
    props.put(TableProperties.PARQUET_BLOOM_FILTER_COLUMN_NDV_PREFIX + "score", "5000");
    props.put(TableProperties.PARQUET_BLOOM_FILTER_COLUMN_FPP_PREFIX + "score", "0.05");
    props.put(TableProperties.PARQUET_BLOOM_FILTER_MAX_BYTES, "65536");
    props.put(TableProperties.PARQUET_PAGE_ROW_LIMIT, "1000");
    props.put(TableProperties.PARQUET_DICT_SIZE_BYTES, "8192");

    Random r = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 7_000; i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", (long) i * 7919);
      m.put("name", r.nextInt(10) == 0 ? null : "name-" + r.nextLong());
      m.put("score", r.nextInt(10) == 0 ? null : r.nextGaussian());
      m.put("small", r.nextInt());
      m.put("code", "code-" + r.nextInt(5));
      m.put("ratio", r.nextFloat());
      // Few values at first (dictionary pages), then all distinct (the dictionary overflows and
      // later pages are plain): the filter must hold both.
      m.put("label", i < 4_500 ? "label-" + i % 3 : "label-" + r.nextLong());
      m.put("bucket", i < 4_500 ? (long) (i % 3) : r.nextLong());
      rows.add(Row.of(m));
    }

    Path ours = dir.resolve("meshwork.parquet");
    ParquetAppender<Row> appender =
        new ParquetAppender<>(
            org.apache.iceberg.Files.localOutput(ours.toFile()),
            schema,
            ValueShapes.rows(struct),
            props,
            MetricsConfig.getDefault(),
            RESOURCES);
    try (appender) {
      rows.forEach(appender::add);
    }
    assertThat(appender.meshworkPages()).isEqualTo(meshworkPages);

    Path theirs = dir.resolve("iceberg.parquet");
    FileAppender<Record> iceberg =
        Parquet.write(org.apache.iceberg.Files.localOutput(theirs.toFile()))
            .schema(schema)
            .setAll(props)
            .createWriterFunc(GenericParquetWriter::create)
            .overwrite()
            .build();
    try (iceberg) {
      for (Row row : rows) {
        GenericRecord g = GenericRecord.create(schema);
        row.values().forEach(g::setField);
        iceberg.add(g);
      }
    }

    Map<String, BloomFilter> mine = filters(ours);
    assertThat(mine).isEqualTo(filters(theirs));
    // Every column with plain pages has a filter; the five-value code column is all dictionary.
    assertThat(mine).containsOnlyKeys("id", "name", "score", "small", "ratio", "label", "bucket");
    BloomFilter label = mine.get("label");
    assertThat(label.findHash(label.hash(Binary.fromString("label-1")))).isTrue();
    BloomFilter name = mine.get("name");
    for (Row row : rows) {
      if (row.get("name") != null) {
        assertThat(name.findHash(name.hash(Binary.fromString((String) row.get("name"))))).isTrue();
      }
    }
    assertThat(name.findHash(name.hash(Binary.fromString("never-written")))).isFalse();
  }

  @Test
  void aBadFalsePositiveRateNamesThePropertyAndTheFix() {
    Map<String, String> props =
        Map.of(
            TableProperties.PARQUET_BLOOM_FILTER_COLUMN_ENABLED_PREFIX + "name", "true",
            TableProperties.PARQUET_BLOOM_FILTER_COLUMN_FPP_PREFIX + "name", "1.5");
    ParquetAppender<Row> appender =
        new ParquetAppender<>(
            org.apache.iceberg.Files.localOutput(dir.resolve("bad.parquet").toFile()),
            IcebergSchemas.toIceberg(dev.meshwork.core.schema.Schema.of(STRUCT.fields())),
            ValueShapes.rows(STRUCT),
            props,
            MetricsConfig.getDefault(),
            RESOURCES);
    org.assertj.core.api.Assertions.assertThatThrownBy(appender::close)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("write.parquet.bloom-filter-fpp.column.name")
        .hasMessageContaining("between 0 and 1");
  }

  private static Map<String, BloomFilter> filters(Path file) throws Exception {
    Map<String, BloomFilter> out = new LinkedHashMap<>();
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))) {
      List<BlockMetaData> blocks = r.getFooter().getBlocks();
      assertThat(blocks).hasSize(1);
      BloomFilterReader reader = r.getBloomFilterDataReader(blocks.get(0));
      for (ColumnChunkMetaData c : blocks.get(0).getColumns()) {
        BloomFilter f = reader.readBloomFilter(c);
        if (f != null) {
          out.put(c.getPath().toDotString(), f);
        }
      }
    }
    return out;
  }
}
