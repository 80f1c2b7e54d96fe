package dev.meshwork.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.RunResult;
import dev.meshwork.iceberg.IcebergStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStartTest {
  @TempDir Path warehouse;

  @Test
  void theReadmeExampleIsTheCompiledOneAndRunsOnTheDefaultStore() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    String section = readme.substring(readme.indexOf("## What the code looks like"));
    int start = section.indexOf("```java") + 8;
    String readmeCode = section.substring(start, section.indexOf("\n```", start));
    String source = Files.readString(Path.of("src/main/java/dev/meshwork/samples/QuickStart.java"));
    String marked =
        source.substring(
            source.indexOf("// README example begin\n") + 25,
            source.indexOf("    // README example end"));
    assertThat(normalize(readmeCode)).isEqualTo(normalize(marked));

    LocalDate day = LocalDate.of(2026, 11, 22);
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      Demo.run(mesh, new Demo.Config(MeshFiles.locate(), day, 2_000, 2_000));
    }
    String previous = System.setProperty("meshwork.warehouse", warehouse.toString());
    try {
      RunResult result = QuickStart.dailyStats(MeshFiles.locate(), day);
      assertThat(result.output("daily-region-stats").rows()).isEqualTo(5);
      assertThat(result.inputs()).hasSize(2);
    } finally {
      if (previous == null) {
        System.clearProperty("meshwork.warehouse");
      } else {
        System.setProperty("meshwork.warehouse", previous);
      }
    }
  }

  private static String normalize(String code) {
    return Arrays.stream(code.split("\n"))
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }
}
