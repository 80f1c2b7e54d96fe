package dev.meshwork.iceberg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.RangeReadable;
import org.apache.iceberg.io.SeekableInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileIOTest {
  @TempDir Path dir;

  private final LocalFileIO io = new LocalFileIO();

  /**
   * Writes of every size around the buffer (single bytes, short arrays, arrays past the buffer)
   * then reads of every kind at random positions must see exactly the bytes written.
   */
  @Property(tries = 40, seed = "20261201")
  void bytesWrittenInAnyMixOfSizesReadBackAtAnyPosition(
      @ForAll @IntRange(min = 0, max = 2_000_000) int length, @ForAll long seed)
      throws IOException {
    Random random = new Random(seed);
    byte[] content = new byte[length];
    random.nextBytes(content);
    // jqwik properties get no @TempDir.
    Path file = Files.createTempFile("local-file-io", ".bin");
    try {
      writeThenRead(file, content, random);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private void writeThenRead(Path file, byte[] content, Random random) throws IOException {
    int length = content.length;
    String location = "file:" + file;
    try (PositionOutputStream out = io.newOutputFile(location).createOrOverwrite()) {
      int at = 0;
      while (at < length) {
        int n = Math.min(length - at, chunk(random));
        if (n == 1) {
          out.write(content[at]);
        } else {
          out.write(content, at, n);
        }
        at += n;
        assertThat(out.getPos()).isEqualTo(at);
      }
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
    assertThat(io.newInputFile(location).getLength()).isEqualTo(length);

    try (SeekableInputStream in = io.newInputFile(location).newStream()) {
      for (int op = 0; op < 200; op++) {
        long pos = in.getPos();
        switch (random.nextInt(5)) {
          case 0 -> {
            long to = length == 0 ? 0 : random.nextInt(length + 1);
            in.seek(to);
            assertThat(in.getPos()).isEqualTo(to);
          }
          case 1 -> {
            int b = in.read();
            assertThat(b).isEqualTo(pos < length ? content[(int) pos] & 0xFF : -1);
          }
          case 2 -> {
            byte[] buf = new byte[chunk(random)];
            int n = in.read(buf, 0, buf.length);
            if (pos >= length) {
              assertThat(n).isEqualTo(-1);
            } else {
              assertThat(n).isPositive();
              assertThat(Arrays.copyOf(buf, n))
                  .isEqualTo(Arrays.copyOfRange(content, (int) pos, (int) pos + n));
              assertThat(in.getPos()).isEqualTo(pos + n);
            }
          }
          case 3 -> {
            int from = length == 0 ? 0 : random.nextInt(length);
            byte[] buf = new byte[Math.min(length - from, chunk(random))];
            ((RangeReadable) in).readFully(from, buf, 0, buf.length);
            assertThat(buf).isEqualTo(Arrays.copyOfRange(content, from, from + buf.length));
            assertThat(in.getPos()).as("positional reads leave the position").isEqualTo(pos);
          }
          default -> {
            byte[] tail = new byte[chunk(random)];
            int n = ((RangeReadable) in).readTail(tail, 0, tail.length);
            assertThat(Arrays.copyOf(tail, n))
                .isEqualTo(Arrays.copyOfRange(content, length - n, length));
          }
        }
      }
    }
  }

  /** Sizes from one byte to past the 256 KiB write buffer, small ones most often. */
  private static int chunk(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> 1;
      case 1 -> 1 + random.nextInt(100);
      case 2 -> 1 + random.nextInt(70_000);
      default -> 200_000 + random.nextInt(400_000);
    };
  }

  @Test
  void everySpellingOfALocalLocationNamesTheSameFile() throws IOException {
    Path file = dir.resolve("a b/c.txt");
    try (OutputStream out = io.newOutputFile(file.toString()).create()) {
      out.write("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    for (String spelling :
        List.of("file:" + file, "file://" + file, "file://localhost" + file, file.toString())) {
      assertThat(io.newInputFile(spelling).exists()).as(spelling).isTrue();
      assertThat(io.newInputFile(spelling).getLength()).as(spelling).isEqualTo(5);
    }
    assertThatThrownBy(() -> io.newInputFile("file://other-host" + file).exists())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names host 'other-host'")
        .hasMessageContaining("Use file:/path");
  }

  @Test
  void createRefusesAnExistingFileAndMissingFilesAreNotFound() throws IOException {
    String location = "file:" + dir.resolve("nested/deeper/metadata.json");
    try (OutputStream out = io.newOutputFile(location).create()) {
      out.write(1);
    }
    assertThatThrownBy(() -> io.newOutputFile(location).create())
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("File already exists: " + location);
    try (OutputStream out = io.newOutputFile(location).createOrOverwrite()) {
      out.write(new byte[] {7, 8});
    }
    assertThat(Files.readAllBytes(LocalFileIO.path(location))).containsExactly(7, 8);

    io.deleteFile(location);
    io.deleteFile(location);
    assertThat(io.newInputFile(location).exists()).isFalse();
    assertThatThrownBy(() -> io.newInputFile(location).newStream())
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("File does not exist: " + location);
    assertThatThrownBy(() -> io.newInputFile(location).getLength())
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(location);
  }

  @Test
  void prefixesListAndDeleteEveryFileBelowThemButNotHadoopChecksums() throws IOException {
    Path data = dir.resolve("table/data");
    Files.createDirectories(data.resolve("day=1"));
    Files.write(data.resolve("a.parquet"), new byte[3]);
    Files.write(data.resolve("day=1/b.parquet"), new byte[5]);
    Files.write(data.resolve(".a.parquet.crc"), new byte[1]);
    Files.write(dir.resolve("table/outside.parquet"), new byte[1]);

    List<String> listed = new ArrayList<>();
    for (FileInfo f : io.listPrefix("file:" + data)) {
      listed.add(f.location() + "=" + f.size());
    }
    assertThat(listed)
        .containsExactlyInAnyOrder(
            "file:" + data.resolve("a.parquet") + "=3",
            "file:" + data.resolve("day=1/b.parquet") + "=5");
    assertThat(io.listPrefix("file:" + dir.resolve("none"))).isEmpty();

    io.deleteFiles(List.of("file:" + data.resolve("a.parquet"), data.resolve("gone").toString()));
    assertThat(data.resolve("a.parquet")).doesNotExist();
    io.deletePrefix("file:" + data);
    assertThat(data).doesNotExist();
    assertThat(dir.resolve("table/outside.parquet")).exists();
  }
}
