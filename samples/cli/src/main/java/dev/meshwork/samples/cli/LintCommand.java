package dev.meshwork.samples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshwork.core.DescriptorException;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.policy.PolicySet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshwork lint}: descriptors and policies checked as a run would check them, for CI. */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
      "Checks products, contracts and policy folders: every error a load would raise (with its"
          + " line and column), missing contracts, places that break the official ODCS/ODPS JSON"
          + " schema (warnings; errors with --strict), and the governance rules of the policies"
          + " beside the products (a policies/ folder, or --policies) as a first publish would"
          + " hear them. Folders are searched for *.yaml and *.yml.",
      "With --class-path and --bind PORT=CLASS, the records a pipeline reads or writes a port"
          + " with are checked against the port's contract as a run would bind them.",
      "Prints file:line:column: severity: message (text), or JSON, or SARIF 2.1.0 for code"
          + " scanning. Exit code 1 when there is an error."
    },
    footer = {
      "",
      "Examples:",
      "  meshwork lint samples/demo/src/main/resources/mesh",
      "  meshwork lint mesh/orders.yaml --policies mesh/policies --format sarif > lint.sarif",
      "  meshwork lint --strict mesh",
      "  meshwork lint mesh --class-path target/classes --bind orders=com.acme.Order"
    })
final class LintCommand implements Callable<Integer> {
  private static final Pattern KIND = Pattern.compile("(?m)^kind:\\s*['\"]?(\\w+)");
  private static final Pattern POLICY_KEYS =
      Pattern.compile("(?m)^(grants|usageContracts|governance|directory):");

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders.")
  List<Path> paths;

  @Option(
      names = "--policies",
      paramLabel = "DIR",
      description =
          "The policy folder for governance (default: a policies/ folder beside a product).")
  Path policies;

  @Option(
      names = "--strict",
      description =
          "Places that break the official ODCS/ODPS JSON schema are errors (default: warnings).")
  boolean strict;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text (default), json or sarif.")
  Format format;

  @Option(
      names = "--class-path",
      paramLabel = "PATHS",
      description =
          "Folders and jars holding the pipeline's record classes, separated by the platform's"
              + " path separator (':' or ';'), for --bind.")
  String classPath;

  @Option(
      names = "--bind",
      paramLabel = "PORT=CLASS",
      description =
          "A port and the record class its pipeline reads or writes it with, checked against the"
              + " port's contract (PRODUCT/PORT=CLASS when several products are linted);"
              + " repeatable.")
  List<String> binds = new ArrayList<>();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  private ClassLoader records;
  private final Set<String> boundSomewhere = new LinkedHashSet<>();

  /** How to print. */
  enum Format {
    text,
    json,
    sarif
  }

  /** One finding: where (line and column 0: the whole file), how bad, which check, what. */
  record Finding(String file, int line, int column, String severity, String rule, String message) {
    String describe() {
      String where = line > 0 ? file + ":" + line + ":" + column : file;
      return where + ": " + severity + ": " + message;
    }
  }

