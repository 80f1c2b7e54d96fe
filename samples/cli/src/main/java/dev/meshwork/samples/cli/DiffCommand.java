package dev.meshwork.samples.cli;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.policy.ContractChanges;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshwork diff}: what changed between two versions of a contract, and the bump it needs.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compares two versions of an ODCS contract: every change classified as breaking (removed,"
          + " renamed or retyped columns, a required column added, keys or partitioning changed,"
          + " quality rules tightened), additive or cosmetic, and the semantic-version bump that"
          + " asks for, by the rules the governance check applies at publish.",
      "Exit code 0 when the new contract's version is a big enough step, 1 when it is not."
    },
    footer = {
      "",
      "Example:",
      "  meshwork diff contracts/deliveries.odcs.yaml changed/deliveries.odcs.yaml"
    })
final class DiffCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OLD", description = "The contract as published.")
  Path older;

  @Parameters(index = "1", paramLabel = "NEW", description = "The contract as changed.")
  Path newer;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    DataContract a = DataContract.load(older);
    DataContract b = DataContract.load(newer);
    ContractChanges changes = ContractChanges.between(a, b);
    out.println(
        "Contract "
            + b.id()
            + ": "
            + a.version()
            + " ("
            + older
            + ") -> "
            + b.version()
            + " ("
            + newer
            + ")");
    if (changes.changes().isEmpty()) {
      out.println("No changes.");
      out.flush();
      return 0;
    }
    changes.changes().forEach(c -> out.println("  " + c.describe()));
    String needs =
        switch (changes.impact().orElseThrow()) {
          case BREAKING -> "a major version";
          case ADDITIVE -> "a minor version";
          case COSMETIC -> "a patch version";
        };
    out.println("Needs " + needs + ".");
    var problem = changes.versionProblem();
    problem.ifPresent(p -> out.println("Version problem: " + p + "."));
    out.flush();
    return problem.isPresent() ? Meshwork.FAILED : 0;
  }
}
