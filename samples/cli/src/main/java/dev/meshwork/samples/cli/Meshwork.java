package dev.meshwork.samples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code meshwork} command. Exit codes: 0 done, 1 the command failed (or found what it looks
 * for, such as a breaking change), 2 the command line was wrong.
 */
@Command(
    name = "meshwork",
    mixinStandardHelpOptions = true,
    versionProvider = Meshwork.Version.class,
    description = "Data products on Iceberg: inspect, maintain, lint, diff, export, demo.",
    footer = {
      "",
      "Examples:",
      "  meshwork demo --rows 20000       run the demo mesh into ./warehouse",
      "  meshwork inspect                 its products, ports and versions",
      "  meshwork diff old.yaml new.yaml  what changed in a contract, and the bump it needs",
      "",
      "Environment: NO_COLOR turns colours off; MESHWORK_* settings as for every mesh."
    },
    subcommands = {
      InspectCommand.class,
      MaintainCommand.class,
      LintCommand.class,
      InitCommand.class,
      SiteCommand.class,
      DiffCommand.class,
      ExportCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class,
      picocli.AutoComplete.GenerateCompletion.class
    })
public final class Meshwork implements Runnable {
  /** Exit code of a command that failed or found a problem. */
  public static final int FAILED = 1;

  /** Exit code of a wrong command line. */
  public static final int USAGE = 2;

  @Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Log what the SDK does, and print stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line, printing to {@code out} and {@code err}; returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    CommandLine cli = new CommandLine(new Meshwork());
    cli.setOut(out);
    cli.setErr(err);
    cli.setColorScheme(
        CommandLine.Help.defaultColorScheme(
            dev.meshwork.core.Settings.fromEnvironment().variable("NO_COLOR").isPresent()
                ? CommandLine.Help.Ansi.OFF
                : CommandLine.Help.Ansi.AUTO));
    cli.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println("meshwork " + line.getCommandName() + ": " + message(e));
          if (verbose) {
            e.printStackTrace(line.getErr());
          }
          return FAILED;
        });
    return cli.execute(args);
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The version of the jar, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Meshwork.class.getPackage().getImplementationVersion();
      return new String[] {"meshwork " + (v == null ? "development" : v)};
    }
  }
}
