package dev.meshwork.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.RunResult;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.testing.MeshExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QuickStartTest {
  @RegisterExtension final MeshExtension kit = MeshExtension.embedded();

  @Test
  void theReadmeExampleIsTheCompiledOneAndRunsOnTheDefaultStore() throws Exception {
    String readme = Files.readString(Path.of("../../README.md"));
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
    Demo.run(kit.mesh(), new Demo.Config(MeshFiles.locate(), day, 2_000, 2_000));
    // The demo's own run of the product consumed the day: QuickStart, a later run, finds nothing
    // new.
    RunResult result = QuickStart.dailyStats(MeshFiles.locate(), kit.settings());
    assertThat(result.output("daily-region-stats").rows()).isZero();
    assertThat(result.inputs()).hasSize(2).allSatisfy(i -> assertThat(i.rows()).isZero());
    DataProduct product = DataProduct.load(MeshFiles.locate().resolve("delivery-performance.yaml"));
    kit.published(product, "daily-region-stats").hasRows(5);

    // The next day's sources: QuickStart reads only those and appends the day's five rows.
    LocalDate next = day.plusDays(1);
    Demo.Config config = new Demo.Config(MeshFiles.locate(), next, 3_000, 1_000);
    List<Demo.ProductRun> sources = Demo.runSources(kit.mesh(), config);
    result = QuickStart.dailyStats(MeshFiles.locate(), kit.settings());
    assertThat(result.output("daily-region-stats").rows()).isEqualTo(5);
    assertThat(result.input("deliveries").rows()).isEqualTo(3_000);
    assertThat(result.input("telemetry").rows())
        .as("the samples published, not those quarantined")
        .isEqualTo(sources.get(1).result().output("telemetry").rows());
    assertThat(kit.published(product, "daily-region-stats").hasRows(10).column("day"))
        .containsOnly(day, next);
  }

  private static String normalize(String code) {
    return Arrays.stream(code.split("\n"))
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }
}
