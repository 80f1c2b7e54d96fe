package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Filter;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Row;
import dev.meshwork.core.Run;
import dev.meshwork.core.WriteMode;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Every way a port reads (typed flat records decoded from pages, {@code Row}s and Arrow batches of
 * every column through the generic path, splits) gives the rows Iceberg's generic reader gives,
 * over random tables of every type (nested included, about a fifth of each optional value null):
 * after deletes written copy-on-write or merge-on-read, with a random filter, with and without a
 * policy that redacts a column. Values of the flat columns are compared too, masked as the policy
 * says.
 */
class ReadModesPropertyTest {
  private static final Path DIR = Path.of("src/test/resources/roundtrip");
  private static final Principal ME = Principal.service("read-modes");

  /** The flat columns a typed read takes: decoded straight from the pages. */
  record Flat(long id, int smallInt, String label, Double ratio, LocalDate day) {}

  @Property(tries = 12)
  void everyReadModeGivesIcebergsRows(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3_000) int rows,
      @ForAll boolean mergeOnRead,
      @ForAll boolean redact)
      throws Exception {
    Random r = new Random(seed);
    Path warehouse = Files.createTempDirectory("read-modes");
    PolicyEngine policy =
        request ->
            new Decision(
                true,
                List.of("test"),
                redact && request.action() == Action.READ
                    ? List.of(new Decision.ColumnMask("label", Decision.MaskKind.REDACT, 0, null))
                    : List.of());
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).policy(policy).build()) {
      DataProduct producer = DataProduct.load(DIR.resolve("producer.yaml"));
      try (Run run = mesh.start(producer, ME)) {
        run.output("all-types", AllTypes.class).writeAll(AllTypes.generate(seed, rows));
        run.commit();
      }
      Table table =
          ((IcebergStore) mesh.store())
              .catalog()
              .loadTable(TableIdentifier.parse("testing.producer.all_types"));
      if (mergeOnRead) {
        table.updateProperties().set("write.delete.mode", "merge-on-read").commit();
      }
      if (r.nextBoolean()) {
        List<Object> gone = new ArrayList<>();
        for (long id = r.nextInt(5); id < rows; id += 2 + r.nextInt(9)) {
          gone.add(id);
        }
        try (Run run = mesh.start(producer, ME)) {
          run.output("all-types", AllTypes.class, WriteMode.delete(Filter.in("id", gone)));
          run.commit();
        }
      }
      table.refresh();
      Filter where = filter(r, rows);
      Map<Long, Record> expected = new HashMap<>();
      try (CloseableIterable<Record> all = IcebergGenerics.read(table).build()) {
        for (Record rec : all) {
          if (where == null || where.test(rec::getField)) {
            expected.put((Long) rec.getField("id"), rec);
          }
        }
      }

      try (Run run = mesh.start(DataProduct.load(DIR.resolve("consumer.yaml")), ME)) {
        List<Flat> flat = new ArrayList<>();
        try (Stream<Flat> read = read(run, Flat.class, where)) {
          read.forEach(flat::add);
        }
        assertThat(flat).as("typed records, %s", where).hasSize(expected.size());
        for (Flat f : flat) {
          Record e = expected.get(f.id());
          assertThat(e).as("row %d is one Iceberg reads", f.id()).isNotNull();
          assertThat(f)
              .isEqualTo(
                  new Flat(
                      f.id(),
                      (Integer) e.getField("small_int"),
                      masked(e.getField("label"), redact),
                      (Double) e.getField("ratio"),
                      (LocalDate) e.getField("day")));
        }

        Map<Long, Row> rowsRead = new HashMap<>();
        try (Stream<Row> read = read(run, Row.class, where)) {
          read.forEach(row -> rowsRead.put((Long) row.get("id"), row));
        }
        assertThat(rowsRead.keySet()).as("rows, %s", where).isEqualTo(expected.keySet());
        rowsRead.forEach(
            (id, row) -> {
              Record e = expected.get(id);
              assertThat(row.get("label")).isEqualTo(masked(e.getField("label"), redact));
              Record loc = (Record) e.getField("location");
              Row location = (Row) row.get("location");
              assertThat(location == null ? null : location.get("address"))
                  .as("a nested value")
                  .isEqualTo(loc == null ? null : loc.getField("address"));
            });

        Map<Long, LocalDate> batched = new HashMap<>();
        try (Stream<VectorSchemaRoot> batches = read(run, VectorSchemaRoot.class, where)) {
          batches.forEach(
              b -> {
                try (b) {
                  BigIntVector id = (BigIntVector) b.getVector("id");
                  DateDayVector day = (DateDayVector) b.getVector("day");
                  for (int i = 0; i < b.getRowCount(); i++) {
                    Object label = b.getVector("label").getObject(i);
                    Record e = expected.get(id.get(i));
                    assertThat(label == null ? null : label.toString())
                        .isEqualTo(masked(e.getField("label"), redact));
                    batched.put(id.get(i), LocalDate.ofEpochDay(day.get(i)));
                  }
                }
              });
        }
        assertThat(batched.keySet()).as("Arrow batches, %s", where).isEqualTo(expected.keySet());
        batched.forEach((id, day) -> assertThat(day).isEqualTo(expected.get(id).getField("day")));

        if (where == null) {
          List<Long> split = new ArrayList<>();
          for (var s : run.splits("source", Flat.class, 3)) {
            try (Stream<Flat> read = s.read()) {
              read.forEach(f -> split.add(f.id()));
            }
          }
          assertThat(split).as("splits").containsExactlyInAnyOrderElementsOf(expected.keySet());
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(warehouse)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static <T> Stream<T> read(Run run, Class<T> type, Filter where) {
    return where == null ? run.input("source", type).read() : run.input("source", type).read(where);
  }

  private static String masked(Object label, boolean redact) {
    return label == null ? null : redact ? "****" : label.toString();
  }

  /** No filter, or a random one on flat columns with values from the table's range. */
  private static Filter filter(Random r, int rows) {
    return switch (r.nextInt(7)) {
      case 0 -> null;
      case 1 -> Filter.lt("id", (long) r.nextInt(rows + 1));
      case 2 -> Filter.isNull("ratio");
      case 3 -> Filter.eq("category", List.of("PARCEL", "LETTER", "PALLET").get(r.nextInt(3)));
      case 4 -> Filter.and(Filter.ge("id", (long) r.nextInt(rows + 1)), Filter.notNull("label"));
      case 5 ->
          Filter.or(
              Filter.in("id", List.of(1L, 2L, (long) r.nextInt(rows + 1))),
              Filter.gt("small_int", r.nextInt()));
      default -> Filter.not(Filter.lt("day", LocalDate.of(2020, 1, 1)));
    };
  }
}
