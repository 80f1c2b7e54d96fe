package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Filter;
import dev.meshwork.core.InputRead;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataProduct;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads with a {@link Filter} through an input port, on a real embedded warehouse. */
class FilteredReadTest {
  private static final Path DIR = Path.of("src/test/resources/lifecycle");
  private static final Principal ME = Principal.service("filter-test");

  record Order(long orderId, String region, BigDecimal amount, String note) {}

  /** Only the id: the filter's columns need not be the record's. */
  record OrderId(long orderId) {}

  record RegionTotal(String region, long orders, BigDecimal total) {}

  @TempDir Path warehouse;

  private static void publish(Mesh mesh, int from, int n) {
    try (Run run = mesh.start(DataProduct.load(DIR.resolve("shop.yaml")), ME)) {
      run.output("orders", Order.class)
          .writeAll(
              IntStream.range(from, from + n)
                  .mapToObj(i -> new Order(i, "r" + i % 3, BigDecimal.valueOf(i, 2), null))
                  .toList());
      run.commit();
    }
  }

  private static List<Long> read(Mesh mesh, RunOptions options, Filter where) {
    try (Run run = mesh.start(DataProduct.load(DIR.resolve("reporting.yaml")), ME, options);
        Stream<OrderId> rows = run.input("orders", OrderId.class).read(where)) {
      List<Long> ids = rows.map(OrderId::orderId).sorted().toList();
      run.output("region-totals", RegionTotal.class)
          .write(new RegionTotal("all", ids.size(), BigDecimal.ONE.setScale(2)));
      run.commit();
      return ids;
    }
  }

  /** Orders 0 to 29 in regions r0 to r2, amounts 0.00 to 0.29, a note on the even ones. */
  static void publishThirtyOrders(Mesh mesh) {
    try (Run run = mesh.start(DataProduct.load(DIR.resolve("shop.yaml")), ME)) {
      run.output("orders", Order.class)
          .writeAll(
              IntStream.range(0, 30)
                  .mapToObj(
                      i ->
                          new Order(
                              i, "r" + i % 3, BigDecimal.valueOf(i, 2), i % 2 == 0 ? "n" : null))
                  .toList());
      run.commit();
    }
  }

