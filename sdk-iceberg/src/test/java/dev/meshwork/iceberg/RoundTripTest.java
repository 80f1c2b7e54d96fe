package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.InputPort;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.OutputPort;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Row;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.model.DataProduct;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
  private static final Path DIR = Path.of("src/test/resources/roundtrip");

  @TempDir Path warehouse;

  private static Table allTypes(Mesh mesh) {
    return ((IcebergStore) mesh.store())
        .catalog()
        .loadTable(TableIdentifier.parse("testing.producer.all_types"));
  }

  @Test
  void recordsWrittenThroughAPortReadBackEqualAcrossEveryType() {
    List<AllTypes> rows = AllTypes.generate(42, 2_000);
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      RunResult written;
      try (Run run =
          mesh.start(DataProduct.load(DIR.resolve("producer.yaml")), Principal.service("test"))) {
        OutputPort<AllTypes> out = run.output("all-types", AllTypes.class);
        out.writeAll(rows);
        written = run.commit();
      }
      assertThat(written.output("all-types").rows()).isEqualTo(2_000);
      assertThat(written.output("all-types").table()).isEqualTo("testing.producer.all_types");

      try (Run run =
          mesh.start(DataProduct.load(DIR.resolve("consumer.yaml")), Principal.service("test"))) {
        InputPort<AllTypes> in = run.input("source", AllTypes.class);
        assertThat(in.version()).hasValue(written.output("all-types").version());
        try (Stream<AllTypes> read = in.read()) {
          assertThat(read.sorted(Comparator.comparingLong(AllTypes::id)).toList())
              .containsExactlyElementsOf(rows);
        }
        // A port's version named explicitly reads the same table at the same pinned version.
        InputPort<AllTypes> named = run.input("source@1.0.0", AllTypes.class);
        assertThat(named.version()).isEqualTo(in.version());
        try (Stream<AllTypes> read = named.read()) {
          assertThat(read.count()).isEqualTo(rows.size());
        }
      }
    }
  }

  /**
   * Tiny pages and row groups and a tiny dictionary budget put every reused buffer, the string
   * paths and dictionary fallbacks through many cycles; every value must still read back.
   */
  @Test
  void manyPagesRowGroupsAndDictionaryFallbacksReadBackEqual() throws Exception {
    List<AllTypes> rows = AllTypes.generate(99, 30_000);
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      DataProduct producer = DataProduct.load(DIR.resolve("producer.yaml"));
      try (Run run = mesh.start(producer, Principal.service("test"))) {
        run.output("all-types", AllTypes.class).writeAll(rows.subList(0, 10));
        run.commit();
      }
      Table table = allTypes(mesh);
      table
          .updateProperties()
          .set(org.apache.iceberg.TableProperties.PARQUET_PAGE_SIZE_BYTES, "1024")
          .set(org.apache.iceberg.TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "262144")
          .set(org.apache.iceberg.TableProperties.PARQUET_DICT_SIZE_BYTES, "2048")
          .commit();
      try (Run run = mesh.start(producer, Principal.service("test"))) {
        run.output("all-types", AllTypes.class).writeAll(rows.subList(10, rows.size()));
        run.commit();
      }
      table.refresh();
      DataFile big = table.currentSnapshot().addedDataFiles(table.io()).iterator().next();
      try (ParquetFileReader reader =
          ParquetFileReader.open(
              HadoopInputFile.fromPath(
                  new org.apache.hadoop.fs.Path(big.location()), new Configuration()))) {
        assertThat(reader.getRowGroups()).hasSizeGreaterThan(3);
      }
      try (Run run =
              mesh.start(
                  DataProduct.load(DIR.resolve("consumer.yaml")), Principal.service("test"));
          Stream<AllTypes> read = run.input("source", AllTypes.class).read()) {
        assertThat(read.sorted(Comparator.comparingLong(AllTypes::id)).toList())
            .containsExactlyElementsOf(rows);
      }
    }
  }

  @Test
  void untypedRowsReadTheSameValuesAsRecords() {
    List<AllTypes> rows = AllTypes.generate(7, 200);
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      try (Run run =
          mesh.start(DataProduct.load(DIR.resolve("producer.yaml")), Principal.service("test"))) {
        run.output("all-types", AllTypes.class).writeAll(rows);
        run.commit();
      }
      try (Run run =
              mesh.start(
                  DataProduct.load(DIR.resolve("consumer.yaml")), Principal.service("test"));
          Stream<Row> read = run.input("source").read()) {
        List<Row> all =
            read.sorted(Comparator.comparingLong(r -> r.get("id", Long.class))).toList();
        assertThat(all).hasSize(200);
        Row third = all.get(3);
        AllTypes expected = rows.get(3);
        assertThat(third.get("small_int")).isEqualTo(expected.smallInt());
        assertThat(third.get("category")).isEqualTo(expected.category().name());
        assertThat(third.get("event_ts")).isEqualTo(expected.eventTs());
        assertThat(third.get("amount")).isEqualTo(expected.amount());
        assertThat(third.values().keySet()).startsWith("id", "small_int", "flag");
      }
    }
  }

  @Test
  void dataFilesAreValidParquetWithIcebergMetrics() throws Exception {
    List<AllTypes> rows = AllTypes.generate(3, 1_000);
    long nullRatios = rows.stream().filter(r -> r.ratio() == null).count();
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      try (Run run =
          mesh.start(DataProduct.load(DIR.resolve("producer.yaml")), Principal.service("test"))) {
        run.output("all-types", AllTypes.class).writeAll(rows);
        run.commit();
      }
      Table table = allTypes(mesh);
      List<DataFile> files = new java.util.ArrayList<>();
      table.currentSnapshot().addedDataFiles(table.io()).forEach(files::add);
      assertThat(files).hasSize(1);
      DataFile file = files.get(0);
      int ratioId = table.schema().findField("ratio").fieldId();
      assertThat(file.recordCount()).isEqualTo(1_000);
      assertThat(file.nullValueCounts()).containsEntry(ratioId, nullRatios);
      assertThat(file.nanValueCounts()).containsEntry(ratioId, 0L);
      assertThat(file.lowerBounds()).containsKey(table.schema().findField("id").fieldId());

      // An independent Parquet reader sees the same rows and columns.
      try (ParquetFileReader reader =
          ParquetFileReader.open(
              HadoopInputFile.fromPath(
                  new org.apache.hadoop.fs.Path(file.location()), new Configuration()))) {
        assertThat(reader.getRecordCount()).isEqualTo(1_000);
        assertThat(reader.getFileMetaData().getSchema().getFields())
            .extracting(org.apache.parquet.schema.Type::getName)
            .startsWith("id", "small_int", "flag", "ratio");
      }
    }
  }

  /**
   * Local warehouses write through Meshwork's java.nio FileIO; one written earlier through Hadoop's
   * local file system (with its checksum sidecars) stays readable and appendable.
   */
  @Test
  void aWarehouseWrittenThroughHadoopsFileSystemStaysReadableAndAppendable() throws Exception {
    List<AllTypes> first = AllTypes.generate(11, 300);
    List<AllTypes> second = AllTypes.generate(12, 400);
    DataProduct producer = DataProduct.load(DIR.resolve("producer.yaml"));
    StoreConfig hadoop =
        StoreConfig.builder()
            .warehouse(warehouse.toString())
            .catalogProperty("io-impl", "org.apache.iceberg.hadoop.HadoopFileIO")
            .build();
    try (Mesh mesh = Mesh.builder().store(IcebergStore.open(hadoop)).build();
        Run run = mesh.start(producer, Principal.service("test"))) {
      run.output("all-types", AllTypes.class).writeAll(first);
      run.commit();
    }
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      try (Run run = mesh.start(producer, Principal.service("test"))) {
        run.output("all-types", AllTypes.class).writeAll(second);
        run.commit();
      }
      Table table = allTypes(mesh);
      assertThat(table.io()).isInstanceOf(dev.meshwork.iceberg.internal.LocalFileIO.class);
      List<Path> sidecars;
      try (Stream<Path> files = java.nio.file.Files.walk(warehouse)) {
        sidecars = files.filter(f -> f.getFileName().toString().endsWith(".parquet.crc")).toList();
      }
      assertThat(sidecars).as("only the Hadoop-written data file has a checksum").hasSize(1);
      try (Run run =
              mesh.start(
                  DataProduct.load(DIR.resolve("consumer.yaml")), Principal.service("test"));
          Stream<AllTypes> read = run.input("source", AllTypes.class).read()) {
        List<AllTypes> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        assertThat(read.toList()).containsExactlyInAnyOrderElementsOf(all);
      }
    }
  }

  /**
   * Publishing runs Iceberg's commit steps in the committing thread; manifests are still merged as
   * the table asks, and every run's rows stay readable.
   */
  @Test
  void publishesMergeManifestsAsTheTableAsks() {
    DataProduct producer = DataProduct.load(DIR.resolve("producer.yaml"));
    List<AllTypes> all = new java.util.ArrayList<>();
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      for (int i = 0; i < 4; i++) {
        List<AllTypes> rows = AllTypes.generate(20 + i, 50);
        all.addAll(rows);
        try (Run run = mesh.start(producer, Principal.service("test"))) {
          run.output("all-types", AllTypes.class).writeAll(rows);
          run.commit();
        }
        if (i == 0) {
          allTypes(mesh)
              .updateProperties()
              .set(org.apache.iceberg.TableProperties.MANIFEST_MIN_MERGE_COUNT, "3")
              .commit();
        }
      }
      Table table = allTypes(mesh);
      assertThat(table.currentSnapshot().allManifests(table.io()))
          .as("four appends with merging from three manifests on")
          .hasSizeLessThan(4);
      try (Run run =
              mesh.start(
                  DataProduct.load(DIR.resolve("consumer.yaml")), Principal.service("test"));
          Stream<AllTypes> read = run.input("source", AllTypes.class).read()) {
        assertThat(read.toList()).containsExactlyInAnyOrderElementsOf(all);
      }
    }
  }
}
