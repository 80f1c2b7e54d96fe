package dev.meshwork.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.samples.Demo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code meshwork} command on the demo's warehouse (two batches of 3,000 rows): what each
 * command prints, its exit code, and errors that name what is wrong without a stack trace.
 */
class MeshworkCommandTest {
  @TempDir static Path tmp;
  static Path warehouse;
  static Path mesh;

  /** What one command printed and returned. */
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Meshwork.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void demo() {
    warehouse = tmp.resolve("warehouse");
    mesh = Demo.Config.defaults(LocalDate.now()).meshDir();
    for (String day : new String[] {"2026-11-23", "2026-11-24"}) {
      assertThat(
              run("demo", "--batch", day, "--rows", "3000", "--warehouse", warehouse.toString())
                  .code())
          .isZero();
    }
  }

  @Test
  void inspectListsEveryPortWithItsVersionRowsQualityAndContract() throws IOException {
    Result r = run("inspect", "--warehouse", warehouse.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Warehouse: embedded Iceberg warehouse at " + warehouse)
        .contains("logistics.deliveries", "deliveries", "logistics-deliveries 1.0.0")
        .contains("fleet.drone_telemetry", "telemetry__quarantine")
        .contains("analytics.delivery_performance", "daily-region-stats")
        .contains("6,000")
        .contains("passed")
        .doesNotContain("quality_metrics");

    JsonNode json =
        new ObjectMapper()
            .readTree(run("inspect", "-w", warehouse.toString(), "--format", "json").out());
    assertThat(json.isArray()).isTrue();
    assertThat(json.findValuesAsText("port"))
        .contains("deliveries", "telemetry", "telemetry__quarantine", "daily-region-stats");

    Result history = run("inspect", "deliveries", "-w", warehouse.toString());
    assertThat(history.code()).isZero();
    assertThat(history.out()).contains("logistics.deliveries.deliveries", "append", "3,000");
  }

  @Test
  void maintainCompactsExpiresAndRemovesOrphansAndSaysWhatItDid() {
    Result r =
        run(
            "maintain",
            mesh.resolve("drone-telemetry.yaml").toString(),
            "--warehouse",
            warehouse.toString(),
            "--orphan-age",
            "PT0S");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Product drone-telemetry")
        .containsPattern("compact +fleet.drone_telemetry.telemetry +\\d+ small files rewritten")
        .contains("manifests", "expire", "orphans");
    Result after = run("inspect", "-w", warehouse.toString());
    assertThat(after.out())
        .contains("compaction")
        .as("expiry pinned what delivery-performance consumed")
        .contains("Consumers' pinned versions")
        .contains("fleet.drone_telemetry.telemetry <- analytics.delivery_performance");
  }

  @Test
  void diffClassifiesAContractChangeAndFailsWhenTheVersionIsTooSmallAStep() throws IOException {
    Path old = mesh.resolve("contracts/deliveries.odcs.yaml");
    String text = Files.readString(old);
    assertThat(text).contains("      - name: customer_email\n");
    Path same = tmp.resolve("same.odcs.yaml");
    Files.writeString(same, text);
    assertThat(run("diff", old.toString(), same.toString()).out()).contains("No changes.");

    // Drop the first quality rule's column description: cosmetic; then remove a column.
    Path renamed = tmp.resolve("renamed.odcs.yaml");
    Files.writeString(renamed, text.replace("- name: customer_email\n", "- name: contact_email\n"));
    Result r = run("diff", old.toString(), renamed.toString());
    assertThat(r.code()).isEqualTo(Meshwork.FAILED);
    assertThat(r.out())
        .contains("BREAKING  deliveries.customer_email: column removed")
        .contains("ADDITIVE  deliveries.contact_email")
        .contains("Needs a major version.")
        .contains("Version problem: breaking changes need a new major version: 1.0.0 -> 2.0.0");
    Path major = tmp.resolve("major.odcs.yaml");
    Files.writeString(
        major,
        Files.readString(renamed).replaceFirst("(?m)^version: 1\\.0\\.0$", "version: 2.0.0"));
    assertThat(run("diff", old.toString(), major.toString()).code()).isZero();
  }

  /**
   * {@code export openmetadata} publishes what the demo's warehouse holds to a server (the
   * stand-in, which checks every body against OpenMetadata's JSON schemas): each product's tables
   * with their columns, the data products, and lineage from the inputs the latest publish read.
   */
  @Test
  void exportOpenMetadataPublishesTheWarehousesProducts() throws Exception {
    try (dev.meshwork.lineage.OpenMetadataStandIn om =
        new dev.meshwork.lineage.OpenMetadataStandIn()) {
      Result r =
          run(
              "export",
              "openmetadata",
              "--warehouse",
              warehouse.toString(),
              "--server",
              om.url(),
              mesh.resolve("deliveries.yaml").toString(),
              mesh.resolve("drone-telemetry.yaml").toString(),
              mesh.resolve("delivery-performance.yaml").toString(),
              mesh.resolve("drone-status.yaml").toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out())
          .startsWith("Published 3 products (3 tables) to OpenMetadata at " + om.url())
          .endsWith("; nothing in the warehouse yet for drone-status\n");
      assertThat(om.requests)
          .allSatisfy(q -> assertThat(q.schemaViolations()).as(q.path()).isEmpty());
      assertThat(om.puts("/api/v1/tables"))
          .extracting(q -> q.body().get("name").asText())
          .containsExactlyInAnyOrder("deliveries", "telemetry", "daily_region_stats");
      JsonNode deliveries =
          om.puts("/api/v1/tables").stream()
              .filter(q -> q.body().get("name").asText().equals("deliveries"))
              .findFirst()
              .orElseThrow()
              .body();
      assertThat(deliveries.get("columns").findValuesAsText("name"))
          .contains("delivery_id", "customer_email");
      assertThat(om.puts("/api/v1/dataProducts"))
          .extracting(q -> q.body().get("name").asText())
          .containsExactlyInAnyOrder("deliveries", "drone_telemetry", "delivery_performance");
      assertThat(om.puts("/api/v1/lineage")).hasSize(2);
    }
  }

  /** A record that has drifted from the deliveries contract: a renamed and a retyped component. */
  public record DriftedDelivery(
      long deliveryId, String regionName, String status, String orderId) {}

  /**
   * Records a pipeline reads and writes ports with, checked against the ports' contracts from a
   * class path: the demo's own records match; a drifted one is an error per difference, at the
   * port's line; an unknown class or port is named.
   */
  @Test
  void lintChecksRecordsAgainstTheirPortsContracts() {
    String classes = Path.of("target/test-classes").toAbsolutePath().toString();
    Result good =
        run(
            "lint",
            mesh.toString(),
            "--class-path",
            classes,
            "--bind",
            "deliveries/deliveries=dev.meshwork.samples.Delivery",
            "--bind",
            "delivery-performance/deliveries=dev.meshwork.samples.DeliveryPerformance$DeliveryFacts",
            "--bind",
            "telemetry=dev.meshwork.samples.TelemetrySample");
    assertThat(good.code()).as(good.out() + good.err()).isZero();
    assertThat(good.out()).contains(" 0 errors");

    Result drifted =
        run(
            "lint",
            mesh.resolve("deliveries.yaml").toString(),
            "--class-path",
            classes,
            "--bind",
            "deliveries=dev.meshwork.samples.cli.MeshworkCommandTest$DriftedDelivery",
            "--bind",
            "deliveries-v9=com.example.Missing");
    assertThat(drifted.code()).isEqualTo(1);
    String where = mesh.resolve("deliveries.yaml") + ":";
    assertThat(drifted.out())
        .containsPattern(
            java.util.regex.Pattern.quote(where)
                + "\\d+:\\d+: error: record dev.meshwork.samples.cli.MeshworkCommandTest\\$DriftedDelivery"
                + " does not match the contract of output port 'deliveries': component 'regionName'"
                + " of DriftedDelivery matches no contract field")
        .contains(
            "order_id: is long in the contract, but the component is String; use long or Long")
        .contains("required contract field 'region' (string) has no component in DriftedDelivery")
        .contains(
            "--bind deliveries-v9=com.example.Missing: error: no product linted has port"
                + " 'deliveries-v9'");

    Result missing =
        run(
            "lint",
            mesh.resolve("deliveries.yaml").toString(),
            "--bind",
            "deliveries=com.example.Missing");
    assertThat(missing.out())
        .contains(
            "error: --bind deliveries=com.example.Missing: class com.example.Missing is not on the"
                + " class path (give --class-path)");
  }

  @Test
  void lintFindsLoadErrorsAtTheirLineAndGovernanceFindingsAndSpeaksSarif() throws IOException {
    Result clean = run("lint", mesh.toString());
    assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out()).contains("files checked: 0 errors, 0 warnings");

    Path broken = tmp.resolve("broken-mesh");
    try (var files = Files.walk(mesh)) {
      for (Path f : files.toList()) {
        Path to = broken.resolve(mesh.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path telemetry = broken.resolve("contracts/telemetry.odcs.yaml");
    Files.writeString(
        telemetry,
        Files.readString(telemetry)
            .replace("        description: Region the drone flew over.\n", ""));
    Path stats = broken.resolve("contracts/daily-region-stats.odcs.yaml");
    Files.writeString(
        stats, Files.readString(stats).replaceFirst("logicalType: integer", "logicalType: integr"));

    Result r = run("lint", broken.toString());
    assertThat(r.code()).isEqualTo(Meshwork.FAILED);
    assertThat(r.out())
        .containsPattern(
            "daily-region-stats\\.odcs\\.yaml:\\d+:\\d+: error: schema\\[0\\]\\.properties\\[\\d\\]"
                + "\\.logicalType 'integr' is not an ODCS logical type")
        .contains(
            "drone-telemetry.yaml: error: output port 'telemetry': governance rule"
                + " documented-columns")
        .contains("files checked: 2 errors");
    assertThat(r.out().lines().filter(l -> l.contains("'integr'")).count())
        .as("once, though two files lead to it")
        .isEqualTo(1);

    JsonNode sarif =
        new ObjectMapper().readTree(run("lint", broken.toString(), "--format", "sarif").out());
    assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
    JsonNode results = sarif.get("runs").get(0).get("results");
    assertThat(results).hasSize(2);
    assertThat(results.findValuesAsText("ruleId"))
        .containsExactlyInAnyOrder("descriptor", "governance");
    assertThat(results.get(0).at("/locations/0/physicalLocation/region/startLine").asInt())
        .isPositive();

    // What only the official JSON schema forbids is a warning, and an error with --strict.
    Path deliveries = broken.resolve("contracts/deliveries.odcs.yaml");
    Files.writeString(
        deliveries, Files.readString(deliveries).replaceFirst("\n\\s*mustBe: 0\n", "\n"));
    assertThat(run("lint", deliveries.toString()).out())
        .containsPattern(
            "deliveries\\.odcs\\.yaml:\\d+:\\d+: warning: schema\\[0\\]\\.properties\\[4\\]"
                + "\\.quality\\[0\\]: needs one of mustBe, mustNotBe")
        .contains("1 files checked: 0 errors, 1 warnings");
    Result strict = run("lint", "--strict", deliveries.toString());
    assertThat(strict.code()).isEqualTo(Meshwork.FAILED);
    assertThat(strict.out()).contains(": error: schema[0].properties[4].quality[0]: needs one of");

    // A product loads without a contract found nowhere; lint names the port's line and the places.
    Files.delete(broken.resolve("contracts/drone-status.odcs.yaml"));
    Result missing = run("lint", broken.resolve("drone-status.yaml").toString());
    assertThat(missing.code()).isEqualTo(Meshwork.FAILED);
    assertThat(missing.out())
        .containsPattern(
            "drone-status\\.yaml:18:\\d+: error: outputPorts\\[0\\]\\.contractId"
                + " 'fleet-drone-status' matches no contract in .*contracts");
  }

  /**
   * A scaffolded product lints clean, compiles against the SDK and its generated test passes, run
   * by JUnit in a JVM of its own in the product's folder (as {@code mvn verify} there would).
   */
  @Test
  void initScaffoldsAProductThatLintsCompilesAndPassesItsOwnTest() throws Exception {
    Result r = run("init", "parcel-scans", "--domain", "logistics", "--dir", tmp.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Path root = tmp.resolve("parcel-scans");
    assertThat(r.out()).contains("created " + root.resolve("mesh/parcel-scans.yaml"), "mvn verify");
    assertThat(run("init", "parcel-scans", "--dir", tmp.toString()).err())
        .contains("exists already");
    assertThat(run("init", "Parcel_Scans").code()).isEqualTo(Meshwork.USAGE);

    Result lint = run("lint", root.resolve("mesh").toString());
    assertThat(lint.code()).as(lint.out()).isZero();
    assertThat(lint.out()).contains("0 errors, 0 warnings");
    String pom = Files.readString(root.resolve("pom.xml"));
    javax.xml.parsers.DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(root.resolve("pom.xml").toFile());
    assertThat(pom)
        .contains("<artifactId>sdk-core</artifactId>", "<artifactId>parcel-scans</artifactId>")
        .as("Maven's default compiler plugin ignores maven.compiler.release")
        .contains("<artifactId>maven-compiler-plugin</artifactId>");

    Path classes = tmp.resolve("parcel-scans-classes");
    Files.createDirectories(classes);
    List<String> sources;
    try (var walk = Files.walk(root.resolve("src"))) {
      sources = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
    }
    assertThat(sources).hasSize(3);
    String classpath = System.getProperty("java.class.path");
    List<String> javac =
        new java.util.ArrayList<>(List.of("-d", classes.toString(), "-cp", classpath));
    javac.addAll(sources);
    int compiled =
        javax.tools.ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, javac.toArray(String[]::new));
    assertThat(compiled).as("javac of the generated sources").isZero();

    Process test =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp",
                classes + java.io.File.pathSeparator + classpath,
                GeneratedTests.class.getName(),
                "com.example.parcelscans.ParcelScansPipelineTest")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    String output =
        new String(test.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(test.waitFor()).as(output).isZero();
    assertThat(output).contains("1 tests successful");
  }

  /**
   * Every publish of the demo updated the pages; {@code site} rebuilds them, and each product,
   * port, column, latest rule and lineage edge the cards hold is on its page.
   */
  @Test
  void siteShowsEveryProductPortColumnRuleAndLineageEdge() throws IOException {
    Result r =
        run(
            "site",
            "--warehouse",
            warehouse.toString(),
            "--policies",
            mesh.resolve("policies").toString());
    assertThat(r.code()).as(r.err()).isZero();
    Path site = warehouse.resolve("site");
    assertThat(r.out())
        .isEqualTo("3 products: " + site.resolve("index.html").toAbsolutePath() + "\n");
    String index = Files.readString(site.resolve("index.html"));
    ObjectMapper json = new ObjectMapper();
    List<Path> cards;
    try (var files = Files.list(site.resolve("data"))) {
      cards = files.sorted().toList();
    }
    assertThat(cards).hasSize(3);
    for (Path cardFile : cards) {
      JsonNode card = json.readTree(cardFile.toFile());
      String key = card.get("key").asText();
      assertThat(index).contains(">" + card.get("name").asText() + "</a>");
      String page = Files.readString(site.resolve("products/" + key + ".html"));
      for (JsonNode port : card.get("ports")) {
        assertThat(page).contains("<h3>" + port.get("name").asText() + "</h3>");
        for (JsonNode column : port.get("columns")) {
          assertThat(page).as(key).contains("<code>" + column.get("name").asText() + "</code>");
        }
        for (JsonNode rule : port.at("/latest/quality")) {
          assertThat(page).as(key).contains("<code>" + rule.get("rule").asText());
        }
        assertThat(page).contains("<svg role=\"img\" class=\"chart\"");
      }
    }
    String performance =
        Files.readString(site.resolve("products/analytics.delivery-performance.html"));
    assertThat(performance)
        .contains("<a href=\"logistics.deliveries.html\">logistics.deliveries</a>")
        .contains("<a href=\"fleet.drone-telemetry.html\">fleet.drone-telemetry</a>");
    String deliveries = Files.readString(site.resolve("products/logistics.deliveries.html"));
    assertThat(deliveries)
        .contains(
            "Downstream: <a href=\"analytics.delivery-performance.html\">"
                + "analytics.delivery-performance</a>");
    // Who may read, from the demo's policies: the grant with its mask and term, and the usage
    // contract with its purpose and validity.
    assertThat(deliveries)
        .contains(
            "<tr><td>service:insights-etl</td><td>any</td><td>masked classification restricted:"
                + " hash<br>term: log-access<br></td><td></td><td>grant insights-reads-deliveries</td>")
        .contains(
            "<tr><td>service:insights-etl</td><td>sla-reporting</td><td>term: no-redistribution<br>"
                + "</td><td>from 2026-01-01 through 2030-12-31</td><td>usage contract"
                + " uc-deliveries-for-sla-reporting</td>");
    // Kept in the cards: a rebuild without the policies still shows them.
    assertThat(run("site", "--warehouse", warehouse.toString()).code()).isZero();
    assertThat(Files.readString(site.resolve("products/logistics.deliveries.html")))
        .contains("grant insights-reads-deliveries");
    // The SLA and the contract versions of the demo's deliveries.
    assertThat(deliveries)
        .contains("<th scope=\"row\">SLA frequency</th><td>1 d</td>")
        .contains("<h4>Contract versions</h4>");
  }

  /**
   * The pages in a real browser, headless at 1280 px: every product on the index, no element wider
   * than the window or its box, and a screenshot. Skips where no Chromium is installed (.ci/run
   * installs Debian's).
   */
  @Test
  void theSiteRendersInChromiumWithoutOverflowAt1280Pixels() throws Exception {
    Path chromium =
        java.util.stream.Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        chromium != null, "no Chromium at /usr/bin/chromium: the browser check is skipped");
    assertThat(
            run(
                    "site",
                    "--warehouse",
                    warehouse.toString(),
                    "--policies",
                    mesh.resolve("policies").toString())
                .code())
        .isZero();
    Path site = warehouse.resolve("site");
    String probe =
        "<script>window.addEventListener('load',function(){var w=document.documentElement"
            + ".clientWidth,bad=[];document.querySelectorAll('body *').forEach(function(e){"
            + "if(e.closest('svg'))return;var r=e.getBoundingClientRect();if(r.width>0&&(r.right>w+1"
            + "||(e.clientWidth>0&&e.scrollWidth>e.clientWidth+1&&getComputedStyle(e).overflowX"
            + "==='visible')))bad.push(e.tagName+' '+(e.textContent||'').trim().slice(0,60));});"
            + "document.body.setAttribute('data-overflow',bad.join(' | ')||'none');});</script>";
    List<Path> pages = new java.util.ArrayList<>(List.of(site.resolve("index.html")));
    try (var files = Files.list(site.resolve("products"))) {
      files.sorted().forEach(pages::add);
    }
    for (Path page : pages) {
      Path probed = page.resolveSibling("probed-" + page.getFileName());
      Files.writeString(probed, Files.readString(page).replace("</body>", probe + "</body>"));
      String dom = chromium(chromium, "--dump-dom", probed.toUri().toString());
      Files.delete(probed);
      assertThat(dom).as(page.toString()).contains("data-overflow=\"none\"");
      if (page.endsWith("index.html")) {
        assertThat(dom)
            .contains("delivery-performance", "drone-telemetry", "deliveries")
            .contains("class=\"card product\"");
      }
    }
    Path shot = tmp.resolve("site.png");
    chromium(chromium, "--screenshot=" + shot, site.resolve("index.html").toUri().toString());
    assertThat(shot).exists().isNotEmptyFile();
  }

  private static String chromium(Path browser, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                browser.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1280,1000",
                "--virtual-time-budget=3000",
                "--user-data-dir=" + tmp.resolve("chromium-profile")));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("chromium ended").isTrue();
    return out;
  }

