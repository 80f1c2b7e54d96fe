package dev.meshwork.samples.cli;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.Maintenance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshwork maintain}: compaction, manifest rewrite, snapshot expiry, orphan removal. */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Keeps a product's tables healthy: compacts small files (with the delete files that apply to"
          + " them), rewrites manifests, expires snapshots by the contract's retention (keeping"
          + " what consumers pinned) and removes orphan files older than a safety window. With no"
          + " step named, runs all four in that order. Each is a plain Iceberg operation."
    },
    footer = {
      "",
      "Examples:",
      "  meshwork maintain mesh/deliveries.yaml",
      "  meshwork maintain mesh/*.yaml --orphans --orphan-age P1D --warehouse target/demo"
    })
final class MaintainCommand implements Callable<Integer> {
  @Mixin WarehouseOption where;

  @Parameters(arity = "1..*", paramLabel = "PRODUCT.yaml", description = "Product descriptors.")
  List<Path> products;

  @Option(names = "--compact", description = "Compact small files.")
  boolean compact;

  @Option(names = "--manifests", description = "Rewrite manifests.")
  boolean manifests;

  @Option(names = "--expire", description = "Expire snapshots.")
  boolean expire;

  @Option(names = "--orphans", description = "Remove orphan files.")
  boolean orphans;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      description =
          "Keep snapshots this long (ISO-8601, e.g. P7D), instead of each contract's SLA retention.")
  Duration retention;

  @Option(
      names = "--orphan-age",
      paramLabel = "DURATION",
      defaultValue = "P3D",
      description = "Remove only orphans older than this (default ${DEFAULT-VALUE}).")
  Duration orphanAge;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    boolean all = !compact && !manifests && !expire && !orphans;
    try (Mesh mesh = where.mesh()) {
      Maintenance m = Maintenance.of(WarehouseOption.iceberg(mesh));
      for (Path file : products) {
        DataProduct product = DataProduct.load(file);
        out.println("Product " + product.displayName() + " (" + file + "):");
        if (all || compact) {
          for (Maintenance.CompactionResult r : m.compact(product)) {
            out.printf(
                "  compact   %-45s %d small files rewritten into %d%n",
                r.table(), r.rewrittenFiles(), r.addedFiles());
          }
        }
        if (all || manifests) {
          for (Maintenance.ManifestResult r : m.rewriteManifests(product)) {
            out.printf(
                "  manifests %-45s %d manifests -> %d%n",
                r.table(), r.manifestsBefore(), r.manifestsAfter());
          }
        }
        if (all || expire) {
          List<Maintenance.ExpiryResult> expired =
              retention == null
                  ? m.expireSnapshots(product)
                  : m.expireSnapshots(product, retention);
          for (Maintenance.ExpiryResult r : expired) {
            out.printf(
                "  expire    %-45s %d snapshots expired, %d kept%s%n",
                r.table(),
                r.expired(),
                r.kept(),
                r.consumerPins().isEmpty() ? "" : " (pinned by " + r.consumerPins() + ")");
          }
        }
        if (all || orphans) {
          for (Maintenance.TableResult r : m.removeOrphanFiles(product, orphanAge).tables()) {
            out.printf(
                "  orphans   %-45s %d files removed (%s)%s%n",
                r.table(),
                r.deletedFiles(),
                TextTable.bytes(r.deletedBytes()),
                r.tooYoung() == 0
                    ? ""
                    : ", " + r.tooYoung() + " younger than " + orphanAge + " kept");
          }
        }
      }
    }
    out.flush();
    return 0;
  }
}
