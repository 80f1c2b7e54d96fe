package dev.meshwork.policy;

import dev.meshwork.policy.internal.governance.GovernanceChecks;
import dev.meshwork.spi.Action;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Policies as files ({@code policies/*.yaml}, versioned with the product): {@code grants}, {@code
 * usageContracts}, {@code governance} and {@code directory.groups}. The revision is a hash of the
 * files, recorded with every decision.
 *
 * <pre>{@code
 * grants:
 *   - id: analysts-read-deliveries
 *     principals: [group:analysts, service:delivery-performance]
 *     actions: [READ]
 *     contracts: [logistics-deliveries]
 *     purposes: [reporting]
 *     condition: "purpose != 'marketing'"
 *     masks: [{classification: restricted, with: hash}]
 *     rowFilter: "row.region != 'restricted-zone'"
 * usageContracts:
 *   - id: uc-insights
 *     consumers: [service:delivery-performance]
 *     contracts: [logistics-deliveries]
 *     purposes: [reporting]
 *     validFrom: 2026-01-01
 *     validUntil: 2026-12-31
 *     terms: [no-redistribution]
 * governance:
 *   - id: descriptions
 *     builtin: every-column-has-description
 * directory:
 *   groups:
 *     analysts: [user:ana, user:bob]
 * }</pre>
 */
public record PolicySet(
    String revision,
    List<Grant> grants,
    List<UsageContract> usageContracts,
    List<GovernanceRule> governance,
    Map<String, Set<String>> groups) {

  private static final Set<String> BUILTINS = GovernanceChecks.builtinNames();
  private static final Set<String> MASKS = Set.of("null", "redact", "hash", "truncate");

  /** Copies the collections. */
  public PolicySet {
    grants = List.copyOf(grants);
    usageContracts = List.copyOf(usageContracts);
    governance = List.copyOf(governance);
    groups = Map.copyOf(groups);
  }

  /** Policies written in code; the revision is a hash of their content. */
  public static PolicySet of(
      List<Grant> grants,
      List<UsageContract> usageContracts,
      List<GovernanceRule> governance,
      Map<String, Set<String>> groups) {
    String content = List.of(grants, usageContracts, governance, groups).toString();
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return new PolicySet(
          "code-" + HexFormat.of().formatHex(hash).substring(0, 7),
          grants,
          usageContracts,
          governance,
          groups);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Who may read data published under contract {@code contractId}: every grant of READ whose
   * contracts include it (or name none), then every usage contract that covers it, in policy order.
   * A reader needs a grant; a usage contract adds purposes, terms and validity to it.
   */
  public List<ReadAccess> readers(String contractId) {
    List<ReadAccess> out = new java.util.ArrayList<>();
    for (Grant g : grants) {
      if (!g.actions().contains(Action.READ)
          || !(g.contracts().isEmpty()
              || g.contracts().contains("*")
              || g.contracts().contains(contractId))) {
        continue;
      }
      List<String> masks = new java.util.ArrayList<>();
      for (Grant.MaskRule m : g.masks()) {
        String what =
            m.column() != null
                ? "column " + m.column()
                : m.classification() != null
                    ? "classification " + m.classification()
                    : "tag " + m.tag();
        masks.add(what + ": " + m.with());
      }
      Set<String> products = new java.util.LinkedHashSet<>(g.products());
      products.remove("*");
      out.add(
          new ReadAccess(
              "grant " + g.id(),
              g.principals(),
              g.purposes(),
              products,
              masks,
              g.rowFilter(),
              g.condition(),
              g.terms(),
              null,
              null));
    }
    for (UsageContract uc : usageContracts) {
      if (uc.contracts().contains(contractId)) {
        out.add(
            new ReadAccess(
                "usage contract " + uc.id(),
                uc.consumers(),
                uc.purposes(),
                Set.of(),
                List.of(),
                null,
                null,
                uc.terms(),
                uc.validFrom(),
                uc.validUntil()));
      }
    }
    return out;
  }

  /**
   * What the governance rules say of every output port of {@code product}, as its first publish
   * would hear it (rules that compare with a published version have nothing to compare with): one
   * message per finding, naming the port and the rule. For linting descriptors before any run.
   */
  public List<String> governanceFindings(dev.meshwork.core.model.DataProduct product) {
    List<String> out = new java.util.ArrayList<>();
    List<dev.meshwork.policy.internal.governance.GovernanceCheck> checks =
        GovernanceChecks.of(this);
    for (dev.meshwork.core.model.OutputPortSpec port : product.outputPorts()) {
      if (port.contractId() == null) {
        continue;
      }
      dev.meshwork.core.model.DataContract contract =
          product.contract(port.contractId()).orElse(null);
      if (contract == null) {
        continue;
      }
      for (dev.meshwork.core.model.SchemaObject object : contract.schema()) {
        dev.meshwork.spi.PolicyRequest request =
            new dev.meshwork.spi.PolicyRequest(
                dev.meshwork.spi.Action.PUBLISH,
                dev.meshwork.core.Principal.service("meshwork-lint"),
                product,
                port.name(),
                null,
                null,
                new dev.meshwork.spi.PolicyRequest.PublishedOutput(
                    contract, object, null, Map.of()));
        for (var check : checks) {
          check
              .violations(request, contract, object)
              .forEach(v -> out.add("output port '" + port.name() + "': " + v));
        }
      }
    }
    return out;
  }

  /** Reads every {@code *.yaml}/{@code *.yml} file of a folder, in name order. */
  public static PolicySet load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new PolicyException(
          "Cannot load policies: "
              + dir.toAbsolutePath()
              + " is not a folder. Create it with at least one policy file.");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new PolicyException("Cannot list policy folder " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new PolicyException(
          "Cannot load policies: " + dir.toAbsolutePath() + " holds no *.yaml policy file.");
    }
    List<Grant> grants = new ArrayList<>();
    List<UsageContract> contracts = new ArrayList<>();
    List<GovernanceRule> rules = new ArrayList<>();
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Path f : files) {
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new PolicyException("Cannot read policy file " + f + ": " + e.getMessage(), e);
      }
      digest.update(text.getBytes(StandardCharsets.UTF_8));
      new FileReader(f).read(text, grants, contracts, rules, groups);
    }
    String revision = HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    return new PolicySet(revision, grants, contracts, rules, groups);
  }

  /** Binds one file, with positions for every error. */
  private static final class FileReader {
    private final Path file;

    FileReader(Path file) {
      this.file = file;
    }

    void read(
        String text,
        List<Grant> grants,
        List<UsageContract> contracts,
        List<GovernanceRule> rules,
        Map<String, Set<String>> groups) {
      Node root;
      try {
        LoaderOptions options = new LoaderOptions();
        // Few aliases keep a small file from standing for billions of values (an alias bomb).
        options.setMaxAliasesForCollections(10);
        root = new Yaml(options).compose(new java.io.StringReader(text));
      } catch (MarkedYAMLException e) {
        Mark m = e.getProblemMark();
        throw new PolicyException(
            file
                + (m == null ? "" : ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
                + ": Malformed YAML: "
                + e.getProblem());
      } catch (org.yaml.snakeyaml.error.YAMLException e) {
        throw new PolicyException(
            file + ": Cannot read the policy file: " + e.getMessage() + " (policy files allow 10)");
      }
      if (root == null) {
        return;
      }
      Map<String, Node> top = map(root, "the file");
      for (String key : top.keySet()) {
        if (!Set.of("grants", "usageContracts", "governance", "directory", "revision")
            .contains(key)) {
          throw error(
              top.get(key),
              "unknown section '"
                  + key
                  + "'; sections are grants, usageContracts, governance, directory");
        }
      }
      int i = 0;
      for (Node g : list(top.get("grants"), "grants")) {
        grants.add(grant(map(g, "grants[" + i + "]"), "grants[" + i++ + "]"));
      }
      i = 0;
      for (Node c : list(top.get("usageContracts"), "usageContracts")) {
        contracts.add(
            usageContract(map(c, "usageContracts[" + i + "]"), "usageContracts[" + i++ + "]"));
      }
      i = 0;
      for (Node r : list(top.get("governance"), "governance")) {
        rules.add(rule(map(r, "governance[" + i + "]"), "governance[" + i++ + "]"));
      }
      if (top.get("directory") != null) {
        Map<String, Node> dir = map(top.get("directory"), "directory");
        if (dir.get("groups") != null) {
          map(dir.get("groups"), "directory.groups")
              .forEach(
                  (group, members) ->
                      groups
                          .computeIfAbsent(group, k -> new LinkedHashSet<>())
                          .addAll(strings(members, "directory.groups." + group)));
        }
      }
    }

    private Grant grant(Map<String, Node> m, String path) {
      known(
          m,
          path,
          "id",
          "principals",
          "actions",
          "products",
          "ports",
          "contracts",
          "purposes",
          "condition",
          "masks",
          "rowFilter",
          "terms");
      String id = required(m, "id", path);
      Set<Action> actions = new LinkedHashSet<>();
      for (String a : strings(m.get("actions"), path + ".actions")) {
        try {
          actions.add(Action.valueOf(a.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw error(
              m.get("actions"),
              path
                  + ".actions: '"
                  + a
                  + "' is not an action; use RUN, READ, WRITE, PUBLISH or ERASE");
        }
      }
      if (actions.isEmpty()) {
        throw error(
            m.get("id"),
            path + " (" + id + ") lists no actions; add actions: [READ] (or RUN, WRITE, PUBLISH)");
      }
      Set<String> principals =
          new LinkedHashSet<>(strings(m.get("principals"), path + ".principals"));
      if (principals.isEmpty()) {
        throw error(
            m.get("id"),
            path
                + " ("
                + id
                + ") names no principals; add principals: [user:…, service:…, group:…] or ['*']");
      }
      for (String p : principals) {
        if (!p.equals("*") && !p.matches("(user|service|group):.+")) {
          throw error(
              m.get("principals"),
              path
                  + ".principals: '"
                  + p
                  + "' must look like user:NAME, service:NAME, group:NAME or '*'");
        }
      }
      List<Grant.MaskRule> masks = new ArrayList<>();
      int i = 0;
      for (Node n : list(m.get("masks"), path + ".masks")) {
        String mp = path + ".masks[" + i++ + "]";
        Map<String, Node> mm = map(n, mp);
        known(mm, mp, "column", "classification", "tag", "with", "length");
        String with = str(mm.get("with"), mp + ".with");
        if (with == null || !MASKS.contains(with)) {
          throw error(
              mm.containsKey("with") ? mm.get("with") : n,
              mp + ".with must be one of " + MASKS + ", but is '" + with + "'");
        }
        String column = str(mm.get("column"), mp + ".column");
        String classification = str(mm.get("classification"), mp + ".classification");
        String tag = str(mm.get("tag"), mp + ".tag");
        if (column == null && classification == null && tag == null) {
          throw error(n, mp + " needs column, classification or tag to select what to mask");
        }
        String length = str(mm.get("length"), mp + ".length");
        if (length != null && !length.matches("[0-9]{1,4}")) {
          throw error(
              mm.get("length"), mp + ".length must be a whole number, but is '" + length + "'");
        }
        masks.add(
            new Grant.MaskRule(
                column, classification, tag, with, length == null ? 4 : Integer.parseInt(length)));
      }
      String condition = str(m.get("condition"), path + ".condition");
      String rowFilter = str(m.get("rowFilter"), path + ".rowFilter");
      validateCel(m.get("condition"), condition, path + ".condition");
      validateCel(m.get("rowFilter"), rowFilter, path + ".rowFilter");
      return new Grant(
          id,
          principals,
          actions,
          new LinkedHashSet<>(strings(m.get("products"), path + ".products")),
          new LinkedHashSet<>(strings(m.get("ports"), path + ".ports")),
          new LinkedHashSet<>(strings(m.get("contracts"), path + ".contracts")),
          new LinkedHashSet<>(strings(m.get("purposes"), path + ".purposes")),
          condition,
          masks,
          rowFilter,
          strings(m.get("terms"), path + ".terms"));
    }

    private void validateCel(Node at, String expr, String path) {
      if (expr == null) {
        return;
      }
      try {
        dev.meshwork.policy.internal.Cel.compile(expr);
      } catch (IllegalArgumentException e) {
        throw error(at, path + ": " + e.getMessage());
      }
    }

    private UsageContract usageContract(Map<String, Node> m, String path) {
      known(
          m, path, "id", "consumers", "contracts", "purposes", "validFrom", "validUntil", "terms");
      String id = required(m, "id", path);
      return new UsageContract(
          id,
          new LinkedHashSet<>(strings(m.get("consumers"), path + ".consumers")),
          new LinkedHashSet<>(strings(m.get("contracts"), path + ".contracts")),
          new LinkedHashSet<>(strings(m.get("purposes"), path + ".purposes")),
          instant(m.get("validFrom"), path + ".validFrom", false),
          instant(m.get("validUntil"), path + ".validUntil", true),
          strings(m.get("terms"), path + ".terms"));
    }

    private GovernanceRule rule(Map<String, Node> m, String path) {
      known(m, path, "id", "builtin", "condition", "description");
      String id = required(m, "id", path);
      String builtin = str(m.get("builtin"), path + ".builtin");
      String condition = str(m.get("condition"), path + ".condition");
      if (builtin != null && !BUILTINS.contains(builtin)) {
        throw error(
            m.get("builtin"),
            path + ".builtin '" + builtin + "' is not a built-in rule; use one of " + BUILTINS);
      }
      if ((builtin == null) == (condition == null)) {
        throw error(m.get("id"), path + " (" + id + ") needs exactly one of builtin and condition");
      }
      validateCel(m.get("condition"), condition, path + ".condition");
      return new GovernanceRule(
          id, builtin, condition, str(m.get("description"), path + ".description"));
    }

    private Instant instant(Node n, String path, boolean endOfDay) {
      String v = str(n, path);
      if (v == null) {
        return null;
      }
      try {
        if (v.length() == 10) {
          LocalDate d = LocalDate.parse(v);
          return (endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        throw error(
            n,
            path
                + " must be a date (2026-12-31) or an instant (2026-12-31T23:59:59Z), but is '"
                + v
                + "'");
      }
    }

    private void known(Map<String, Node> m, String path, String... keys) {
      Set<String> allowed = Set.of(keys);
      for (Map.Entry<String, Node> e : m.entrySet()) {
        if (!allowed.contains(e.getKey())) {
          throw error(
              e.getValue(),
              path
                  + " has unknown field '"
                  + e.getKey()
                  + "'; fields are "
                  + Arrays.stream(keys).collect(Collectors.joining(", ")));
        }
      }
    }

    private String required(Map<String, Node> m, String key, String path) {
      String v = str(m.get(key), path + "." + key);
      if (v == null || v.isBlank()) {
        throw new PolicyException(file + ": " + path + " needs '" + key + "'");
      }
      return v;
    }

    private Map<String, Node> map(Node n, String path) {
      if (!(n instanceof MappingNode mn)) {
        throw error(n, path + " must be a mapping");
      }
      Map<String, Node> out = new LinkedHashMap<>();
      for (NodeTuple t : mn.getValue()) {
        String key = ((ScalarNode) t.getKeyNode()).getValue();
        if (out.put(key, t.getValueNode()) != null) {
          throw error(t.getKeyNode(), path + " has the key '" + key + "' twice");
        }
      }
      return out;
    }

    private List<Node> list(Node n, String path) {
      if (n == null) {
        return List.of();
      }
      if (!(n instanceof SequenceNode s)) {
        throw error(n, path + " must be a list");
      }
      return s.getValue();
    }

    private List<String> strings(Node n, String path) {
      List<String> out = new ArrayList<>();
      for (Node item : list(n, path)) {
        out.add(str(item, path));
      }
      return out;
    }

    private String str(Node n, String path) {
      if (n == null) {
        return null;
      }
      if (!(n instanceof ScalarNode s)) {
        throw error(n, path + " must be a single value");
      }
      return s.getValue();
    }

    private PolicyException error(Node at, String message) {
      Mark m = at == null ? null : at.getStartMark();
      return new PolicyException(
          file
              + (m == null ? "" : ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
              + ": "
              + message);
    }
  }
}
