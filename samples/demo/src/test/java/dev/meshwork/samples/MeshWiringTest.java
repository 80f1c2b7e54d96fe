package dev.meshwork.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.Settings;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.lineage.OpenLineageListener;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.RunListener;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a mesh discovers, what it is given, and the one line that says which is which. */
class MeshWiringTest {
  @TempDir Path tmp;

  private Settings settings() {
    return Settings.builder().set(Settings.WAREHOUSE, tmp.resolve("wh").toString()).build();
  }

  @Test
  void withNothingConfiguredEveryComponentIsDiscoveredAndSaysSo() {
    try (Mesh mesh = Mesh.builder().settings(settings()).build()) {
      assertThat(mesh.listeners()).hasSize(2).first().isInstanceOf(OpenLineageListener.class);
      assertThat(mesh.listeners().get(1).toString())
          .isEqualTo("product pages in " + tmp.resolve("wh/site"));
      assertThat(mesh.describe())
          .startsWith("Meshwork mesh: store embedded Iceberg warehouse at ")
          .contains(
              tmp.resolve("wh").toAbsolutePath() + " (SQLite catalog catalog.db) (discovered)")
          .contains("listeners OpenLineage to file " + tmp.resolve("wh/lineage/openlineage.jsonl"))
          .contains("product pages in " + tmp.resolve("wh/site"))
          .contains("policy allow-all (no policy configured)")
          .endsWith("quality gate ContractQualityGate (discovered)");
    }
  }

  @Test
  void discoverAddsDiscoveredListenersToConfiguredOnesAndDiscoverNothingUsesOnlyWhatIsGiven() {
    RunListener mine = event -> {};
    try (Mesh implicit = Mesh.builder().settings(settings()).listener(mine).build()) {
      assertThat(implicit.listeners())
          .as("a configured listener stops listener discovery unless asked for")
          .containsExactly(mine);
    }
    try (Mesh both =
        Mesh.builder()
            .settings(settings())
            .listener(mine)
            .discover(Mesh.Component.STORE, Mesh.Component.LISTENERS)
            .build()) {
      assertThat(both.listeners()).hasSize(3).first().isSameAs(mine);
      assertThat(both.listeners().get(1)).isInstanceOf(OpenLineageListener.class);
      assertThat(both.describe())
          .contains("(configured), OpenLineage")
          .contains("quality gate none")
          .as("the gate was not asked for")
          .doesNotContain("ContractQualityGate");
    }
    try (Mesh bare =
        Mesh.builder()
            .settings(settings())
            .store(IcebergStore.embedded(tmp.resolve("own")))
            .discoverNothing()
            .build()) {
      assertThat(bare.listeners()).isEmpty();
      assertThat(bare.describe())
          .contains("(configured)", "listeners none", "policy allow-all", "quality gate none");
    }
  }

  @Test
  void aComponentBothConfiguredAndDiscoveredOrMissingIsAClearError() {
    assertThatThrownBy(
            () ->
                Mesh.builder()
                    .settings(settings())
                    .qualityGate(QualityGate.none())
                    .discover(Mesh.Component.STORE, Mesh.Component.QUALITY_GATE)
                    .build())
        .isInstanceOf(MeshworkException.class)
        .hasMessageContaining("QUALITY_GATE is both configured and to be discovered");
    assertThatThrownBy(() -> Mesh.builder().settings(settings()).discoverNothing().build())
        .isInstanceOf(MeshworkException.class)
        .hasMessageContaining("no table store is configured and store discovery is off");
  }

  @Test
  void theDiscoveredStoreIsConfiguredByTheMeshSettingsAndABadOneNamesTheKey() {
    Settings bad =
        Settings.builder()
            .set(Settings.WAREHOUSE, tmp.resolve("wh").toString())
            .systemProperties(Map.of("meshwork.parquet.compression-threads", "-1"))
            .build();
    assertThatThrownBy(() -> Mesh.builder().settings(bad).build())
        .isInstanceOf(MeshworkException.class)
        .hasMessageContaining("meshwork.parquet.compression-threads must be a whole number from 0")
        .hasMessageContaining("(set by -Dmeshwork.parquet.compression-threads)");
  }
}
