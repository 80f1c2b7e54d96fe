package dev.meshwork.samples.cli;

import dev.meshwork.samples.DemoMain;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code meshwork demo}: runs the demo mesh, with the demo's own options. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the demo mesh (three products, policy, quality, lineage) into ./warehouse, or the"
          + " --warehouse given. Options are the demo's: --batch YYYY-MM-DD, --rows N,"
          + " --warehouse DIR, --lineage, --restate, --erase EMAIL."
    },
    footer = {"", "Example:", "  meshwork demo --rows 20000 --warehouse target/demo"})
final class DemoCommand implements Callable<Integer> {
  /** Everything after {@code demo}: the demo's own options, handed over as they are. */
  @Unmatched List<String> options = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    DemoMain.main(options.toArray(String[]::new));
    return 0;
  }
}