  @Test
  void aFilteredReadHandsOverExactlyTheMatchingRowsAlsoOfAnIncrementalRange() {
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      publish(mesh, 0, 12);
      publish(mesh, 12, 12);
      RunOptions latest = RunOptions.builder().read("orders", InputRead.latest()).build();
      assertThat(
              read(mesh, latest, Filter.and(Filter.eq("region", "r1"), Filter.ge("order_id", 10))))
          .containsExactly(10L, 13L, 16L, 19L, 22L);
      assertThat(
              read(
                  mesh,
                  latest,
                  Filter.or(
                      Filter.in("order_id", List.of(3, 4L)),
                      Filter.not(Filter.lt("amount", new BigDecimal("0.22"))))))
          .containsExactly(3L, 4L, 22L, 23L);
      assertThat(read(mesh, latest, Filter.isNull("region"))).isEmpty();
      assertThat(read(mesh, latest, Filter.isNull("note"))).hasSize(24);

      RunOptions incremental = RunOptions.builder().read("orders", InputRead.incremental()).build();
      read(mesh, incremental, Filter.eq("region", "r0"));
      publish(mesh, 24, 6);
      assertThat(read(mesh, incremental, Filter.eq("region", "r2")))
          .as("only what was appended since, and of that only what matches")
          .containsExactly(26L, 29L);
    }
  }

  /**
   * A policy's row filter with a {@code Filter} form and its masks are applied while records are
   * made; the same policy with only a whole-row predicate gives the same rows.
   */
  @Test
  void aPolicysFilterAndMasksGiveTheSameRowsStraightIntoRecordsAsOnWholeRows() {
    java.util.concurrent.atomic.AtomicBoolean direct =
        new java.util.concurrent.atomic.AtomicBoolean();
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
                        new dev.meshwork.spi.Decision.ColumnMask(
                            "order_id", dev.meshwork.spi.Decision.MaskKind.HASH, 0, null),
                        new dev.meshwork.spi.Decision.RowFilter(
                            "region != r1",
                            row -> !"r1".equals(row.get("region")),
                            direct.get() ? Filter.ne("region", "r1") : null)));
    List<List<Order>> both = new java.util.ArrayList<>();
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).policy(policy).build()) {
      publishThirtyOrders(mesh);
      for (boolean straight : List.of(true, false)) {
        direct.set(straight);
        try (Run run = mesh.start(DataProduct.load(DIR.resolve("reporting.yaml")), ME);
            Stream<Order> rows = run.input("orders", Order.class).read()) {
          both.add(rows.sorted(java.util.Comparator.comparing(Order::amount)).toList());
        }
      }
    }
    assertThat(both.get(0)).hasSize(20).isEqualTo(both.get(1));
    assertThat(both.get(0))
        .allSatisfy(
            o -> {
              assertThat(o.region()).isNotEqualTo("r1");
              assertThat(o.note()).isIn(null, "****");
            })
        .extracting(Order::orderId)
        .as("hashed ids")
        .doesNotContain(0L, 2L, 3L);
  }

  /**
   * A file imported from elsewhere, without Iceberg field ids and with its columns in another
   * order, is read through the table's name mapping, not by column position.
   */
  @Test
  void importedFilesWithoutFieldIdsAreReadThroughTheTablesNameMapping() throws Exception {
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      publish(mesh, 0, 3);
      org.apache.iceberg.Table t =
          ((IcebergStore) mesh.store())
              .catalog()
              .loadTable(org.apache.iceberg.catalog.TableIdentifier.parse("sales.shop.orders"));
      org.apache.parquet.schema.MessageType noIds =
          // Another order than the table's: only the names say which column is which.
          org.apache.parquet.schema.Types.buildMessage()
              .required(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY)
              .as(org.apache.parquet.schema.LogicalTypeAnnotation.stringType())
              .named("region")
              .required(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64)
              .as(org.apache.parquet.schema.LogicalTypeAnnotation.decimalType(2, 10))
              .named("amount")
              .required(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64)
              .named("order_id")
              .named("imported");
      java.nio.file.Path file = warehouse.resolve("imported.parquet");
      org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
      org.apache.parquet.hadoop.example.GroupWriteSupport.setSchema(noIds, conf);
      try (org.apache.parquet.hadoop.ParquetWriter<org.apache.parquet.example.data.Group> w =
          org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
                  new org.apache.hadoop.fs.Path(file.toUri()))
              .withConf(conf)
              .withType(noIds)
              .build()) {
        w.write(
            new org.apache.parquet.example.data.simple.SimpleGroupFactory(noIds)
                .newGroup()
                .append("order_id", 900L)
                .append("region", "r9")
                .append("amount", 12_345L));
      }
      t.updateProperties()
          .set(
              org.apache.iceberg.TableProperties.DEFAULT_NAME_MAPPING,
              org.apache.iceberg.mapping.NameMappingParser.toJson(
                  org.apache.iceberg.mapping.MappingUtil.create(t.schema())))
          .commit();
      t.newAppend()
          .appendFile(
              org.apache.iceberg.DataFiles.builder(t.spec())
                  .withPath(file.toUri().toString())
                  .withFormat(org.apache.iceberg.FileFormat.PARQUET)
                  .withFileSizeInBytes(java.nio.file.Files.size(file))
                  .withRecordCount(1)
                  .withPartitionPath("region=r9")
                  .build())
          .commit();

      try (Run run =
              mesh.start(
                  DataProduct.load(DIR.resolve("reporting.yaml")),
                  ME,
                  RunOptions.builder().read("orders", InputRead.latest()).build());
          Stream<Order> rows = run.input("orders", Order.class).read()) {
        assertThat(rows.sorted(java.util.Comparator.comparing(Order::orderId)).toList())
            .hasSize(4)
            .last()
            .isEqualTo(new Order(900, "r9", new BigDecimal("123.45"), null));
      }
    }
  }

  @Test
  void aFilterOnAColumnTheContractLacksOrWithAValueOfAnotherTypeIsRefused() {
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      publish(mesh, 0, 3);
      RunOptions latest = RunOptions.builder().read("orders", InputRead.latest()).build();
      assertThatThrownBy(() -> read(mesh, latest, Filter.eq("country", "NL")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Cannot filter input 'orders' on 'country'")
          .hasMessageContaining("[order_id, region, amount, note]");
      assertThatThrownBy(() -> read(mesh, latest, Filter.eq("region", 5)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "Cannot filter input 'orders' on 'region' (string) with 5 (Integer): give a value of"
                  + " the column's type");
      assertThatThrownBy(
              () -> read(mesh, latest, Filter.or(Filter.isNull("note"), Filter.gt("amount", "7"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("on 'amount' (decimal(10,2)) with 7 (String)");
    }
  }
}
