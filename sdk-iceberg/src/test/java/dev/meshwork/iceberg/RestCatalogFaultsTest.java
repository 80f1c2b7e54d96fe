package dev.meshwork.iceberg;

import static dev.meshwork.iceberg.StoreChecks.orderIds;
import static dev.meshwork.iceberg.StoreChecks.orders;
import static dev.meshwork.iceberg.StoreChecks.orphans;
import static dev.meshwork.iceberg.StoreChecks.publish;
import static dev.meshwork.iceberg.StoreChecks.snapshotCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.CommitStateUnknownException;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.StoreException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REST catalog that fails at commit time — gone, or answering 502 with or without having applied
 * the commit — against Iceberg's own REST server on 127.0.0.1. A known failure deletes the staged
 * files; an unknown outcome keeps them, says how to check, and the rerun with the same run id
 * settles it: one copy of the rows, no orphan data files.
 */
class RestCatalogFaultsTest {
  @TempDir Path tmp;
  private InProcessRestCatalog rest;
  private IcebergStore store;
  private Mesh mesh;

  @BeforeEach
  void start() throws Exception {
    Path warehouse = tmp.resolve("warehouse");
    rest = InProcessRestCatalog.start(tmp, warehouse.toUri().toString(), Map.of());
    store =
        IcebergStore.open(
            StoreConfig.builder()
                .warehouse(warehouse.toString())
                .catalogUri(rest.uri())
                // Iceberg's client retries 5xx answers for ~30 s by default; the test needs no
                // wait.
                .catalogProperty("rest.client.max-retries", "1")
                .build());
    mesh = Mesh.builder().store(store).listener(e -> {}).build();
    publish(mesh, "seed", orders(0, 100));
  }

  @AfterEach
  void stop() throws Exception {
    mesh.close();
    rest.close();
  }

  private static java.util.List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  @Test
  void aCatalogGoneAtCommitFailsClearlyAndTheRerunPublishesOnce() throws Exception {
    Table table = StoreChecks.orders(store);
    assertThatThrownBy(
            () -> {
              try (var run =
                  mesh.start(
                      StoreChecks.shop(),
                      dev.meshwork.core.Principal.service("store-test"),
                      dev.meshwork.core.RunOptions.builder()
                          .runId(StoreChecks.runId("gone"))
                          .build())) {
                run.output("orders", StoreChecks.Order.class).writeAll(orders(100, 500));
                rest.stop();
                run.commit();
              }
            })
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("Cannot reach the catalog of sales.shop.orders")
        .hasMessageContaining("Connection refused")
        .hasMessageContaining("Rerun when the catalog is back");
    rest.restart();
    assertThat(orderIds(table)).containsExactlyInAnyOrderElementsOf(range(0, 100));
    assertThat(orphans(table)).as("a known failure deletes the staged files").isEmpty();
    RunResult rerun = publish(mesh, "gone", orders(100, 500));
    assertThat(rerun.output("orders").rows()).isEqualTo(500);
    assertThat(orderIds(table)).containsExactlyInAnyOrderElementsOf(range(0, 600));
    assertThat(snapshotCount(table)).isEqualTo(2);
    assertThat(orphans(table)).isEmpty();
  }

  @Test
  void aCommitThatLandedButWhoseAnswerWasLostIsNotAppendedTwice() {
    Table table = StoreChecks.orders(store);
    rest.commitFault(InProcessRestCatalog.CommitFault.APPLY_THEN_502);
    assertThatThrownBy(() -> publish(mesh, "lost-answer", orders(100, 500)))
        .isInstanceOf(CommitStateUnknownException.class)
        .hasMessageContaining("may or may not have succeeded")
        .hasMessageContaining("meshwork.run-id=" + StoreChecks.runId("lost-answer"))
        .hasMessageContaining("runId(\"" + StoreChecks.runId("lost-answer") + "\")");
    rest.commitFault(InProcessRestCatalog.CommitFault.NONE);
    assertThat(orderIds(table)).as("the commit did land").hasSize(600);
    assertThat(publish(mesh, "lost-answer", orders(100, 500)).output("orders").alreadyPublished())
        .isTrue();
    assertThat(orderIds(table)).containsExactlyInAnyOrderElementsOf(range(0, 600));
    assertThat(snapshotCount(table)).isEqualTo(2);
    assertThat(orphans(table)).isEmpty();
  }

  @Test
  void aCommitThatDidNotLandKeepsItsFilesUntilTheRerunPublishesAndCleansThem() {
    Table table = StoreChecks.orders(store);
    rest.commitFault(InProcessRestCatalog.CommitFault.DROP_WITH_502);
    assertThatThrownBy(() -> publish(mesh, "dropped", orders(100, 500)))
        .isInstanceOf(CommitStateUnknownException.class)
        .hasMessageContaining("staged files were kept");
    rest.commitFault(InProcessRestCatalog.CommitFault.NONE);
    assertThat(orphans(table)).as("kept until the outcome is known").isNotEmpty();
    assertThat(orderIds(table)).hasSize(100);
    assertThat(publish(mesh, "dropped", orders(100, 500)).output("orders").alreadyPublished())
        .isFalse();
    assertThat(orderIds(table)).containsExactlyInAnyOrderElementsOf(range(0, 600));
    assertThat(snapshotCount(table)).isEqualTo(2);
    assertThat(orphans(table)).as("the rerun deleted the first attempt's files").isEmpty();
  }
}
