package dev.meshwork.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.model.DataContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contracts others wrote (datacontract-cli's fixtures and examples, see the folder's NOTICE) load,
 * and write back with their keys in their order and their comments, meaning what they meant.
 */
class RealWorldDescriptorsTest {
  private static final Path DIR = Path.of("src/test/resources/real-world/datacontract-cli");

  @TempDir Path tmp;

  static Stream<Path> contracts() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).hasSize(12);
      return yaml.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contracts")
  void loadsAndWritesBackAsWritten(Path file) throws IOException {
    String text = Files.readString(file);
    DataContract contract = DataContract.load(file);

    String written = contract.toYaml();

    assertThat(DescriptorRoundTripTest.keys(written)).isEqualTo(DescriptorRoundTripTest.keys(text));
    assertThat(comments(written)).isEqualTo(comments(text));
    Path again = Files.writeString(tmp.resolve(file.getFileName()), written);
    assertThat(DescriptorRoundTripTest.withoutSource(DataContract.load(again)))
        .isEqualTo(DescriptorRoundTripTest.withoutSource(contract));
  }

  /** The comments of a text, in order (text after a '#' that starts a line or follows a space). */
  private static List<String> comments(String yaml) {
    return yaml.lines()
        .map(
            l ->
                l.strip().startsWith("#")
                    ? l.strip()
                    : l.contains(" #") ? l.substring(l.indexOf(" #") + 1).strip() : null)
        .filter(c -> c != null)
        .toList();
  }
}
