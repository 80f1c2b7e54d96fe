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

  @Test
  void exportWritesTheTrinoOpaPolicies() throws IOException {
    Path out = tmp.resolve("opa");
    Result r =
        run(
            "export",
            "trino-opa",
            "--policies",
            mesh.resolve("policies").toString(),
            "--out",
            out.toString(),
            mesh.resolve("deliveries.yaml").toString(),
            mesh.resolve("delivery-performance.yaml").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(out.resolve("meshwork.rego"))).contains("package");
    assertThat(Files.readString(out.resolve("data.json"))).contains("logistics");
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
    assertThat(run("export", "rego", "--policies", "x", "p.yaml").err())
        .contains("unknown export 'rego'");
    for (String command : new String[] {"inspect", "maintain", "diff", "export", "demo"}) {
      Result help = run(command, "--help");
      assertThat(help.code()).isZero();
      assertThat(help.out()).as(command).contains("Usage: meshwork " + command, "Example");
    }
    assertThat(run("generate-completion").out()).contains("complete");
  }
}
