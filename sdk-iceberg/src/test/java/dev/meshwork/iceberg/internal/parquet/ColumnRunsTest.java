package dev.meshwork.iceberg.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Values written a run at a time (as an Arrow batch's columns are) give the same file, byte for
 * byte, as the same values written one by one: same pages, page ends, statistics, dictionaries and
 * dictionary fallbacks. Values, run lengths, page sizes and dictionary limits are random per try.
 */
class ColumnRunsTest {
  private static final WriteResources RESOURCES = new WriteResources(0);
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message rows { required int64 l; required int32 i; required double d;"
              + " required float f; }");

  @Property(tries = 60, seed = "20261201")
  void runsWriteTheFileThatValueByValueWrites(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 12_000) int rows,
      @ForAll @IntRange(min = 20, max = 3_000) int pageRows,
      @ForAll @IntRange(min = 64, max = 16_384) int dictionaryBytes)
      throws IOException {
    Random r = new Random(seed);
    // Some columns start with few distinct values and then many, so the dictionary fills up.
    int distinctFirst = 1 + r.nextInt(50);
    int switchAt = r.nextInt(rows + 1);
    long[] l = new long[rows];
    int[] i = new int[rows];
    double[] d = new double[rows];
    float[] f = new float[rows];
    for (int n = 0; n < rows; n++) {
      boolean few = n < switchAt;
      l[n] = few ? r.nextInt(distinctFirst) : r.nextLong() >> r.nextInt(64);
      i[n] = few ? r.nextInt(distinctFirst) - 7 : r.nextInt();
      d[n] = special(r, few ? r.nextInt(distinctFirst) : r.nextGaussian() * 1e6);
      f[n] = (float) special(r, few ? r.nextInt(distinctFirst) * 0.5 : r.nextFloat());
    }
    Path dir = Files.createTempDirectory("runs");
    try {
      ParquetProperties props =
          ParquetProperties.builder()
              .withPageRowCountLimit(pageRows)
              .withDictionaryPageSize(dictionaryBytes)
              .build();
      Path oneByOne = dir.resolve("one-by-one.parquet");
      write(
          oneByOne,
          props,
          rows,
          columns -> {
            for (int n = 0; n < rows; n++) {
              columns[0].writeLong(l[n]);
              columns[1].writeInt(i[n]);
              columns[2].writeDouble(d[n]);
              columns[3].writeFloat(f[n]);
            }
          });
      Path inRuns = dir.resolve("in-runs.parquet");
      Random cuts = new Random(seed ^ 0x5DEECE66DL);
      write(
          inRuns,
          props,
          rows,
          columns -> {
            for (int from = 0; from < rows; ) {
              // Runs as long as a batch, or a few rows, or one.
              int to = Math.min(rows, from + 1 + cuts.nextInt(cuts.nextBoolean() ? 7 : 5_000));
              columns[0].writeLongs(l, from, to);
              columns[1].writeInts(i, from, to);
              columns[2].writeDoubles(d, from, to);
              columns[3].writeFloats(f, from, to);
              from = to;
            }
          });
      assertThat(Files.readAllBytes(inRuns)).isEqualTo(Files.readAllBytes(oneByOne));
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  /** Now and then NaN, an infinity or a zero of either sign instead of {@code v}. */
  private static double special(Random r, double v) {
    return switch (r.nextInt(40)) {
      case 0 -> Double.NaN;
      case 1 -> -0.0;
      case 2 -> 0.0;
      case 3 -> Double.NEGATIVE_INFINITY;
      default -> v;
    };
  }

  private interface Rows {
    void write(FixedColumn[] columns);
  }

  private static void write(Path file, ParquetProperties props, int count, Rows rows)
      throws IOException {
    PageCompressor compressor =
        new PageCompressor(
            RESOURCES, () -> PageCodec.of(CompressionCodecName.UNCOMPRESSED, 0, null), true);
    PageStore store = new PageStore(SCHEMA, Set.of(), compressor, props);
    FixedColumn[] columns = new FixedColumn[4];
    int c = 0;
    for (ColumnDescriptor descriptor : SCHEMA.getColumns()) {
      columns[c++] = (FixedColumn) store.column(descriptor);
    }
    ParquetFileWriter writer =
        new ParquetFileWriter(
            new LocalOutputFile(file), SCHEMA, ParquetFileWriter.Mode.CREATE, 128 << 20, 0);
    writer.start();
    rows.write(columns);
    writer.startBlock(count);
    store.writeRowGroup(writer, CompressionCodecName.UNCOMPRESSED);
    writer.endBlock();
    writer.end(Map.of());
    store.close();
  }
}
