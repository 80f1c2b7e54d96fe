package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.model.DataProduct;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output port listed in two major versions (ODPS entries of one name) publishes each major to a
 * table of its own, in one run, and consumers of either contract read theirs.
 */
class OutputPortVersionsTest {
  @TempDir Path dir;

  /** Version 1: amounts in whole cents. */
  record OrderV1(String id, long cents) {}

  /** Version 2, a breaking change: amounts as decimal euros. */
  record OrderV2(String id, double euros) {}

  private static String contract(String id, String column, String type) {
    return """
        apiVersion: v3.1.0
        kind: DataContract
        id: %s
        name: orders
        version: %s
        status: active
        schema:
          - name: orders
            properties:
              - name: id
                logicalType: string
                required: true
              - name: %s
                logicalType: %s
                required: true
        """
        .formatted(id, id.endsWith("v1") ? "1.2.0" : "2.0.0", column, type);
  }

  @Test
  void eachMajorVersionIsATableOfItsOwnAndTheNameAloneWritesTheHighest() throws IOException {
    Files.writeString(dir.resolve("orders-v1.yaml"), contract("orders-v1", "cents", "integer"));
    Files.writeString(dir.resolve("orders-v2.yaml"), contract("orders-v2", "euros", "number"));
    Path producer =
        Files.writeString(
            dir.resolve("shop.yaml"),
            """
            apiVersion: v1.0.0
            kind: DataProduct
            id: shop
            name: shop
            domain: sales
            status: active
            outputPorts:
              - name: orders
                version: 1.2.0
                contractId: orders-v1
              - name: orders
                version: 2.0.0
                contractId: orders-v2
            """);
    Path consumer =
        Files.writeString(
            dir.resolve("finance.yaml"),
            """
            apiVersion: v1.0.0
            kind: DataProduct
            id: finance
            name: finance
            domain: sales
            status: active
            inputPorts:
              - name: old
                version: 1.2.0
                contractId: orders-v1
              - name: new
                version: 2.0.0
                contractId: orders-v2
            """);
    DataProduct shop = DataProduct.load(producer);
    assertThat(shop.outputPort("orders").version()).isEqualTo("2.0.0");
    assertThat(shop.outputKey("orders")).isEqualTo("orders_v2");
    assertThat(shop.outputKey("orders@1.2.0")).isEqualTo("orders");
    assertThat(shop.outputPort("orders_v2").contractId()).isEqualTo("orders-v2");

    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(dir.resolve("wh"))).build()) {
      RunResult written;
      try (Run run = mesh.start(shop, Principal.service("shop"))) {
        // Both majors are published together while consumers move from one to the other.
        run.output("orders@1.2.0", OrderV1.class)
            .writeAll(List.of(new OrderV1("a", 1250), new OrderV1("b", 99)));
        run.output("orders", OrderV2.class)
            .writeAll(List.of(new OrderV2("a", 12.5), new OrderV2("b", 0.99)));
        written = run.commit();
      }
      assertThat(written.output("orders").table()).isEqualTo("sales.shop.orders");
      assertThat(written.output("orders_v2").table()).isEqualTo("sales.shop.orders_v2");
      assertThat(written.output("orders").rows()).isEqualTo(2);

      try (Run run = mesh.start(DataProduct.load(consumer), Principal.service("finance"));
          Stream<OrderV1> old = run.input("old", OrderV1.class).read();
          Stream<OrderV2> current = run.input("new", OrderV2.class).read()) {
        assertThat(old.toList())
            .containsExactlyInAnyOrder(new OrderV1("a", 1250), new OrderV1("b", 99));
        assertThat(current.toList())
            .containsExactlyInAnyOrder(new OrderV2("a", 12.5), new OrderV2("b", 0.99));
      }
    }
  }
}
