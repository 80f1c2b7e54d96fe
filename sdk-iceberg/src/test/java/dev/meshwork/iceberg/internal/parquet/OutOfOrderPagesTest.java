package dev.meshwork.iceberg.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages are handed back as they finish, not in the order they were encoded; each column chunk is
 * still written in its pages' order. Here the first page of a column is held on the background
 * thread until a dozen later pages have been compressed, and the file reads back row for row.
 */
class OutOfOrderPagesTest {
  private static final WriteResources RESOURCES = new WriteResources(1);
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message rows { required int64 n; optional binary s (STRING); }");
  private static final int ROWS = 30_000;

  @TempDir Path dir;

  @Test
  void pagesFinishedOutOfOrderAreWrittenInTheirColumnsOrder() throws Exception {
    Path file = dir.resolve("rows.parquet");
    // The writer compresses a queued page itself only when every slot is taken, so the background
    // thread nearly always starts the first page; on a rare scheduling it does not, and we retry.
    boolean held = false;
    for (int attempt = 0; attempt < 5 && !held; attempt++) {
      Files.deleteIfExists(file);
      held = write(file);
    }
    assertThat(held).as("column n's first page finished after later pages").isTrue();

    List<String> read = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .build()) {
      for (Group g; (g = reader.read()) != null; ) {
        String s = g.getFieldRepetitionCount("s") == 0 ? "null" : g.getString("s", 0);
        read.add(g.getLong("n", 0) + "=" + s);
      }
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      expected.add(i + "=" + (i % 7 == 0 ? "null" : text(i)));
    }
    assertThat(read).containsExactlyElementsOf(expected);
  }

  /** Writes the rows; true if column n's first page was held while later pages were compressed. */
  private static boolean write(Path file) throws IOException {
    CountDownLatch laterPages = new CountDownLatch(12);
    AtomicBoolean held = new AtomicBoolean();
    PageCompressor compressor =
        new PageCompressor(RESOURCES, () -> new HoldingCodec(laterPages, held), false);
    ParquetProperties props = ParquetProperties.builder().withPageRowCountLimit(2_000).build();
    PageStore store = new PageStore(SCHEMA, Set.of("n", "s"), compressor, props);
    ParquetFileWriter writer =
        new ParquetFileWriter(
            new LocalOutputFile(file), SCHEMA, ParquetFileWriter.Mode.CREATE, 128 << 20, 0);
    writer.start();
    ColumnDescriptor n = SCHEMA.getColumns().get(0);
    ColumnDescriptor s = SCHEMA.getColumns().get(1);
    for (int i = 0; i < ROWS; i++) {
      store.getColumnWriter(n).write((long) i, 0, 0);
      if (i % 7 == 0) {
        store.getColumnWriter(s).writeNull(0, 0);
      } else {
        store.getColumnWriter(s).write(Binary.fromString(text(i)), 0, 1);
      }
      store.endRecord();
    }
    writer.startBlock(ROWS);
    store.writeRowGroup(writer, CompressionCodecName.UNCOMPRESSED);
    writer.endBlock();
    writer.end(Map.of());
    store.close();
    return held.get();
  }

  /** Stores pages as they are; holds column n's first page on a background thread. */
  private static final class HoldingCodec extends PageCodec {
    private final PageCodec plain = PageCodec.of(CompressionCodecName.UNCOMPRESSED, 0, null);
    private final CountDownLatch laterPages;
    private final AtomicBoolean held;

    HoldingCodec(CountDownLatch laterPages, AtomicBoolean held) {
      this.laterPages = laterPages;
      this.held = held;
    }

    @Override
    int compress(byte[] src, int length, ByteSink out) {
      // Column n is plain and required, so its first page starts with the value 0: 8 zero bytes.
      boolean first = length >= 8 && readLong(src) == 0;
      if (!first) {
        laterPages.countDown();
      } else if (Thread.currentThread().getName().startsWith("meshwork-page-compression")) {
        try {
          held.set(laterPages.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return plain.compress(src, length, out);
    }
  }

  private static long readLong(byte[] b) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[i] & 0xFF);
    }
    return v;
  }

  private static String text(int i) {
    return "value-" + i + "-é";
  }
}
