package dev.meshwork.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.internal.schema.ContractSchemas;
import dev.meshwork.core.model.Comparison;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.LogicalType;
import dev.meshwork.core.model.QualityRule;
import dev.meshwork.core.schema.DecimalType;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.ListType;
import dev.meshwork.core.schema.MapType;
import dev.meshwork.core.schema.PartitionColumn;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.core.schema.StructType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorLoadingTest {
  private static final Path FLEET = Path.of("src/test/resources/descriptors/fleet.yaml");

  @Test
  void aProductLoadsWithEveryOdpsSectionAndItsContracts() {
    DataProduct p = DataProduct.load(FLEET);
    assertThat(p.id()).isEqualTo("7f1c2c1e-5d1a-4c55-9d55-7a0a3e9b1f00");
    assertThat(p.domain()).isEqualTo("logistics");
    assertThat(p.tenant()).isEqualTo("acme");
    assertThat(p.description().purpose()).startsWith("Positions");
    assertThat(p.description().customProperties()).hasSize(1);
    assertThat(p.tags()).containsExactly("drones", "telemetry");
    assertThat(p.customProperties().get(0).value()).isEqualTo(4711L);
    assertThat(p.inputPort("flight-plans").customProperty("sourceTable"))
        .hasValue("logistics.planning.flight_plans");
    assertThat(p.outputPort("positions").inputContracts()).hasSize(1);
    assertThat(p.outputPort("positions").sbom().get(0))
        .containsEntry("url", "https://example.com/sbom.json");
    assertThat(p.managementPorts().get(0)).containsEntry("type", "rest");
    assertThat(p.support().get(0)).containsEntry("tool", "slack");
    assertThat(p.team().members().get(0).role()).isEqualTo("owner");
    assertThat(p.extensions()).containsEntry("x-internal-ticket", "FLEET-42");
    assertThat(p.contracts()).containsOnlyKeys("flight-plans", "fleet-positions");
  }

  @Test
  void aContractLoadsWithEveryOdcsSection() {
    DataContract c = DataProduct.load(FLEET).contract("fleet-positions").orElseThrow();
    assertThat(c.apiVersion()).isEqualTo("v3.1.0");
    assertThat(c.servers().get(0).properties())
        .containsEntry("location", "s3://fleet-lake/positions");
    assertThat(c.slaProperties())
        .extracting(s -> s.property())
        .containsExactly("latency", "retention");
    assertThat(c.slaProperties().get(0).value()).isEqualTo(4L);
    assertThat(c.roles().get(0).access()).isEqualTo("read");
    assertThat(c.price()).containsEntry("priceCurrency", "EUR");
    assertThat(c.team().memberListOnly()).isFalse();
    assertThat(c.extensions()).containsEntry("x-lineage-owner", "fleet-data");
    var object = c.schema().get(0);
    assertThat(object.physicalName()).isEqualTo("positions_v2");
    assertThat(object.quality()).extracting(QualityRule::metric).containsExactly("rowCount", null);
    assertThat(object.quality().get(1).query()).contains("battery_pct > 100");
    var battery = object.property("battery_pct").orElseThrow();
    assertThat(battery.quality().get(0).comparison())
        .isEqualTo(new Comparison(Comparison.Operator.MUST_BE_LESS_THAN, 1L));
    assertThat(battery.quality().get(0).arguments())
        .containsEntry("validValues", List.of(0L, 100L));
    assertThat(battery.quality().get(1).comparison().operator())
        .isEqualTo(Comparison.Operator.MUST_BE_BETWEEN);
    assertThat(object.property("pilot_email").orElseThrow().classification())
        .isEqualTo("restricted");
    assertThat(object.property("vendor_blob").orElseThrow().extensions())
        .containsEntry("x-vendor-hint", "keep-me");
    assertThat(object.property("waypoints").orElseThrow().items().logicalType())
        .isEqualTo(LogicalType.OBJECT);
  }

  @Test
  void aV30ContractWithATeamListLoadsAndKeepsItsForm() {
    DataContract c = DataProduct.load(FLEET).contract("flight-plans").orElseThrow();
    assertThat(c.apiVersion()).isEqualTo("v3.0.2");
    assertThat(c.dataProduct()).isEqualTo("planning");
    assertThat(c.team().memberListOnly()).isTrue();
    assertThat(c.team().members())
        .extracting(m -> m.username())
        .containsExactly("grace@example.com");
    assertThat(c.toCanonicalYaml()).contains("team:\n- username: grace@example.com");
  }

  @Test
  void aCustomPropertyIdOfOdcs31IsKeptAndOtherFieldsStillNamed(@TempDir Path dir)
      throws IOException {
    Path original = Path.of("src/test/resources/descriptors/contracts/positions.odcs.yaml");
    String text = Files.readString(original);
    Path withId = dir.resolve("positions.odcs.yaml");
    Files.writeString(
        withId,
        text.replace(
            "  - property: refreshInterval\n",
            "  - id: refresh-cp\n    property: refreshInterval\n"));
    DataContract c = DataContract.load(withId);
    assertThat(c.customProperties())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo("refresh-cp");
              assertThat(p.property()).isEqualTo("refreshInterval");
            });
    assertThat(c.toYaml()).contains("  - id: refresh-cp\n    property: refreshInterval");

    Files.writeString(
        withId,
        text.replace(
            "  - property: refreshInterval\n",
            "  - ident: refresh-cp\n    property: refreshInterval\n"));
    assertThatThrownBy(() -> DataContract.load(withId))
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining("ident")
        .hasMessageContaining("only id, property, value and description");
  }

  @Test
  void writingAndReloadingLosesNothing(@TempDir Path dir) throws IOException {
    DataProduct p = DataProduct.load(FLEET);
    Files.createDirectories(dir.resolve("contracts"));
    Files.writeString(dir.resolve("fleet.yaml"), p.toYaml());
    for (DataContract c : p.contracts().values()) {
      Files.writeString(dir.resolve("contracts").resolve(c.id() + ".yaml"), c.toYaml());
    }
    DataProduct again = DataProduct.load(dir.resolve("fleet.yaml"));
    assertThat(again.toYaml()).isEqualTo(p.toYaml());
    for (DataContract c : p.contracts().values()) {
      assertThat(again.contract(c.id()).orElseThrow().toYaml()).isEqualTo(c.toYaml());
      assertThat(again.contract(c.id()).orElseThrow().schema()).isEqualTo(c.schema());
    }
    assertThat(again.extensions()).isEqualTo(p.extensions());
    assertThat(again.outputPorts()).isEqualTo(p.outputPorts());
    assertThat(again.contract("fleet-positions").orElseThrow().toYaml())
        .contains("x-vendor-hint: keep-me")
        .contains("x-lineage-owner: fleet-data")
        .contains("mustBeBetween:");
  }

  @Test
  void contractsCanBeGivenExplicitlyById(@TempDir Path dir) throws IOException {
    Path product = Files.copy(FLEET, dir.resolve("fleet.yaml"));
    Path contracts = Path.of("src/test/resources/descriptors/contracts");
    DataProduct p =
        DataProduct.loader()
            .contracts(
                Map.of(
                    "fleet-positions", contracts.resolve("positions.odcs.yaml"),
                    "flight-plans", contracts.resolve("flight-plans.odcs.yaml")))
            .load(product);
    assertThat(p.contracts()).containsOnlyKeys("flight-plans", "fleet-positions");
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    DataProduct.loader()
                        .contracts(
                            Map.of(
                                "fleet-positions", contracts.resolve("flight-plans.odcs.yaml")))))
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining(
            "names this file for id 'fleet-positions', but its id is 'flight-plans'");
  }

  @Test
  void everyOdcsLogicalTypeMapsToATableType() {
    DataContract c = DataProduct.load(FLEET).contract("fleet-positions").orElseThrow();
    Schema schema = ContractSchemas.schema(c, c.schema().get(0));
    Map<String, Field> f = schema.fields().stream().collect(Collectors.toMap(Field::name, x -> x));
    assertThat(f.get("sample_id").type()).isEqualTo(PrimitiveType.UUID);
    assertThat(f.get("sample_id").required()).as("primary keys are required").isTrue();
    assertThat(f.get("drone_id").type()).isEqualTo(PrimitiveType.INT);
    assertThat(f.get("sequence").type()).isEqualTo(PrimitiveType.LONG);
    assertThat(f.get("battery_pct").type()).isEqualTo(PrimitiveType.FLOAT);
    assertThat(f.get("altitude_m").type()).isEqualTo(PrimitiveType.DOUBLE);
    assertThat(f.get("payload_kg").type()).isEqualTo(new DecimalType(6, 3));
    assertThat(f.get("airborne").type()).isEqualTo(PrimitiveType.BOOLEAN);
    assertThat(f.get("sample_date").type()).isEqualTo(PrimitiveType.DATE);
    assertThat(f.get("local_time").type()).isEqualTo(PrimitiveType.TIME);
    assertThat(f.get("recorded_at").type()).isEqualTo(PrimitiveType.TIMESTAMP_TZ);
    assertThat(f.get("received_at").type()).isEqualTo(PrimitiveType.TIMESTAMP);
    assertThat(f.get("pilot_email").type()).isEqualTo(PrimitiveType.STRING);
    assertThat(f.get("signature").type()).isEqualTo(PrimitiveType.BINARY);
    assertThat(f.get("position").type())
        .isEqualTo(
            new StructType(
                List.of(
                    new Field("lat", PrimitiveType.DOUBLE, true, null),
                    new Field("lon", PrimitiveType.DOUBLE, true, null))));
    assertThat(f.get("waypoints").type()).isInstanceOf(ListType.class);
    assertThat(((ListType) f.get("labels").type()))
        .isEqualTo(ListType.ofRequired(PrimitiveType.STRING));
    assertThat(f.get("sensor_readings").type())
        .isEqualTo(MapType.ofOptional(PrimitiveType.STRING, PrimitiveType.DOUBLE));
    assertThat(f.get("vendor_blob").type())
        .as("inferred from physicalType")
        .isEqualTo(PrimitiveType.STRING);
    assertThat(schema.identifierFields()).containsExactly("sample_id");
    assertThat(schema.partitioning())
        .containsExactly(new PartitionColumn("sample_date", "identity"));
  }
}
