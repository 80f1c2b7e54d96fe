package dev.meshwork.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.internal.binding.Direction;
import dev.meshwork.core.internal.binding.Naming;
import dev.meshwork.core.internal.binding.RecordShapes;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.ListType;
import dev.meshwork.core.schema.MapType;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.StructShape;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RecordBindingTest {
  private static final StructType DELIVERY =
      new StructType(
          List.of(
              Field.required("delivery_id", PrimitiveType.LONG),
              Field.optional("picked_up_at", PrimitiveType.TIMESTAMP_TZ),
              Field.optional(
                  "drop",
                  new StructType(
                      List.of(
                          Field.required("lat", PrimitiveType.DOUBLE),
                          Field.required("lon", PrimitiveType.DOUBLE)))),
              Field.optional("tags", ListType.ofOptional(PrimitiveType.STRING)),
              Field.optional(
                  "weights", MapType.ofOptional(PrimitiveType.STRING, PrimitiveType.DOUBLE))));

  record Point(double lat, double lon) {}

  record Delivery(
      long deliveryId,
      Instant pickedUpAt,
      Point drop,
      List<String> tags,
      Map<String, Double> weights) {}

  record Renamed(@MeshField("delivery_id") long id) {}

  record BadPoint(double lat, String lon) {}

  record Bad(
      String deliveryId, BadPoint drop, List tags, Map<String, Integer> weights, int extra) {}

  @Test
  void aMatchingRecordGetsPrimitiveAccessorsAndBuildsInstances() {
    StructShape<Delivery> shape =
        RecordShapes.forRecord(Delivery.class, DELIVERY, Direction.READ, "test port");
    assertThat(shape.members().get(0).accessor()).isInstanceOf(FieldAccessor.OfLong.class);
    Delivery d = new Delivery(7, Instant.EPOCH, new Point(1, 2), List.of("a"), Map.of("k", 1.0));
    @SuppressWarnings("unchecked")
    FieldAccessor.OfLong<Delivery> id =
        (FieldAccessor.OfLong<Delivery>) shape.members().get(0).accessor();
    assertThat(id.getLong(d)).isEqualTo(7);
    Object[] values = {7L, Instant.EPOCH, new Point(1, 2), List.of("a"), Map.of("k", 1.0)};
    assertThat(shape.create(values)).isEqualTo(d);
  }

  @Test
  void anAnnotatedComponentBindsToTheNamedField() {
    StructShape<Renamed> shape =
        RecordShapes.forRecord(Renamed.class, DELIVERY, Direction.READ, "test port");
    assertThat(shape.type().fields()).extracting(Field::name).containsExactly("delivery_id");
  }

  @Test
  void everyMismatchIsListedWithItsPath() {
    assertThatThrownBy(
            () -> RecordShapes.forRecord(Bad.class, DELIVERY, Direction.WRITE, "output port 'x'"))
        .isInstanceOf(ContractViolationException.class)
        .hasMessageContaining("Cannot bind " + Bad.class.getName() + " to output port 'x'")
        .hasMessageContaining("5 differences")
        .hasMessageContaining("component 'extra' of Bad matches no contract field")
        .hasMessageContaining(
            "delivery_id: is long in the contract, but the component is String; use long or Long")
        .hasMessageContaining("drop.lon: is double in the contract, but the component is String")
        .hasMessageContaining("tags: declare the element type, e.g. List<String>")
        .hasMessageContaining(
            "weights{value}: is double in the contract, but the component is Integer");
  }

  record Nullable(long deliveryId, double pickedUpAt) {}

  @Test
  void readingAnOptionalFieldIntoAPrimitiveIsRejected() {
    StructType t =
        new StructType(
            List.of(
                Field.required("delivery_id", PrimitiveType.LONG),
                Field.optional("picked_up_at", PrimitiveType.DOUBLE)));
    assertThatThrownBy(
            () -> RecordShapes.forRecord(Nullable.class, t, Direction.READ, "input port 'y'"))
        .hasMessageContaining(
            "picked_up_at: the contract allows null, but component 'pickedUpAt' is primitive double; use Double instead");
    assertThat(RecordShapes.forRecord(Nullable.class, t, Direction.WRITE, "output").members())
        .hasSize(2);
  }

  @Test
  void aClassThatIsNotARecordIsExplained() {
    assertThatThrownBy(
            () -> RecordShapes.forRecord(String.class, DELIVERY, Direction.WRITE, "output"))
        .hasMessageContaining(
            "java.lang.String is not a record; ports are typed by Java records (or use Row");
  }

  @Property(tries = 200, seed = "7")
  void camelCaseComponentsMatchTheirSnakeCaseFields(
      @ForAll @Size(min = 1, max = 4)
          List<@AlphaChars @StringLength(min = 1, max = 8) String> words) {
    List<String> lower = words.stream().map(w -> w.toLowerCase(java.util.Locale.ROOT)).toList();
    StringBuilder camel = new StringBuilder(lower.get(0));
    for (String w : lower.subList(1, lower.size())) {
      camel.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
    }
    assertThat(Naming.matches(camel.toString(), String.join("_", lower))).isTrue();
  }
}
