package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Change;
import dev.meshwork.core.Filter;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Row;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunStateException;
import dev.meshwork.core.model.DataProduct;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input ports read as Arrow batches: every contract type (nested structs, lists and maps too) in
 * its vector, equal to the rows the port reads; filters, the policy's masks and row filters, and
 * change sets; batches outlive nothing the stream owns.
 */
class ArrowReadTest {
  private static final Path ROUNDTRIP = Path.of("src/test/resources/roundtrip");
  private static final Path LIFECYCLE = Path.of("src/test/resources/lifecycle");
  private static final Principal ME = Principal.service("arrow-read-test");

  @TempDir Path warehouse;

  @Test
  void batchesHoldEveryTypeNestedIncludedEqualToTheRowsThePortReads() {
    List<AllTypes> rows = AllTypes.generate(5, 20_000);
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      try (Run run = mesh.start(DataProduct.load(ROUNDTRIP.resolve("producer.yaml")), ME)) {
        run.output("all-types", AllTypes.class).writeAll(rows);
        run.commit();
      }
      try (Run run = mesh.start(DataProduct.load(ROUNDTRIP.resolve("consumer.yaml")), ME)) {
        List<Map<String, Object>> expected;
        try (Stream<Row> read = run.input("source", Row.class).read()) {
          expected = read.map(r -> canonical(r)).sorted(BY_ID).toList();
        }
        List<Integer> sizes = new ArrayList<>();
        List<Map<String, Object>> actual = new ArrayList<>();
        try (Stream<VectorSchemaRoot> batches =
            run.input("source", VectorSchemaRoot.class).read()) {
          batches.forEach(
              b -> {
                try (b) {
                  sizes.add(b.getRowCount());
                  assertThat(b.getVector("location")).isInstanceOf(StructVector.class);
                  assertThat(b.getVector("stops")).isInstanceOf(ListVector.class);
                  assertThat(b.getVector("counters")).isInstanceOf(MapVector.class);
                  assertThat(b.getVector("token")).isInstanceOf(FixedSizeBinaryVector.class);
                  assertThat(b.getVector("event_ts").getField().getType())
                      .isEqualTo(
                          new ArrowType.Timestamp(
                              org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC"));
                  assertThat(b.getVector("id").getField().isNullable()).isFalse();
                  for (int i = 0; i < b.getRowCount(); i++) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (FieldVector v : b.getFieldVectors()) {
                      row.put(v.getName(), value(v, i));
                    }
                    actual.add(row);
                  }
                }
              });
        }
        assertThat(sizes).containsExactly(8_192, 8_192, 3_616);
        actual.sort(BY_ID);
        assertThat(actual).hasSize(20_000);
        for (int i = 0; i < actual.size(); i++) {
          assertThat(actual.get(i)).as("row %d", i).isEqualTo(expected.get(i));
        }
        assertThatThrownBy(() -> run.splits("source", VectorSchemaRoot.class, 2))
            .isInstanceOf(RunStateException.class)
            .hasMessageContaining("splits read records or Rows");
      }
    }
  }

