package dev.meshwork.samples.cli;

import dev.meshwork.lineage.StaticSitePublisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meshwork site}: the static product pages of a warehouse, rebuilt. */
@Command(
    name = "site",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuilds the static catalogue of a warehouse: an index of its products (search, filter by"
          + " domain, tag, owner) and a page per product with its ports, how to read them, the"
          + " contract's columns, who may read them (--policies), the latest quality results,"
          + " charts of rows and of each rule per publish, freshness against the SLA, contract"
          + " versions and its lineage. Every publish already updates it in <warehouse>/site; no"
          + " server needed."
    },
    footer = {
      "",
      "Example:",
      "  meshwork site --warehouse target/demo --policies mesh/policies"
          + " && xdg-open target/demo/site/index.html"
    })
final class SiteCommand implements Callable<Integer> {
  @Mixin WarehouseOption where;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Write the pages here instead of <warehouse>/site (the product cards are copied).")
  Path out;

  @Option(
      names = "--policies",
      paramLabel = "DIR",
      description =
          "The policy folder (access.yaml): each port's page says who may read it, for which"
              + " purposes and under which masks and terms (kept for later rebuilds).")
  Path policies;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path source = where.settings().localFolder().resolve("site");
    if (!Files.isDirectory(source.resolve("data"))) {
      throw new IllegalArgumentException(
          "no product pages in "
              + source.toAbsolutePath()
              + ": nothing was published there with the pages on (run the demo there, or name"
              + " the warehouse with --warehouse DIR)");
    }
    Path target = out == null ? source : out;
    if (out != null) {
      Files.createDirectories(target.resolve("data"));
      try (Stream<Path> cards = Files.list(source.resolve("data"))) {
        for (Path c : cards.toList()) {
          Files.copy(
              c,
              target.resolve("data").resolve(c.getFileName().toString()),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    StaticSitePublisher site = StaticSitePublisher.at(target);
    if (policies != null) {
      site =
          site.readers(
              dev.meshwork.samples.SiteReaders.of(dev.meshwork.policy.PolicySet.load(policies)));
    }
    int products = site.rebuild();
    PrintWriter w = spec.commandLine().getOut();
    w.println(products + " products: " + target.resolve("index.html").toAbsolutePath());
    w.flush();
    return 0;
  }
}
