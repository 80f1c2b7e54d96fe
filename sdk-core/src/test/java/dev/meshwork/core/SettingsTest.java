package dev.meshwork.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path tmp;

  @Test
  void codeBeatsSystemPropertiesBeatEnvironmentBeatsTheFileBeatsTheDefault() throws Exception {
    Path file = tmp.resolve("meshwork.yaml");
    Files.writeString(
        file,
        """
        meshwork:
          warehouse: /from/file
          decision-log: /file/log.jsonl
          policies: /file/policies
          s3:
            path-style: true
        """);
    Settings s =
        Settings.builder()
            .set("meshwork.warehouse", "/from/code")
            .systemProperties(
                Map.of(
                    "meshwork.warehouse", "/from/d",
                    "meshwork.decision-log", "/d/log.jsonl",
                    "meshwork.config", file.toString(),
                    "java.home", "ignored: not a meshwork key"))
            .environment(
                Map.of(
                    "MESHWORK_WAREHOUSE", "/from/env",
                    "MESHWORK_DECISION_LOG", "/env/log.jsonl",
                    "MESHWORK_POLICIES", "/env/policies"))
            .build();
    assertThat(s.get("meshwork.warehouse")).hasValue("/from/code");
    assertThat(s.source("meshwork.warehouse")).isEqualTo("code");
    assertThat(s.get("meshwork.decision-log")).hasValue("/d/log.jsonl");
    assertThat(s.source("meshwork.decision-log")).isEqualTo("-Dmeshwork.decision-log");
    assertThat(s.get("meshwork.policies")).hasValue("/env/policies");
    assertThat(s.source("meshwork.policies")).isEqualTo("environment variable MESHWORK_POLICIES");
    assertThat(s.get("meshwork.s3.path-style")).hasValue("true");
    assertThat(s.source("meshwork.s3.path-style")).isEqualTo(file + ":6:5");
    assertThat(s.get("meshwork.commit.retries")).isEmpty();
    assertThat(s.intValue("meshwork.commit.retries", 25, 0, 1000)).isEqualTo(25);
    assertThat(s.get("java.home")).isEmpty();
    assertThat(s.startingWith("meshwork.s3."))
        .containsOnly(Map.entry("meshwork.s3.path-style", "true"));
  }

  @Test
  void oldSpellingsStillWorkWithADeprecationWarning() {
    Settings s =
        Settings.builder().systemProperties(Map.of("meshwork.decisionLog", "/old.jsonl")).build();
    assertThat(s.get("meshwork.decision-log")).hasValue("/old.jsonl");
    assertThat(s.deprecations())
        .singleElement()
        .asString()
        .isEqualTo(
            "Setting meshwork.decisionLog (in -D) is deprecated: use meshwork.decision-log; the old"
                + " spelling will stop working in a later release.");
    assertThat(Settings.builder().set("meshwork.decision-log", "/x").build().deprecations())
        .isEmpty();
  }

  @Test
  void aBadValueNamesTheKeyTheValueWhatIsAllowedAndWhereItWasSet() throws Exception {
    Settings env =
        Settings.builder()
            .environment(Map.of("MESHWORK_PARQUET_COMPRESSION_THREADS", "lots"))
            .build();
    assertThatThrownBy(() -> env.intValue("meshwork.parquet.compression-threads", 1, 0, 64))
        .isInstanceOf(MeshworkException.class)
        .hasMessage(
            "meshwork.parquet.compression-threads must be a whole number from 0 to 64, but is"
                + " 'lots' (set by environment variable MESHWORK_PARQUET_COMPRESSION_THREADS)");
    Settings big = Settings.builder().set("meshwork.parquet.compression-threads", "65").build();
    assertThatThrownBy(() -> big.intValue("meshwork.parquet.compression-threads", 1, 0, 64))
        .hasMessageContaining("but is '65' (set by code)");

    Path file = tmp.resolve("settings.properties");
    Files.writeString(file, "meshwork.commit.retries=-3\n");
    Path yaml = tmp.resolve("settings.yaml");
    Files.writeString(yaml, "meshwork:\n  commit:\n    retries: many\n");
    Settings fromYaml = Settings.builder().file(yaml).build();
    assertThatThrownBy(() -> fromYaml.intValue("meshwork.commit.retries", 25, 0, 1000))
        .isInstanceOf(DescriptorException.class)
        .hasMessage(
            yaml
                + ":3:5: meshwork.commit.retries must be a whole number from 0 to 1000, but is 'many'");
    assertThat(Settings.builder().file(file).build().get("meshwork.commit.retries")).hasValue("-3");
  }

  @Test
  void aMissingOrMalformedSettingsFileIsAnErrorAtItsPosition() throws Exception {
    Path missing = tmp.resolve("nope.yaml");
    assertThatThrownBy(
            () ->
                Settings.builder()
                    .environment(Map.of("MESHWORK_CONFIG", missing.toString()))
                    .build())
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("no such file");
    Path broken = tmp.resolve("broken.yaml");
    Files.writeString(broken, "meshwork:\n  warehouse: [unclosed\n");
    assertThatThrownBy(() -> Settings.builder().file(broken).build())
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining(broken + ":3:")
        .hasMessageContaining("Malformed YAML");
  }

  @Test
  void theLocalFolderIsTheWarehouseWhenItIsAFolder() {
    assertThat(Settings.empty().localFolder()).isEqualTo(Path.of("warehouse"));
    assertThat(Settings.empty().with(Settings.WAREHOUSE, "/data/wh").localFolder())
        .isEqualTo(Path.of("/data/wh"));
    assertThat(Settings.empty().with(Settings.WAREHOUSE, "file:///data/wh").localFolder())
        .isEqualTo(Path.of("/data/wh"));
    assertThat(Settings.empty().with(Settings.WAREHOUSE, "s3://bucket/wh").localFolder())
        .isEqualTo(Path.of("warehouse"));
  }

  @Test
  void otherToolsVariablesAreReadAfterTheKeysOwn() {
    Settings s =
        Settings.builder()
            .environment(
                Map.of("AWS_REGION", "us-west-2", "OPENLINEAGE__TRANSPORT__TYPE", "console"))
            .build();
    assertThat(s.get("meshwork.s3.region")).hasValue("us-west-2");
    assertThat(s.with("meshwork.s3.region", "eu-west-1").get("meshwork.s3.region"))
        .hasValue("eu-west-1");
    assertThat(s.variablesStartingWith("OPENLINEAGE__"))
        .containsExactly("OPENLINEAGE__TRANSPORT__TYPE");
    assertThat(s.variable("OPENLINEAGE_URL")).isEmpty();
  }
}