  @Test
  void exportWritesTheTrinoOpaPolicies() throws IOException {
    Path out = tmp.resolve("opa");
    Result r = export("trino-opa", out);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(out.resolve("meshwork.rego"))).contains("package");
    assertThat(Files.readString(out.resolve("data.json"))).contains("logistics");
  }

  private Result export(String kind, Path out) {
    return run(
        "export",
        kind,
        "--policies",
        mesh.resolve("policies").toString(),
        "--out",
        out.toString(),
        mesh.resolve("deliveries.yaml").toString(),
        mesh.resolve("delivery-performance.yaml").toString());
  }

  @Test
  void exportWritesTheSdkDecisionPolicy() throws IOException {
    Path out = tmp.resolve("opa-sdk");
    Result r = export("rego", out);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("for OPA rule meshwork/decision", "masks resolved for 2 products");
    assertThat(Files.readString(out.resolve("meshwork_decision.rego")))
        .contains("package meshwork\n", "decision := ");
    com.fasterxml.jackson.databind.JsonNode data =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Files.readString(out.resolve("data.json")));
    assertThat(data.at("/meshwork/access/grants")).isNotEmpty();
    assertThat(data.at("/meshwork/access/contracts"))
        .extracting(n -> n.asText())
        .contains("logistics-deliveries");
    Result missing = run("export", "rego", mesh.resolve("deliveries.yaml").toString());
    assertThat(missing.code()).isEqualTo(Meshwork.USAGE);
    assertThat(missing.err()).contains("export rego needs --policies DIR");
  }

  @Test
  void errorsNameWhatIsWrongWithoutAStackTraceAndUsageErrorsExitWithTwo() {
    Result missing = run("inspect", "--warehouse", tmp.resolve("nowhere").toString());
    assertThat(missing.code()).isEqualTo(Meshwork.FAILED);
    assertThat(missing.err())
        .startsWith("meshwork inspect: no warehouse at ")
        .contains("--warehouse DIR")
        .doesNotContain("\tat ");
    Result unknownProduct = run("inspect", "nope", "-w", warehouse.toString());
    assertThat(unknownProduct.err()).contains("no product 'nope'");
    Result badFile = run("diff", "missing.odcs.yaml", "other.odcs.yaml");
    assertThat(badFile.code()).isEqualTo(Meshwork.FAILED);
    assertThat(badFile.err()).contains("missing.odcs.yaml");
    assertThat(run("frobnicate").code()).isEqualTo(Meshwork.USAGE);
    assertThat(run("export", "opa", "--policies", "x", "p.yaml").err())
        .contains("unknown export 'opa': the exports are trino-opa, rego and openmetadata");
    for (String command :
        new String[] {"inspect", "maintain", "lint", "init", "site", "diff", "export", "demo"}) {
      Result help = run(command, "--help");
      assertThat(help.code()).isZero();
      assertThat(help.out()).as(command).contains("Usage: meshwork " + command, "Example");
    }
    assertThat(run("generate-completion").out()).contains("complete");
  }
}