  /**
   * The policy's masks and row filter, and the read's own filter, apply to batches as to records; a
   * change set comes as batches of one kind and version each; a batch left open is closed with the
   * stream.
   */
  @Test
  void masksRowFiltersFiltersAndChangeSetsApplyToBatches() {
    dev.meshwork.spi.PolicyEngine policy =
        request ->
            new dev.meshwork.spi.Decision(
                true,
                List.of("test"),
                request.action() != dev.meshwork.spi.Action.READ
                    ? List.of()
                    : List.of(
                        new dev.meshwork.spi.Decision.ColumnMask(
                            "note", dev.meshwork.spi.Decision.MaskKind.REDACT, 0, null),
                        new dev.meshwork.spi.Decision.RowFilter(
                            "region != r1",
                            row -> !"r1".equals(row.get("region")),
                            Filter.ne("region", "r1"))));
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).policy(policy).build()) {
      FilteredReadTest.publishThirtyOrders(mesh);
      try (Run run = mesh.start(DataProduct.load(LIFECYCLE.resolve("reporting.yaml")), ME)) {
        List<Long> ids = new ArrayList<>();
        List<Object> notes = new ArrayList<>();
        VectorSchemaRoot[] kept = new VectorSchemaRoot[1];
        try (Stream<VectorSchemaRoot> batches =
            run.input("orders", VectorSchemaRoot.class).read(Filter.lt("order_id", 20L))) {
          batches.forEach(
              b -> {
                kept[0] = b; // not closed here: the stream closes it
                BigIntVector id = (BigIntVector) b.getVector("order_id");
                VarCharVector region = (VarCharVector) b.getVector("region");
                for (int i = 0; i < b.getRowCount(); i++) {
                  ids.add(id.get(i));
                  assertThat(region.getObject(i).toString()).isNotEqualTo("r1");
                  notes.add(value(b.getVector("note"), i));
                }
              });
        }
        assertThat(ids)
            .containsExactlyInAnyOrder(0L, 2L, 3L, 5L, 6L, 8L, 9L, 11L, 12L, 14L, 15L, 17L, 18L);
        assertThat(notes).containsOnly("****", null).contains("****");
        assertThat(kept[0].getFieldVectors())
            .as("closed with the stream")
            .allSatisfy(v -> assertThat(v.getValueCapacity()).isZero());

        List<String> kinds = new ArrayList<>();
        int[] rows = {0};
        try (Stream<Change<VectorSchemaRoot>> changes =
            run.input("orders", VectorSchemaRoot.class).changes()) {
          changes.forEach(
              c -> {
                try (VectorSchemaRoot b = c.row()) {
                  kinds.add(c.kind().name());
                  rows[0] += b.getRowCount();
                }
              });
        }
        assertThat(kinds).containsOnly("ADDED");
        assertThat(rows[0]).isEqualTo(20);
      }
    }
  }

  private static final Comparator<Map<String, Object>> BY_ID =
      Comparator.comparingLong(m -> (Long) m.get("id"));

  /** A row's values as plain Java values: nested rows as maps. */
  private static Map<String, Object> canonical(Row r) {
    Map<String, Object> out = new LinkedHashMap<>();
    r.values().forEach((k, v) -> out.put(k, canonicalValue(v)));
    return out;
  }

  private static Object canonicalValue(Object v) {
    if (v instanceof Row r) {
      return canonical(r);
    }
    if (v instanceof List<?> l) {
      return l.stream().map(ArrowReadTest::canonicalValue).toList();
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(canonicalValue(k), canonicalValue(x)));
      return out;
    }
    if (v instanceof Instant i) {
      return i.truncatedTo(ChronoUnit.MICROS);
    }
    return v;
  }

  /** A vector's value at {@code i} as the canonical Java value a {@link Row} holds. */
  private static Object value(FieldVector v, int i) {
    if (v.isNull(i)) {
      return null;
    }
    if (v instanceof MapVector m) {
      StructVector entries = (StructVector) m.getDataVector();
      Map<Object, Object> out = new LinkedHashMap<>();
      for (int j = m.getElementStartIndex(i); j < m.getElementEndIndex(i); j++) {
        out.put(
            value(entries.getChildrenFromFields().get(0), j),
            value(entries.getChildrenFromFields().get(1), j));
      }
      return out;
    }
    if (v instanceof ListVector l) {
      List<Object> out = new ArrayList<>();
      for (int j = l.getElementStartIndex(i); j < l.getElementEndIndex(i); j++) {
        out.add(value(l.getDataVector(), j));
      }
      return out;
    }
    if (v instanceof StructVector s) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (FieldVector c : s.getChildrenFromFields()) {
        out.put(c.getName(), value(c, i));
      }
      return out;
    }
    if (v instanceof VarCharVector s) {
      return s.getObject(i).toString();
    }
    if (v instanceof VarBinaryVector b) {
      return ByteBuffer.wrap(b.get(i));
    }
    if (v instanceof FixedSizeBinaryVector f) {
      ByteBuffer b = ByteBuffer.wrap(f.get(i));
      return new UUID(b.getLong(), b.getLong());
    }
    if (v instanceof DateDayVector d) {
      return LocalDate.ofEpochDay(d.get(i));
    }
    if (v instanceof TimeMicroVector t) {
      return LocalTime.ofNanoOfDay(t.get(i) * 1_000);
    }
    if (v instanceof TimeStampMicroTZVector t) {
      return Instant.EPOCH.plus(t.get(i), ChronoUnit.MICROS);
    }
    return v.getObject(i);
  }
}
