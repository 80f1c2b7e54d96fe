package dev.meshwork.iceberg.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Row;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.iceberg.internal.IcebergSchemas;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShapes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Files;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.TableProperties;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two files written at once keep their own encoding choices for every row group: parquet-java's
 * shared default values-writer factory would hand the second file's settings to the first.
 */
class ConcurrentAppendersTest {
  private static final WriteResources RESOURCES = new WriteResources(1);
  private static final StructType STRUCT =
      new StructType(List.of(Field.required("code", PrimitiveType.STRING)));

  @TempDir Path dir;

  @Test
  void eachFileKeepsItsOwnDictionaryChoiceInEveryRowGroup() throws Exception {
    StructShape<Row> shape = ValueShapes.rows(STRUCT);
    org.apache.iceberg.Schema schema = IcebergSchemas.toIceberg(Schema.of(STRUCT.fields()));
    // Several row groups: each gets new column writers, built from the file's own settings.
    Map<String, String> props = Map.of(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "131072");
    ParquetAppender<Row> distinct =
        new ParquetAppender<>(
            Files.localOutput(dir.resolve("distinct.parquet").toFile()),
            schema,
            shape,
            props,
            MetricsConfig.getDefault(),
            RESOURCES);
    ParquetAppender<Row> repeated =
        new ParquetAppender<>(
            Files.localOutput(dir.resolve("repeated.parquet").toFile()),
            schema,
            shape,
            props,
            MetricsConfig.getDefault(),
            RESOURCES);
    for (int i = 0; i < 80_000; i++) {
      // Distinct in the sample (so written plain), repeating afterwards: were a dictionary used in
      // later row groups, it would be kept and show in the file.
      distinct.add(Row.of(Map.of("code", i < 4_096 ? "unique-" + i : "again-" + i % 10)));
      repeated.add(Row.of(Map.of("code", "code-" + (i % 4))));
    }
    distinct.close();
    repeated.close();
    assertThat(distinct.plainColumns()).containsExactly("code");
    assertThat(repeated.plainColumns()).isEmpty();

    assertThat(encodings(dir.resolve("distinct.parquet")))
        .hasSizeGreaterThan(1)
        .allSatisfy(e -> assertThat(e).noneMatch(Encoding::usesDictionary));
    assertThat(encodings(dir.resolve("repeated.parquet")))
        .allSatisfy(e -> assertThat(e).anyMatch(Encoding::usesDictionary));
  }

  private static List<java.util.Set<Encoding>> encodings(Path file) throws Exception {
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))) {
      return r.getFooter().getBlocks().stream()
          .map(BlockMetaData::getColumns)
          .map(c -> c.get(0).getEncodings())
          .toList();
    }
  }
}
