package dev.meshwork.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.InputRead;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Row;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.quality.Check;
import dev.meshwork.quality.Measure;
import dev.meshwork.quality.Profiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilerOnDemoDataTest {
  @TempDir Path warehouse;

  @Test
  void profilingThePublishedDeliveriesSuggestsRulesThatLoadAsAContract() throws Exception {
    Path mesh = MeshFiles.locate();
    Profiler.Profile profile;
    try (Mesh m =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build()) {
      Demo.run(m, new Demo.Config(mesh, LocalDate.of(2026, 11, 22), 4_000, 1_000));
      try (Run run =
              m.start(
                  DataProduct.load(mesh.resolve("delivery-performance.yaml")),
                  Principal.user("analyst"),
                  // The product reads incrementally, and its demo run consumed the day already.
                  RunOptions.builder().read("deliveries", InputRead.latest()).build());
          Stream<Row> rows = run.input("deliveries").read()) {
        profile = Profiler.profile(rows);
      }
    }
    assertThat(profile.rows()).isEqualTo(4_000);
    List<Check> s = profile.suggestions();
    assertThat(s)
        .extracting(Check::id)
        .contains("duplicate-values:delivery_id", "null-values:delivery_id");
    assertThat(s)
        .filteredOn(c -> c.id().equals("invalid-values:status"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.measure())
                    .isInstanceOfSatisfying(
                        Measure.InvalidValues.class,
                        m ->
                            assertThat(m.validValues())
                                .containsExactlyInAnyOrder("CANCELLED", "DELIVERED", "FAILED")));
    assertThat(s)
        .filteredOn(c -> c.id().equals("invalid-values:region"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.measure())
                    .isInstanceOfSatisfying(
                        Measure.InvalidValues.class, m -> assertThat(m.validValues()).hasSize(5)));
    assertThat(s)
        .filteredOn(c -> c.id().equals("null-values:customer_email"))
        .singleElement()
        .satisfies(c -> assertThat(c.unit()).isEqualTo(Check.Unit.PERCENT));
    assertThat(s).filteredOn(c -> c.id().equals("invalid-values:distance_km")).hasSize(1);

    String yaml = profile.toOdcsYaml("deliveries");
    Path file =
        Files.writeString(
            warehouse.resolve("suggested.odcs.yaml"),
            "apiVersion: v3.1.0\nkind: DataContract\nid: suggested\nversion: 0.1.0\nstatus: draft\n"
                + yaml);
    DataContract suggested = DataContract.load(file);
    assertThat(
            suggested.schema().get(0).property("status").orElseThrow().quality().get(1).arguments())
        .containsKey("validValues");
    assertThat(suggested.schema().get(0).property("delivery_id").orElseThrow().required()).isTrue();
  }
}
