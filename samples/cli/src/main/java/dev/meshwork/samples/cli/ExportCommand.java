package dev.meshwork.samples.cli;

import dev.meshwork.core.model.DataProduct;
import dev.meshwork.policy.PolicySet;
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

/** {@code meshwork export trino-opa}: the mesh's access policies for Trino's OPA plugin. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Exports what the SDK enforces in-process for other engines. trino-opa: the policies as a"
          + " Rego package and its data document for Trino's OPA access control (grants, row filters,"
          + " column masks of the products' output tables)."
    },
    footer = {
      "",
      "Example:",
      "  meshwork export trino-opa --policies mesh/policies --out target/opa mesh/*.yaml"
    })
final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "KIND", description = "trino-opa.")
  String kind;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "PRODUCT.yaml",
      description = "Products.")
  List<Path> products;

  @Option(
      names = "--policies",
      required = true,
      paramLabel = "DIR",
      description = "The policy folder (access.yaml, governance.yaml).")
  Path policies;

  @Option(
      names = "--catalog",
      defaultValue = "iceberg",
      paramLabel = "NAME",
      description = "Trino's catalog name for the warehouse (default ${DEFAULT-VALUE}).")
  String catalog;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write meshwork.rego and data.json here (default: print both).")
  Path outDir;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!"trino-opa".equals(kind)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "unknown export '" + kind + "': the exports are trino-opa");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<DataProduct> loaded = products.stream().map(DataProduct::load).toList();
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
}
