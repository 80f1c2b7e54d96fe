package dev.meshwork.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages render what the product cards hold, text HTML-escaped wherever it comes from (a
 * description, a column, a rule), charts with one bar per publish and downstream products found
 * from other cards' inputs.
 */
class StaticSiteTest {
  @TempDir Path site;

  private void card(String file, String json) throws IOException {
    Files.createDirectories(site.resolve("data"));
    Files.writeString(site.resolve("data").resolve(file), json);
  }

  @Test
  void pagesEscapeTextAndDrawHistoryAndLineage() throws IOException {
    card(
        "sales.orders.json",
        """
        {"key":"sales.orders","id":"p1","name":"orders","domain":"sales","version":"1.0.0",
         "status":"active","purpose":"Orders <script>alert(1)</script> & more","tags":["source"],
         "owners":["ana@example.com"],"inputs":[],
         "ports":{"orders":{"name":"orders","table":"sales.orders.orders","location":"file:/w/o",
           "contractId":"c1","contractVersion":"1.0.0","description":"One row per order",
           "columns":[{"name":"id","type":"integer","required":true,"primaryKey":true,
             "classification":"public","description":"<b>key</b>"}],
           "sla":[{"property":"latency","value":1,"unit":"d"}],
           "latest":{"runId":"r2","time":"2026-12-05T06:00:00Z","version":2,"rows":7,"mode":"append",
             "quality":[{"rule":"enough-<rows>","column":null,"success":false,"severity":"warning",
               "observed":"7","expected":">= 10"}]},
           "history":[{"time":"t1","runId":"r1","version":1,"rows":5,"failed":0,
                       "contractVersion":"1.0.0","metrics":{"enough-<rows>":5.0,"nulls":0.0}},
                      {"time":"t2","runId":"r2","version":2,"rows":7,"failed":1,
                       "contractVersion":"1.1.0","metrics":{"enough-<rows>":7.0}}]}}}
        """);
    card(
        "sales.report.json",
        """
        {"key":"sales.report","id":"p2","name":"report","domain":"sales","version":"1.0.0",
         "status":"active","purpose":"A report","tags":[],"owners":[],
         "inputs":[{"port":"orders","table":"sales.orders.orders"}],"ports":{}}
        """);
    StaticSitePublisher pages =
        StaticSitePublisher.at(
            site, Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC));
    assertThat(pages.rebuild()).isEqualTo(2);

    String index = Files.readString(site.resolve("index.html"));
    assertThat(index)
        .contains("products/sales.orders.html", "products/sales.report.html")
        .contains("Orders &lt;script&gt;alert(1)&lt;/script&gt; &amp; more")
        .doesNotContain("<script>alert(1)")
        .contains("<option>ana@example.com</option>", "<option>source</option>");
    String orders = Files.readString(site.resolve("products/sales.orders.html"));
    assertThat(orders)
        .contains("&lt;b&gt;key&lt;/b&gt;")
        .contains("enough-&lt;rows&gt;")
        .contains("class=\"fail\">failed")
        .contains("spark.table(")
        .contains("Downstream: <a href=\"sales.report.html\">sales.report</a>");
    // Freshness against the contract's SLA, at the clock's time (2 d 18 h after the publish).
    assertThat(orders)
        .contains(
            "class=\"fail\">Late: published 1 d 18 h ago; the contract&#39;s latency is 1 d, exceeded"
                + " by 18 h.")
        .contains("<th scope=\"row\">SLA latency</th><td>1 d</td>");
    // A chart per rule that observed numbers: two points for one, one for the other.
    assertThat(orders.split("class=\"chart metric\"", -1)).hasSize(3);
    assertThat(orders.split("<circle ", -1)).hasSize(1 + 3);
    assertThat(orders).contains("Rule enough-&lt;rows&gt; of orders: observed value per publish");
    // The contract versions, latest first.
    assertThat(orders)
        .containsSubsequence(
            "<td>1.1.0</td><td>t2</td><td>t2</td><td>1</td><td>2</td>",
            "<td>1.0.0</td><td>t1</td><td>t1</td><td>1</td><td>1</td>");
    assertThat(orders.split("<rect x=", -1))
        .as("two bars and three graph nodes")
        .hasSize(1 + 2 + 2);
    assertThat(orders).contains("class=\"bar warn\"");
    String report = Files.readString(site.resolve("products/sales.report.html"));
    assertThat(report).contains("Upstream: <a href=\"sales.orders.html\">sales.orders</a>");
  }

  /**
   * Publishers updating one product's card at once (threads here; processes take the same file
   * lock) keep every publish in its history: a card is read, changed and written under the lock.
   */
  @Test
  void concurrentPublishesOfOneProductKeepEveryRunInItsHistory() throws Exception {
    dev.meshwork.core.model.DataProduct orders =
        dev.meshwork.core.model.DataProduct.load(Path.of("src/test/resources/lineage/orders.yaml"));
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  StaticSitePublisher pages = StaticSitePublisher.at(site);
                  for (int i = 0; i < 5; i++) {
                    pages.publish(completed(orders, "run-" + thread + "-" + i));
                  }
                }));
      }
      for (var f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    String card = Files.readString(site.resolve("data/sales.orders.json"));
    for (int t = 0; t < 4; t++) {
      for (int i = 0; i < 5; i++) {
        assertThat(card).contains("\"runId\" : \"run-" + t + "-" + i + "\"");
      }
    }
  }

  private static dev.meshwork.spi.RunEvent completed(
      dev.meshwork.core.model.DataProduct product, String runId) {
    var out =
        new dev.meshwork.spi.RunEvent.OutputInfo(
            "orders",
            null,
            null,
            new dev.meshwork.spi.TableInfo(
                "sales.orders.orders",
                "file:/w/o",
                "parquet",
                dev.meshwork.spi.TableInfo.TableState.EXISTING),
            null,
            1L,
            10,
            1,
            100,
            null,
            null,
            0);
    return new dev.meshwork.spi.RunEvent(
        dev.meshwork.spi.RunEvent.Type.COMPLETE,
        Instant.parse("2026-12-07T00:00:00Z"),
        runId,
        product,
        dev.meshwork.core.Principal.service("test"),
        dev.meshwork.core.RunOptions.defaults(),
        java.util.List.of(),
        java.util.List.of(out),
        java.util.List.of(),
        null);
  }

  @Test
  void theSettingTurnsThePagesOffAndTheirFolderFollowsTheWarehouse() {
    dev.meshwork.core.Settings on =
        dev.meshwork.core.Settings.builder()
            .set(dev.meshwork.core.Settings.WAREHOUSE, site.toString())
            .build();
    assertThat(new StaticSiteProvider().defaultListener(on).toString())
        .isEqualTo("product pages in " + site.resolve("site"));
    assertThat(
            new StaticSiteProvider()
                .defaultListener(on.with(StaticSiteProvider.ENABLED, "false"))
                .toString())
        .isEqualTo("product pages off (meshwork.site.enabled=false)");
  }
}
