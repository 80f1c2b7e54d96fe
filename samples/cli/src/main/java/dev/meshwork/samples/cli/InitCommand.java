package dev.meshwork.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshwork init}: a new product's folder that builds and passes its test as generated. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Scaffolds a data product: a Maven project with its ODPS descriptor, an ODCS contract, a"
          + " policies folder (access grants, governance rules), a pipeline class that publishes"
          + " its output port, and a test of it with the test kit. Builds and passes as"
          + " generated; nothing is overwritten."
    },
    footer = {
      "",
      "Example:",
      "  meshwork init parcel-scans --domain logistics && cd parcel-scans && mvn verify"
    })
final class InitCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "NAME",
      description = "The product's name: lower case, digits and hyphens (parcel-scans).")
  String name;

  @Option(
      names = "--domain",
      defaultValue = "sandbox",
      paramLabel = "DOMAIN",
      description = "The product's domain (default ${DEFAULT-VALUE}).")
  String domain;

  @Option(
      names = "--dir",
      defaultValue = ".",
      paramLabel = "DIR",
      description = "Where the product's folder goes (default: here).")
  Path dir;

  @Option(
      names = "--package",
      paramLabel = "PACKAGE",
      description = "The Java package (default com.example.<name without hyphens>).")
  String javaPackage;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "product name '"
              + name
              + "' must be lower case letters and digits, words joined by single hyphens"
              + " (parcel-scans)");
    }
    if (!domain.matches("[a-z][a-z0-9_]*")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "domain '" + domain + "' must be lower case letters, digits, '_'");
    }
    Path root = dir.resolve(name);
    if (Files.exists(root)) {
      throw new IllegalArgumentException(
          root + " exists already; init writes a new folder and overwrites nothing");
    }
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("name", name);
    vars.put("domain", domain);
    vars.put("Camel", camel(name));
    vars.put("package", javaPackage != null ? javaPackage : "com.example." + name.replace("-", ""));
    vars.put("table", name.replace('-', '_'));
    vars.put("version", version());
    vars.put(
        "id",
        java.util
            .UUID
            .nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .toString());
    String pkgPath = vars.get("package").replace('.', '/');
    Map<String, String> files = new LinkedHashMap<>();
    files.put("pom.xml", InitTemplates.POM);
    files.put("mesh/" + name + ".yaml", InitTemplates.PRODUCT);
    files.put("mesh/contracts/" + name + ".odcs.yaml", InitTemplates.CONTRACT);
    files.put("mesh/policies/access.yaml", InitTemplates.ACCESS);
    files.put("mesh/policies/governance.yaml", InitTemplates.GOVERNANCE);
    files.put(
        "src/main/java/" + pkgPath + "/" + vars.get("Camel") + "Pipeline.java",
        InitTemplates.PIPELINE);
    files.put(
        "src/main/java/" + pkgPath + "/" + vars.get("Camel") + "Record.java", InitTemplates.RECORD);
    files.put(
        "src/test/java/" + pkgPath + "/" + vars.get("Camel") + "PipelineTest.java",
        InitTemplates.TEST);
    files.put("src/test/resources/simplelogger.properties", InitTemplates.TEST_LOGGING);
    files.put("README.md", InitTemplates.README);
    PrintWriter out = spec.commandLine().getOut();
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path target = root.resolve(f.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, fill(f.getValue(), vars));
      out.println("  created " + target);
    }
    out.println(
        "Product "
            + name
            + " scaffolded in "
            + root
            + ". Next: cd "
            + root
            + " && mvn verify (the test publishes three rows to a temporary warehouse);"
            + " meshwork lint mesh checks the descriptors.");
    out.flush();
    return 0;
  }

  private static String fill(String template, Map<String, String> vars) {
    String out = template;
    for (Map.Entry<String, String> v : vars.entrySet()) {
      out = out.replace("{{" + v.getKey() + "}}", v.getValue());
    }
    return out;
  }

  /** {@code parcel-scans} as {@code ParcelScans}. */
  static String camel(String name) {
    StringBuilder b = new StringBuilder();
    for (String part : name.split("-")) {
      b.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
    }
    return b.toString();
  }

  /** The SDK version the generated project depends on: this command's own. */
  static String version() {
    String v = InitCommand.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
