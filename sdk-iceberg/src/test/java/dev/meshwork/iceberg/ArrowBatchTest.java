package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.OutputPort;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrow batches through an output port: the same rows written as Arrow batches (one batch object
 * reused and refilled, as pipelines do) and as records give tables that Iceberg's generic reader
 * reads back equal, with equal Iceberg metrics; batches that do not fit the contract are refused
 * whole, naming every difference.
 */
class ArrowBatchTest {
  private static final Path DIR = Path.of("src/test/resources/arrow");
  private static final int ROWS = 6_000;
  private static final int BATCH = 1_500;

  /** A row of the measurements contract, as a pipeline would hold it. */
  record Measurement(
      long id,
      int small,
      Double measure,
      float ratio,
      boolean flag,
      String category,
      String note,
      LocalDate day,
      LocalDateTime localTs,
      Instant eventTs,
      BigDecimal amount,
      double level,
      LocalDate seenOn) {}

  @TempDir Path warehouse;
  private BufferAllocator allocator;
  private Mesh mesh;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
    mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build();
  }

  @AfterEach
  void close() {
    mesh.close();
    allocator.close();
  }

  private static List<Measurement> generate(int n) {
    Random r = new Random(5);
    String[] categories = {"north", "south", "éast", "wëst", "日本"};
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    List<Measurement> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant at = base.plus(r.nextInt(1_000_000_000), ChronoUnit.MICROS).plusSeconds(i);
      out.add(
          new Measurement(
              i,
              r.nextInt(),
              i % 10 == 0 ? null : i % 97 == 0 ? Double.NaN : r.nextGaussian() * 100,
              r.nextFloat(),
              r.nextBoolean(),
              categories[r.nextInt(categories.length)],
              i % 7 == 0 ? null : "note " + Long.toHexString(r.nextLong()),
              i % 11 == 0 ? null : LocalDate.ofEpochDay(19_000 + r.nextInt(2_000)),
              LocalDateTime.ofInstant(at, ZoneOffset.UTC),
              i % 13 == 0 ? null : at,
              i % 5 == 0 ? null : BigDecimal.valueOf(r.nextLong() % 10_000_000_000L, 2),
              // Few distinct values, then many: past the encoding sample (4,096 rows), so that
              // the dictionary fills up inside a batch. Whole numbers, NaN and both zeros.
              i % 89 == 0 ? Double.NaN : i % 61 == 0 ? -0.0 : (double) (i < 4_600 ? i % 40 : i),
              LocalDate.ofEpochDay(19_000 + (i < 4_500 ? i % 30 : i))));
    }
    return out;
  }

  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  /** Fills the reused batch with rows {@code from} to {@code to}. */
  private static void fill(VectorSchemaRoot root, List<Measurement> rows, int from, int to) {
    root.allocateNew();
    int n = to - from;
    BigIntVector id = (BigIntVector) root.getVector("id");
    IntVector small = (IntVector) root.getVector("small");
    Float8Vector measure = (Float8Vector) root.getVector("measure");
    Float4Vector ratio = (Float4Vector) root.getVector("ratio");
    BitVector flag = (BitVector) root.getVector("flag");
    VarCharVector category = (VarCharVector) root.getVector("category");
    VarCharVector note = (VarCharVector) root.getVector("note");
    DateDayVector day = (DateDayVector) root.getVector("day");
    TimeStampMicroVector localTs = (TimeStampMicroVector) root.getVector("local_ts");
    TimeStampMicroTZVector eventTs = (TimeStampMicroTZVector) root.getVector("event_ts");
    DecimalVector amount = (DecimalVector) root.getVector("amount");
    Float8Vector level = (Float8Vector) root.getVector("level");
    DateDayVector seenOn = (DateDayVector) root.getVector("seen_on");
    for (int i = 0; i < n; i++) {
      Measurement m = rows.get(from + i);
      id.setSafe(i, m.id());
      small.setSafe(i, m.small());
      if (m.measure() == null) {
        measure.setNull(i);
      } else {
        measure.setSafe(i, m.measure());
      }
      ratio.setSafe(i, m.ratio());
      flag.setSafe(i, m.flag() ? 1 : 0);
      category.setSafe(i, m.category().getBytes(StandardCharsets.UTF_8));
      if (m.note() == null) {
        note.setNull(i);
      } else {
        note.setSafe(i, m.note().getBytes(StandardCharsets.UTF_8));
      }
      if (m.day() == null) {
        day.setNull(i);
      } else {
        day.setSafe(i, (int) m.day().toEpochDay());
      }
      localTs.setSafe(i, micros(m.localTs().toInstant(ZoneOffset.UTC)));
      if (m.eventTs() == null) {
        eventTs.setNull(i);
      } else {
        eventTs.setSafe(i, micros(m.eventTs()));
      }
      if (m.amount() == null) {
        amount.setNull(i);
      } else {
        amount.setSafe(i, m.amount());
      }
      level.setSafe(i, m.level());
      seenOn.setSafe(i, (int) m.seenOn().toEpochDay());
    }
    root.setRowCount(n);
  }

  private VectorSchemaRoot newBatch() {
    org.apache.arrow.vector.types.pojo.Schema schema =
        new org.apache.arrow.vector.types.pojo.Schema(
            List.of(
                field("id", new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true), false),
                field(
                    "small", new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true), false),
                field(
                    "measure",
                    new org.apache.arrow.vector.types.pojo.ArrowType.FloatingPoint(
                        org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE),
                    true),
                field(
                    "ratio",
                    new org.apache.arrow.vector.types.pojo.ArrowType.FloatingPoint(
                        org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE),
                    false),
                field("flag", org.apache.arrow.vector.types.pojo.ArrowType.Bool.INSTANCE, false),
                field(
                    "category", org.apache.arrow.vector.types.pojo.ArrowType.Utf8.INSTANCE, false),
                field("note", org.apache.arrow.vector.types.pojo.ArrowType.Utf8.INSTANCE, true),
                field(
                    "day",
                    new org.apache.arrow.vector.types.pojo.ArrowType.Date(
                        org.apache.arrow.vector.types.DateUnit.DAY),
                    true),
                field(
                    "local_ts",
                    new org.apache.arrow.vector.types.pojo.ArrowType.Timestamp(
                        org.apache.arrow.vector.types.TimeUnit.MICROSECOND, null),
                    false),
                field(
                    "event_ts",
                    new org.apache.arrow.vector.types.pojo.ArrowType.Timestamp(
                        org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC"),
                    true),
                field(
                    "amount",
                    new org.apache.arrow.vector.types.pojo.ArrowType.Decimal(12, 2, 128),
                    true),
                field(
                    "level",
                    new org.apache.arrow.vector.types.pojo.ArrowType.FloatingPoint(
                        org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE),
                    false),
                field(
                    "seen_on",
                    new org.apache.arrow.vector.types.pojo.ArrowType.Date(
                        org.apache.arrow.vector.types.DateUnit.DAY),
                    false)));
    return VectorSchemaRoot.create(schema, allocator);
  }

  private static org.apache.arrow.vector.types.pojo.Field field(
      String name, org.apache.arrow.vector.types.pojo.ArrowType type, boolean nullable) {
    return new org.apache.arrow.vector.types.pojo.Field(
        name, new org.apache.arrow.vector.types.pojo.FieldType(nullable, type, null), null);
  }

  private Table table(String name) {
    return ((IcebergStore) mesh.store())
        .catalog()
        .loadTable(TableIdentifier.parse("testing.arrow." + name));
  }

  private static List<Record> readAll(Table t) throws Exception {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      it.forEach(out::add);
    }
    out.sort(Comparator.comparingLong(r -> (Long) r.getField("id")));
    return out;
  }

  @Test
  void batchesReadBackEqualToTheRowsAndGiveTheMetricsOfTheRecordPath() throws Exception {
    List<Measurement> rows = generate(ROWS);
    try (Run run =
            mesh.start(DataProduct.load(DIR.resolve("producer.yaml")), Principal.service("t"));
        VectorSchemaRoot batch = newBatch()) {
      OutputPort<VectorSchemaRoot> port = run.output("from-arrow", VectorSchemaRoot.class);
      for (int from = 0; from < ROWS; from += BATCH) {
        fill(batch, rows, from, Math.min(ROWS, from + BATCH));
        port.write(batch);
      }
      assertThat(port.rows()).isEqualTo(ROWS);
      run.output("from-records", Measurement.class).writeAll(rows);
      run.commit();
    }

    List<Record> arrow = readAll(table("from_arrow"));
    assertThat(arrow).hasSize(ROWS);
    for (int i = 0; i < ROWS; i++) {
      Measurement m = rows.get(i);
      Record r = arrow.get(i);
      assertThat(r.getField("id")).isEqualTo(m.id());
      assertThat(r.getField("small")).isEqualTo(m.small());
      assertThat(r.getField("measure")).isEqualTo(m.measure());
      assertThat(r.getField("ratio")).isEqualTo(m.ratio());
      assertThat(r.getField("flag")).isEqualTo(m.flag());
      assertThat(r.getField("category")).isEqualTo(m.category());
      assertThat(r.getField("note")).isEqualTo(m.note());
      assertThat(r.getField("day")).isEqualTo(m.day());
      assertThat(r.getField("local_ts")).isEqualTo(m.localTs());
      assertThat(r.getField("event_ts"))
          .isEqualTo(
              m.eventTs() == null ? null : OffsetDateTime.ofInstant(m.eventTs(), ZoneOffset.UTC));
      assertThat(r.getField("amount")).isEqualTo(m.amount());
      assertThat(r.getField("level")).isEqualTo(m.level());
      assertThat(r.getField("seen_on")).isEqualTo(m.seenOn());
    }
    assertThat(readAll(table("from_records"))).isEqualTo(arrow);

    DataFile fromArrow = onlyFile(table("from_arrow"));
    DataFile fromRecords = onlyFile(table("from_records"));
    assertThat(fromArrow.recordCount()).isEqualTo(ROWS);
    assertThat(fromArrow.valueCounts()).isEqualTo(fromRecords.valueCounts());
    assertThat(fromArrow.nullValueCounts()).isEqualTo(fromRecords.nullValueCounts());
    assertThat(fromArrow.nanValueCounts()).isEqualTo(fromRecords.nanValueCounts());
    assertThat(fromArrow.lowerBounds()).isEqualTo(fromRecords.lowerBounds());
    assertThat(fromArrow.upperBounds()).isEqualTo(fromRecords.upperBounds());
  }

  /**
   * With small pages and a small dictionary limit, a batch's columns cross page boundaries and
   * leave the dictionary for plain encoding in the middle of a batch: every column chunk the
   * batches wrote equals the one the records wrote, in its encodings, sizes and statistics and in
   * each page's rows, size, bounds and null count.
   */
  @Test
  void batchesCrossPagesAndLeaveTheDictionaryExactlyAsRecordsDo() throws Exception {
    DataProduct product = DataProduct.load(DIR.resolve("producer.yaml"));
    List<Measurement> rows = generate(ROWS);
    // A first run creates both tables; their pages and dictionaries are then made small.
    try (Run run = mesh.start(product, Principal.service("t"))) {
      run.output("from-arrow", Measurement.class).writeAll(rows.subList(0, 1));
      run.output("from-records", Measurement.class).writeAll(rows.subList(0, 1));
      run.commit();
    }
    for (String name : List.of("from_arrow", "from_records")) {
      table(name)
          .updateProperties()
          .set(org.apache.iceberg.TableProperties.PARQUET_PAGE_ROW_LIMIT, "1000")
          .set(org.apache.iceberg.TableProperties.PARQUET_DICT_SIZE_BYTES, "2048")
          .commit();
    }
    try (Run run = mesh.start(product, Principal.service("t"));
        VectorSchemaRoot batch = newBatch()) {
      OutputPort<VectorSchemaRoot> port = run.output("from-arrow", VectorSchemaRoot.class);
      for (int from = 0; from < ROWS; from += BATCH) {
        fill(batch, rows, from, Math.min(ROWS, from + BATCH));
        port.write(batch);
      }
      run.output("from-records", Measurement.class).writeAll(rows);
      run.commit();
    }

    try (org.apache.parquet.hadoop.ParquetFileReader arrow = open(onlyFile(table("from_arrow")));
        org.apache.parquet.hadoop.ParquetFileReader records =
            open(onlyFile(table("from_records")))) {
      var arrowChunks = arrow.getFooter().getBlocks().get(0).getColumns();
      var recordChunks = records.getFooter().getBlocks().get(0).getColumns();
      assertThat(arrowChunks).hasSameSizeAs(recordChunks);
      int multiPage = 0;
      for (int c = 0; c < arrowChunks.size(); c++) {
        var a = arrowChunks.get(c);
        var r = recordChunks.get(c);
        String column = a.getPath().toDotString();
        assertThat(a.getEncodings()).as(column).isEqualTo(r.getEncodings());
        assertThat(a.getTotalSize()).as(column).isEqualTo(r.getTotalSize());
        assertThat(a.getTotalUncompressedSize()).as(column).isEqualTo(r.getTotalUncompressedSize());
        assertThat(a.getStatistics()).as(column).isEqualTo(r.getStatistics());
      }
      // Page by page: the same rows, statistics and bytes.
      var arrowPages = arrow.readNextRowGroup();
      var recordPages = records.readNextRowGroup();
      for (var descriptor : arrow.getFooter().getFileMetaData().getSchema().getColumns()) {
        String column = String.join(".", descriptor.getPath());
        var ap = arrowPages.getPageReader(descriptor);
        var rp = recordPages.getPageReader(descriptor);
        var ad = ap.readDictionaryPage();
        var rd = rp.readDictionaryPage();
        assertThat(ad == null ? null : ad.getBytes().toByteArray())
            .as(column)
            .isEqualTo(rd == null ? null : rd.getBytes().toByteArray());
        int pages = 0;
        for (var a = ap.readPage(); a != null; a = ap.readPage(), pages++) {
          var r = (org.apache.parquet.column.page.DataPageV1) rp.readPage();
          var av = (org.apache.parquet.column.page.DataPageV1) a;
          assertThat(r).as(column + " page " + pages).isNotNull();
          assertThat(av.getValueCount()).as(column).isEqualTo(r.getValueCount());
          assertThat(av.getValueEncoding()).as(column).isEqualTo(r.getValueEncoding());
          assertThat(av.getStatistics()).as(column).isEqualTo(r.getStatistics());
          assertThat(av.getBytes().toByteArray()).as(column).isEqualTo(r.getBytes().toByteArray());
        }
        assertThat(rp.readPage()).as(column).isNull();
        multiPage += pages > 1 ? 1 : 0;
      }
      // The small settings took effect: pages end inside batches of 1,500 rows.
      assertThat(multiPage).isEqualTo(arrowChunks.size());
      assertThat(arrowChunks)
          .filteredOn(chunk -> chunk.getPath().toDotString().equals("seen_on"))
          .singleElement()
          .satisfies(
              chunk ->
                  assertThat(chunk.getEncodings())
                      .contains(
                          org.apache.parquet.column.Encoding.PLAIN,
                          org.apache.parquet.column.Encoding.PLAIN_DICTIONARY));
    }
    assertThat(readAll(table("from_arrow"))).isEqualTo(readAll(table("from_records")));
  }

  private static org.apache.parquet.hadoop.ParquetFileReader open(DataFile file)
      throws java.io.IOException {
    return org.apache.parquet.hadoop.ParquetFileReader.open(
        org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(file.location()),
            new org.apache.hadoop.conf.Configuration()));
  }

  private static DataFile onlyFile(Table t) {
    List<DataFile> files = new ArrayList<>();
    t.currentSnapshot().addedDataFiles(t.io()).forEach(files::add);
    assertThat(files).hasSize(1);
    return files.get(0);
  }

  @Test
  void aBatchThatDoesNotFitTheContractIsRefusedWholeAndTheRunGoesOn() throws Exception {
    List<Measurement> rows = generate(100);
    org.apache.arrow.vector.types.pojo.Schema wrong =
        new org.apache.arrow.vector.types.pojo.Schema(
            List.of(
                field("id", new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true), false),
                field(
                    "small", new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true), true),
                field("colour", org.apache.arrow.vector.types.pojo.ArrowType.Utf8.INSTANCE, true)));
    try (Run run =
            mesh.start(DataProduct.load(DIR.resolve("producer.yaml")), Principal.service("t"));
        VectorSchemaRoot bad = VectorSchemaRoot.create(wrong, allocator);
        VectorSchemaRoot good = newBatch()) {
      bad.allocateNew();
      ((IntVector) bad.getVector("id")).setSafe(0, 1);
      ((IntVector) bad.getVector("small")).setNull(0);
      bad.setRowCount(1);
      OutputPort<VectorSchemaRoot> port = run.output("from-arrow", VectorSchemaRoot.class);
      assertThatThrownBy(() -> port.write(bad))
          .isInstanceOf(ContractViolationException.class)
          .hasMessageContaining("Cannot write a batch of 1 rows to output port 'from-arrow'")
          .satisfies(
              e ->
                  assertThat(((ContractViolationException) e).differences())
                      .anyMatch(d -> d.startsWith("id: is Int(32, true) in the batch, but long"))
                      .anyMatch(d -> d.startsWith("small: 1 null value(s)"))
                      .anyMatch(d -> d.startsWith("ratio: missing"))
                      .anyMatch(d -> d.startsWith("colour: not in the contract")));
      assertThat(port.rows()).isZero();
      fill(good, rows, 0, rows.size());
      good.getVector("note").setValueCount(40);
      assertThatThrownBy(() -> port.write(good))
          .isInstanceOf(ContractViolationException.class)
          .satisfies(
              e ->
                  assertThat(((ContractViolationException) e).differences())
                      .containsExactly(
                          "note: holds 40 value(s), but the batch has 100 rows; set the vector's"
                              + " value count (setValueCount) after filling it"));
      assertThat(port.rows()).isZero();
      fill(good, rows, 0, rows.size());
      port.write(good);
      run.commit();
    }
    assertThat(readAll(table("from_arrow"))).hasSize(100);
  }

  @Test
  void aContractWithColumnsArrowCannotCarryIsRefusedWhenThePortOpens() {
    try (Run run =
        mesh.start(DataProduct.load(DIR.resolve("producer.yaml")), Principal.service("t"))) {
      assertThatThrownBy(() -> run.output("all-types", VectorSchemaRoot.class))
          .isInstanceOf(ContractViolationException.class)
          .hasMessageContaining("Cannot write output port 'all-types'")
          .satisfies(
              e ->
                  assertThat(((ContractViolationException) e).differences())
                      .anyMatch(d -> d.startsWith("payload: binary columns cannot be written"))
                      .anyMatch(d -> d.startsWith("location: ")));
    }
  }
}
