package dev.meshwork.samples.cli;

import dev.meshwork.core.model.DataProduct;
import dev.meshwork.policy.PolicySet;
import dev.meshwork.policy.RegoExport;
import dev.meshwork.policy.TrinoOpaExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshwork export trino-opa|rego|openmetadata}: the mesh's access policies for Trino's OPA
 * plugin or for an OPA server answering the SDK; what a warehouse holds of the products, published
 * to OpenMetadata.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Exports what the SDK enforces and publishes in-process for other tools. trino-opa: the"
          + " policies as a Rego package and its data document for Trino's OPA access control"
          + " (grants, row filters, column masks of the products' output tables). rego: the"
          + " policies as a Rego package and its data document for an OPA server (or OPA Wasm"
          + " bundle) answering the SDK's OPA engines at meshwork/decision as the built-in engine"
          + " decides; governance rules stay in the SDK. openmetadata:"
          + " the products' current versions in the warehouse (tables with their columns and"
          + " classifications, domains, data products, lineage) published to an OpenMetadata"
          + " server (--server or OPENMETADATA_URL; the bot's token from OPENMETADATA_JWT_TOKEN),"
          + " for products published without it."
    },
    footer = {
      "",
      "Example:",
      "  meshwork export trino-opa --policies mesh/policies --out target/opa mesh/*.yaml",
      "  meshwork export rego --policies mesh/policies --out target/opa-sdk mesh/*.yaml",
      "  meshwork export openmetadata --warehouse target/demo --server http://openmetadata:8585"
          + " mesh/*.yaml"
    })
final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "KIND", description = "trino-opa, rego or openmetadata.")
  String kind;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "PRODUCT.yaml",
      description = "Products.")
  List<Path> products;

  @Option(
      names = "--policies",
      paramLabel = "DIR",
      description = "trino-opa, rego: the policy folder (access.yaml, governance.yaml).")
  Path policies;

  @picocli.CommandLine.Mixin WarehouseOption where;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "openmetadata: the server's base URL (default: OPENMETADATA_URL).")
  java.net.URI server;

  @Option(
      names = "--catalog",
      defaultValue = "iceberg",
      paramLabel = "NAME",
      description = "Trino's catalog name for the warehouse (default ${DEFAULT-VALUE}).")
  String catalog;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Write the policy (trino-opa: meshwork.rego, rego: meshwork_decision.rego) and"
              + " data.json here (default: print both).")
  Path outDir;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!List.of("trino-opa", "rego", "openmetadata").contains(kind)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "unknown export '" + kind + "': the exports are trino-opa, rego and openmetadata");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<DataProduct> loaded = products.stream().map(DataProduct::load).toList();
    if ("openmetadata".equals(kind)) {
      return openMetadata(loaded, out);
    }
    if (policies == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "export " + kind + " needs --policies DIR, the mesh's policy folder");
    }
    if ("rego".equals(kind)) {
      return rego(PolicySet.load(policies), loaded, out);
    }
    TrinoOpaExport export = TrinoOpaExport.render(PolicySet.load(policies), loaded, catalog);
    if (outDir == null) {
      out.println(export.rego());
      out.println(export.dataJson());
    } else {
      Files.createDirectories(outDir);
      Files.writeString(outDir.resolve("meshwork.rego"), export.rego());
      Files.writeString(outDir.resolve("data.json"), export.dataJson());
      out.println(
          "Wrote "
              + outDir.resolve("meshwork.rego")
              + " and "
              + outDir.resolve("data.json")
              + " for Trino catalog '"
              + catalog
              + "' ("
              + loaded.size()
              + " products)");
    }
    out.flush();
    return 0;
  }

  /** The policy set for an OPA server answering the SDK at meshwork/decision. */
  private int rego(PolicySet set, List<DataProduct> loaded, PrintWriter out) {
    RegoExport export = RegoExport.render(set, loaded);
    if (outDir == null) {
      out.println(export.rego());
      out.println(export.dataJson());
      out.flush();
      return 0;
    }
    export.writeTo(outDir);
    long conditional = set.grants().stream().filter(g -> g.condition() != null).count();
    out.println(
        "Wrote "
            + outDir.resolve("meshwork_decision.rego")
            + " and "
            + outDir.resolve("data.json")
            + " for OPA rule "
            + RegoExport.DECISION
            + ": "
            + count(set.grants().size(), "grant")
            + ", "
            + count(set.usageContracts().size(), "usage contract")
            + ", masks resolved for "
            + count(loaded.size(), "product"));
    if (conditional > 0) {
      out.println(
          "  "
              + count((int) conditional, "grant")
              + " with a CEL condition OPA does not evaluate: denied where it would decide");
    }
    if (!set.governance().isEmpty()) {
      out.println(
          "  not exported: "
              + count(set.governance().size(), "governance rule")
              + " (checked by the SDK at publish)");
    }
    out.flush();
    return 0;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** Publishes what the warehouse holds of each product as its latest run would have. */
  private int openMetadata(List<DataProduct> loaded, PrintWriter out) {
    dev.meshwork.core.Settings settings = where.settings();
    dev.meshwork.lineage.OpenMetadataConfig config;
    if (server == null) {
      config = dev.meshwork.lineage.OpenMetadataConfig.from(settings);
    } else {
      var b = dev.meshwork.lineage.OpenMetadataConfig.builder().serverUrl(server);
      settings.variable("OPENMETADATA_JWT_TOKEN").ifPresent(b::jwtToken);
      settings.variable("OPENMETADATA_SERVICE").ifPresent(b::serviceName);
      config = b.build();
    }
    java.time.Clock clock = java.time.Clock.systemUTC();
    var publisher = new dev.meshwork.lineage.OpenMetadataPublisher(config, clock);
    List<String> published = new java.util.ArrayList<>();
    int tables = 0;
    try (dev.meshwork.core.Mesh mesh = where.mesh()) {
      for (dev.meshwork.spi.RunEvent e : WarehouseEvents.latest(mesh, loaded, clock)) {
        publisher.publish(e);
        published.add(e.product().displayName());
        tables += e.outputs().size();
      }
    }
    List<String> unpublished =
        loaded.stream().map(DataProduct::displayName).filter(n -> !published.contains(n)).toList();
    out.println(
        "Published "
            + published.size()
            + " products ("
            + tables
            + " tables) to "
            + publisher.describe()
            + (unpublished.isEmpty()
                ? ""
                : "; nothing in the warehouse yet for " + String.join(", ", unpublished)));
    out.flush();
    return 0;
  }
}
