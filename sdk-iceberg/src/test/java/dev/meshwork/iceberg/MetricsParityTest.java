package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast write path must give Iceberg the same file statistics as Iceberg's own generic writer on
 * the same rows: value, null and NaN counts and lower/upper bounds of every column. (Column sizes
 * differ on purpose: Meshwork writes mostly-distinct columns without a dictionary.)
 */
class MetricsParityTest {
  private static final Path DIR = Path.of("src/test/resources/roundtrip");

  @TempDir Path warehouse;

  @Test
  void metricsEqualThoseOfIcebergsOwnWriter() throws Exception {
    List<AllTypes> rows = AllTypes.generate(11, 6_000);
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build()) {
      try (Run run =
          mesh.start(DataProduct.load(DIR.resolve("producer.yaml")), Principal.service("t"))) {
        run.output("all-types", AllTypes.class).writeAll(rows);
        run.commit();
      }
      Table table =
          ((IcebergStore) mesh.store())
              .catalog()
              .loadTable(TableIdentifier.parse("testing.producer.all_types"));
      DataFile ours = table.currentSnapshot().addedDataFiles(table.io()).iterator().next();

      DataWriter<Record> w =
          Parquet.writeData(
                  table
                      .io()
                      .newOutputFile(table.locationProvider().newDataLocation("iceberg.parquet")))
              .forTable(table)
              .createWriterFunc(GenericParquetWriter::create)
              .overwrite()
              .build();
      try (w) {
        for (AllTypes r : rows) {
          w.write(record(table.schema(), r));
        }
      }
      DataFile theirs = w.toDataFile();

      assertThat(ours.recordCount()).isEqualTo(theirs.recordCount());
      assertThat(ours.valueCounts()).isEqualTo(theirs.valueCounts());
      assertThat(ours.nullValueCounts()).isEqualTo(theirs.nullValueCounts());
      assertThat(ours.nanValueCounts()).isEqualTo(theirs.nanValueCounts());
      assertThat(ours.lowerBounds()).isEqualTo(theirs.lowerBounds());
      assertThat(ours.upperBounds()).isEqualTo(theirs.upperBounds());
      assertThat(ours.lowerBounds()).isNotEmpty();
      assertThat(ours.splitOffsets()).hasSameSizeAs(theirs.splitOffsets());
    }
  }

  private static Record record(Schema schema, AllTypes a) {
    GenericRecord r = GenericRecord.create(schema);
    r.setField("id", a.id());
    r.setField("small_int", a.smallInt());
    r.setField("flag", a.flag());
    r.setField("ratio", a.ratio());
    r.setField("score", a.score());
    r.setField("label", a.label());
    r.setField("category", a.category().name());
    r.setField("amount", a.amount());
    r.setField("big_amount", a.bigAmount());
    r.setField("huge_amount", a.hugeAmount());
    r.setField("payload", a.payload());
    r.setField("token", a.token());
    r.setField("day", a.day());
    r.setField("at_time", a.atTime());
    r.setField("local_ts", a.localTs());
    r.setField("event_ts", a.eventTs() == null ? null : a.eventTs().atOffset(ZoneOffset.UTC));
    if (a.location() != null) {
      GenericRecord loc = GenericRecord.create(schema.findType("location").asStructType());
      loc.setField("lat", a.location().lat());
      loc.setField("lon", a.location().lon());
      loc.setField("address", a.location().address());
      r.setField("location", loc);
    }
    r.setField("tags", a.tags());
    if (a.stops() != null) {
      Types.StructType stop = schema.findType("stops").asListType().elementType().asStructType();
      List<Record> stops = new ArrayList<>();
      for (AllTypes.Stop s : a.stops()) {
        GenericRecord g = GenericRecord.create(stop);
        g.setField("seq", s.seq());
        g.setField("name", s.name());
        stops.add(g);
      }
      r.setField("stops", stops);
    }
    r.setField("counters", a.counters());
    return r;
  }
}