  @Override
  public Integer call() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
              .sorted()
              .forEach(files::add);
        }
      } else if (Files.exists(p)) {
        files.add(p);
      } else {
        throw new IllegalArgumentException("no file or folder " + p);
      }
    }
    List<Finding> findings = new ArrayList<>();
    records = classLoader();
    Set<Path> policyDirs = new LinkedHashSet<>();
    for (Path f : files) {
      String text = Files.readString(f);
      Matcher kind = KIND.matcher(text);
      String k = kind.find() ? kind.group(1) : null;
      if ("DataProduct".equals(k)) {
        product(f, findings);
        schema(f, findings);
      } else if ("DataContract".equals(k)) {
        load(f, findings, () -> DataContract.load(f));
        schema(f, findings);
      } else if (POLICY_KEYS.matcher(text).find()) {
        policyDirs.add(f.toAbsolutePath().getParent());
      } else {
        findings.add(
            new Finding(
                f.toString(),
                0,
                0,
                "warning",
                "unknown-file",
                "neither a product (kind: DataProduct), a contract (kind: DataContract) nor a"
                    + " policy file (grants, usageContracts, governance): not checked"));
      }
    }
    for (Path dir : policyDirs) {
      load(dir, findings, () -> PolicySet.load(dir));
    }
    for (String b : binds) {
      if (!boundSomewhere.contains(b)) {
        findings.add(
            new Finding(
                "--bind " + b,
                0,
                0,
                "error",
                "record",
                "no product linted has port '"
                    + b.substring(0, Math.max(0, b.indexOf('=')))
                    + "': name one of their ports (PRODUCT/PORT when several products are linted)"));
      }
    }
    // A contract fails once whether read on its own or through the products that use it.
    List<Finding> unique = new ArrayList<>(new LinkedHashSet<>(findings));
    print(unique, files.size());
    return unique.stream().anyMatch(x -> x.severity().equals("error")) ? Meshwork.FAILED : 0;
  }

  private void product(Path file, List<Finding> findings) {
    DataProduct product = load(file, findings, () -> DataProduct.load(file));
    if (product == null) {
      return;
    }
    // A product loads without contracts found nowhere; the ports that need them would fail.
    product
        .missingContracts()
        .forEach(
            m ->
                findings.add(
                    new Finding(
                        m.file().toString(),
                        m.line(),
                        m.column(),
                        "error",
                        "descriptor",
                        m.message())));
    checkRecords(file, product, findings);
    Path dir = policies != null ? policies : file.toAbsolutePath().getParent().resolve("policies");
    if (!Files.isDirectory(dir)) {
      return;
    }
    PolicySet set = load(dir, findings, () -> PolicySet.load(dir));
    if (set == null) {
      return;
    }
    for (String v : set.governanceFindings(product)) {
      findings.add(new Finding(file.toString(), 0, 0, "error", "governance", v));
    }
  }

  /** The places a descriptor breaks its official JSON schema: warnings, or errors with --strict. */
  private void schema(Path file, List<Finding> findings) {
    load(
        file,
        findings,
        () -> {
          Path here = file.toAbsolutePath().normalize();
          for (var f : dev.meshwork.core.model.DescriptorSchemas.check(file)) {
            // Where the reader already failed, the schema says the same thing again.
            boolean said =
                findings.stream()
                    .anyMatch(
                        x ->
                            x.rule().equals("descriptor")
                                && x.line() == f.line()
                                && x.column() == f.column()
                                && Path.of(x.file()).toAbsolutePath().normalize().equals(here));
            if (said) {
              continue;
            }
            findings.add(
                new Finding(
                    file.toString(),
                    f.line(),
                    f.column(),
                    strict ? "error" : "warning",
                    "schema",
                    f.path() + ": " + f.message()));
          }
          return null;
        });
  }

  private ClassLoader classLoader() {
    ClassLoader parent = LintCommand.class.getClassLoader();
    if (classPath == null) {
      return parent;
    }
    List<java.net.URL> urls = new ArrayList<>();
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry);
      if (!Files.exists(p)) {
        throw new IllegalArgumentException(
            "--class-path entry " + p + " does not exist: name folders of classes and jars");
      }
      try {
        urls.add(p.toUri().toURL());
      } catch (java.net.MalformedURLException e) {
        throw new IllegalArgumentException("--class-path entry " + p + ": " + e.getMessage(), e);
      }
    }
    return new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new), parent);
  }

  /**
   * Checks each record {@code --bind} names for a port of {@code product} against the port's
   * contract, as a run would bind it; each difference is a finding at the port's entry.
   */
  private void checkRecords(Path file, DataProduct product, List<Finding> findings) {
    for (String b : binds) {
      int eq = b.indexOf('=');
      if (eq < 1 || eq == b.length() - 1) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "--bind "
                + b
                + ": write PORT=CLASS (or PRODUCT/PORT=CLASS), e.g. orders=com.acme.Order");
      }
      String target = b.substring(0, eq);
      String className = b.substring(eq + 1);
      int slash = target.indexOf('/');
      String productName = slash > 0 ? target.substring(0, slash) : null;
      String port = slash > 0 ? target.substring(slash + 1) : target;
      if (productName != null
          && !productName.equals(product.displayName())
          && !productName.equals(product.id())) {
        continue;
      }
      String portName = port.contains("@") ? port.substring(0, port.indexOf('@')) : port;
      boolean output =
          product.outputPorts().stream()
              .anyMatch(p -> p.name().equals(portName) || product.outputKey(p).equals(port));
      boolean input = product.inputPorts().stream().anyMatch(p -> p.name().equals(portName));
      if (!output && !input) {
        continue;
      }
      boundSomewhere.add(b);
      int[] at = portPosition(file, output ? "outputPorts" : "inputPorts", portName);
      Class<?> type;
      try {
        type = Class.forName(className, false, records);
      } catch (ClassNotFoundException | LinkageError e) {
        findings.add(
            new Finding(
                file.toString(),
                at[0],
                at[1],
                "error",
                "record",
                "--bind "
                    + b
                    + ": class "
                    + className
                    + " is not on "
                    + (classPath == null ? "the class path (give --class-path)" : classPath)));
        continue;
      }
      try {
        if (output) {
          dev.meshwork.core.RecordCheck.output(product, port, type);
        } else {
          dev.meshwork.core.RecordCheck.input(product, port, type);
        }
      } catch (RuntimeException e) {
        String what =
            "record "
                + type.getName()
                + " does not match the contract of "
                + (output ? "output" : "input")
                + " port '"
                + port
                + "': ";
        List<String> differences =
            e.getMessage()
                .lines()
                .filter(l -> l.startsWith("  - "))
                .map(l -> l.substring(4))
                .toList();
        for (String d : differences.isEmpty() ? List.of(e.getMessage()) : differences) {
          findings.add(new Finding(file.toString(), at[0], at[1], "error", "record", what + d));
        }
      }
    }
  }

  /** The line and column of the port entry named {@code name} in a product file (0, 0: none). */
  private static int[] portPosition(Path file, String section, String name) {
    try {
      org.yaml.snakeyaml.nodes.Node root =
          new org.yaml.snakeyaml.Yaml().compose(new java.io.StringReader(Files.readString(file)));
      if (root instanceof org.yaml.snakeyaml.nodes.MappingNode m) {
        for (var t : m.getValue()) {
          if (section.equals(((org.yaml.snakeyaml.nodes.ScalarNode) t.getKeyNode()).getValue())
              && t.getValueNode() instanceof org.yaml.snakeyaml.nodes.SequenceNode ports) {
            for (var entry : ports.getValue()) {
              if (entry instanceof org.yaml.snakeyaml.nodes.MappingNode e) {
                for (var f : e.getValue()) {
                  if ("name"
                          .equals(((org.yaml.snakeyaml.nodes.ScalarNode) f.getKeyNode()).getValue())
                      && f.getValueNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode v
                      && name.equals(v.getValue())) {
                    return new int[] {
                      f.getKeyNode().getStartMark().getLine() + 1,
                      f.getKeyNode().getStartMark().getColumn() + 1
                    };
                  }
                }
              }
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // The product loaded; a position is a convenience.
    }
    return new int[] {0, 0};
  }

  /** Runs a load; its failure becomes a finding at the position it names. */
  private static <T> T load(Path file, List<Finding> findings, java.util.function.Supplier<T> how) {
    try {
      return how.get();
    } catch (DescriptorException e) {
      String where = e.file() == null ? file.toString() : e.file().toString();
      String message = e.getMessage();
      String prefix =
          e.line() > 0 ? where + ":" + e.line() + ":" + e.column() + ": " : where + ": ";
      if (message.startsWith(prefix)) {
        message = message.substring(prefix.length());
      }
      findings.add(new Finding(where, e.line(), e.column(), "error", "descriptor", message));
    } catch (RuntimeException e) {
      findings.add(new Finding(file.toString(), 0, 0, "error", "descriptor", e.getMessage()));
    }
    return null;
  }

  private void print(List<Finding> findings, int files) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    switch (format) {
      case text -> {
        findings.forEach(f -> out.println(f.describe()));
        long errors = findings.stream().filter(f -> f.severity().equals("error")).count();
        out.println(
            files
                + " files checked: "
                + errors
                + " errors, "
                + (findings.size() - errors)
                + " warnings");
      }
      case json -> out.println(json.writeValueAsString(findings));
      case sarif -> out.println(json.writeValueAsString(sarif(findings)));
    }
    out.flush();
  }

  /** The findings as a SARIF 2.1.0 log of one run. */
  private static Map<String, Object> sarif(List<Finding> findings) {
    List<Map<String, Object>> results = new ArrayList<>();
    Set<String> rules = new LinkedHashSet<>();
    for (Finding f : findings) {
      rules.add(f.rule());
      Map<String, Object> location = new LinkedHashMap<>();
      Map<String, Object> physical = new LinkedHashMap<>();
      physical.put("artifactLocation", Map.of("uri", f.file()));
      if (f.line() > 0) {
        physical.put(
            "region", Map.of("startLine", f.line(), "startColumn", Math.max(1, f.column())));
      }
      location.put("physicalLocation", physical);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("ruleId", f.rule());
      r.put("level", f.severity().equals("error") ? "error" : "warning");
      r.put("message", Map.of("text", f.message()));
      r.put("locations", List.of(location));
      results.add(r);
    }
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "meshwork");
    driver.put("informationUri", "https://meshwork.dev/docs/command");
    driver.put("rules", rules.stream().map(id -> Map.of("id", id)).toList());
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("tool", Map.of("driver", driver));
    run.put("results", results);
    Map<String, Object> log = new LinkedHashMap<>();
    log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    log.put("version", "2.1.0");
    log.put("runs", List.of(run));
    return log;
  }
}
