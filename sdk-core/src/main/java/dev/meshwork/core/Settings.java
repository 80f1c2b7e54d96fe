package dev.meshwork.core;

import dev.meshwork.core.internal.settings.SettingsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Meshwork setting, resolved by one rule: a value set in code wins over a JVM system property
 * ({@code -Dmeshwork.warehouse=…}), which wins over an environment variable ({@code
 * MESHWORK_WAREHOUSE}: the key upper-cased, dots and hyphens as underscores), which wins over the
 * settings file named by {@value #CONFIG_FILE} (YAML or {@code .properties}), which wins over the
 * default of whoever reads the key. Keys are dotted and hyphenated ({@code meshwork.decision-log});
 * the older spellings still work and log a deprecation warning.
 *
 * <p>A mesh hands its settings to the store, listeners, policy engine and quality gate it discovers
 * ({@link dev.meshwork.spi.TableStoreProvider} and friends), so a test or an application configures
 * everything in one place without touching the process's system properties.
 */
public final class Settings {
  /** The key naming the settings file (read from code, {@code -D} or the environment only). */
  public static final String CONFIG_FILE = "meshwork.config";

  /** The key of the warehouse: a folder or an object-store URI such as {@code s3://bucket/wh}. */
  public static final String WAREHOUSE = "meshwork.warehouse";

  private static final Logger LOG = LoggerFactory.getLogger(Settings.class);

  /** Old spellings and the key that replaced each. */
  private static final Map<String, String> DEPRECATED =
      Map.of("meshwork.decisionLog", "meshwork.decision-log");

  /** Environment variables read after the key's own, for keys other tools already name. */
  private static final Map<String, List<String>> OTHER_VARIABLES =
      Map.of(
          "meshwork.s3.region", List.of("AWS_REGION"),
          "meshwork.s3.access-key-id", List.of("AWS_ACCESS_KEY_ID"),
          "meshwork.s3.secret-access-key", List.of("AWS_SECRET_ACCESS_KEY"));

  private final Map<String, String> code;
  private final Map<String, String> system;
  private final Map<String, String> environment;
  private final Path file;
  private final Map<String, SettingsFile.Setting> fileValues;
  private final List<String> deprecations;

  private Settings(Builder b) {
    List<String> warnings = new ArrayList<>();
    this.code = normalised(b.code, "code", warnings);
    this.system = normalised(b.system, "-D", warnings);
    this.environment = Map.copyOf(b.environment);
    Path named = b.file;
    if (named == null) {
      String configured = firstOf(CONFIG_FILE, code, system, environment);
      named = configured == null ? null : Path.of(configured);
    }
    this.file = named;
    Map<String, SettingsFile.Setting> read = new LinkedHashMap<>();
    if (named != null) {
      for (Map.Entry<String, SettingsFile.Setting> e : SettingsFile.read(named).entrySet()) {
        read.put(replacement(e.getKey(), named.toString(), warnings), e.getValue());
      }
    }
    this.fileValues = read;
    this.deprecations = List.copyOf(warnings);
    deprecations.forEach(LOG::warn);
  }

  /**
   * The settings of this process: its system properties and environment, and the settings file they
   * name. What a mesh uses when it is given no settings.
   */
  public static Settings fromEnvironment() {
    Map<String, String> props = new LinkedHashMap<>();
    System.getProperties()
        .forEach(
            (k, v) -> {
              if (k instanceof String key && v instanceof String value) {
                props.put(key, value);
              }
            });
    return builder().systemProperties(props).environment(System.getenv()).build();
  }

  /** No settings at all: every reader uses its default. */
  public static Settings empty() {
    return builder().build();
  }

  /** A builder that starts empty (neither system properties nor environment). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings' layers, to set more values in code. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.code.putAll(code);
    b.system.putAll(system);
    b.environment.putAll(environment);
    b.file = file;
    return b;
  }

  /** These settings with {@code key} set in code. */
  public Settings with(String key, String value) {
    return toBuilder().set(key, value).build();
  }

  /** The value of {@code key} by the precedence rule; blank values count as unset. */
  public Optional<String> get(String key) {
    return lookup(key).map(Found::value);
  }

  /**
   * The whole-number value of {@code key}, between {@code min} and {@code max}, else the default.
   */
  public int intValue(String key, int defaultValue, int min, int max) {
    Optional<Found> found = lookup(key);
    if (found.isEmpty()) {
      return defaultValue;
    }
    String allowed = "a whole number from " + min + " to " + max;
    try {
      long v = Long.parseLong(found.get().value().strip());
      if (v < min || v > max) {
        throw invalid(key, allowed);
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw invalid(key, allowed);
    }
  }

  /** The value of {@code key} as a path. */
  public Optional<Path> path(String key) {
    return get(key).map(v -> v.startsWith("file:") ? Path.of(java.net.URI.create(v)) : Path.of(v));
  }

  /**
   * The keys starting with {@code prefix} and their values, from code, system properties and the
   * settings file (environment variables cannot be listed by prefix: their names lose the
   * difference between dots and hyphens).
   */
  public Map<String, String> startingWith(String prefix) {
    Map<String, String> out = new TreeMap<>();
    fileValues.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && !v.value().isBlank()) {
            out.put(k, v.value());
          }
        });
    for (Map<String, String> layer : List.of(system, code)) {
      layer.forEach(
          (k, v) -> {
            if (k.startsWith(prefix) && !v.isBlank()) {
              out.put(k, v);
            }
          });
    }
    return out;
  }

  /**
   * An environment variable that another standard defines (such as {@code OPENLINEAGE_URL}), as
   * these settings captured it.
   */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(environment.get(name)).filter(v -> !v.isBlank());
  }

  /** The names of the captured environment variables starting with {@code prefix}. */
  public Set<String> variablesStartingWith(String prefix) {
    Set<String> out = new TreeSet<>();
    environment.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(out::add);
    return out;
  }

  /** Where the value of {@code key} comes from, for messages ({@code "not set"} when unset). */
  public String source(String key) {
    return lookup(key).map(Found::source).orElse("not set");
  }

  /**
   * The error for a value of {@code key} that is not allowed: {@code "<key> must be <allowed>, but
   * is '<value>'"}, with where the value was set; at its line and column when it came from the
   * settings file.
   */
  public MeshworkException invalid(String key, String allowed) {
    String value = get(key).orElse("");
    return error(key, key + " must be " + allowed + ", but is '" + value + "'");
  }

  /**
   * An error about {@code key}: a {@link DescriptorException} at the key's line and column when the
   * value came from the settings file, else the message with where the value was set.
   */
  public MeshworkException error(String key, String message) {
    Optional<Found> found = lookup(key);
    if (found.isPresent() && found.get().setting() != null) {
      SettingsFile.Setting s = found.get().setting();
      return new DescriptorException(file, s.line(), s.column(), message);
    }
    return new MeshworkException(
        found.map(f -> message + " (set by " + f.source() + ")").orElse(message));
  }

  /**
   * The local folder for files kept beside the tables (lineage spool, decision log): the warehouse
   * when it is a local folder, else {@code ./warehouse}. Not created.
   */
  public Path localFolder() {
    String configured = get(WAREHOUSE).orElse(null);
    if (configured == null) {
      return Path.of("warehouse");
    }
    if (configured.startsWith("file:")) {
      return Path.of(java.net.URI.create(configured));
    }
    return configured.contains("://") ? Path.of("warehouse") : Path.of(configured);
  }

  /** The deprecated spellings these settings were given, as the warnings logged for them. */
  public List<String> deprecations() {
    return deprecations;
  }

  @Override
  public String toString() {
    return "Settings[code="
        + code.keySet()
        + ", -D="
        + new TreeSet<>(system.keySet())
        + ", file="
        + (file == null ? "none" : file)
        + "]";
  }

  private record Found(String value, String source, SettingsFile.Setting setting) {}

  private Optional<Found> lookup(String key) {
    String v = code.get(key);
    if (present(v)) {
      return Optional.of(new Found(v, "code", null));
    }
    v = system.get(key);
    if (present(v)) {
      return Optional.of(new Found(v, "-D" + key, null));
    }
    for (String name : variables(key)) {
      v = environment.get(name);
      if (present(v)) {
        return Optional.of(new Found(v, "environment variable " + name, null));
      }
    }
    SettingsFile.Setting s = fileValues.get(key);
    if (s != null && present(s.value())) {
      String where = s.line() > 0 ? file + ":" + s.line() + ":" + s.column() : file.toString();
      return Optional.of(new Found(s.value(), where, s));
    }
    return Optional.empty();
  }

  private static List<String> variables(String key) {
    String own = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    List<String> names = new ArrayList<>();
    names.add(own);
    names.addAll(OTHER_VARIABLES.getOrDefault(key, List.of()));
    return names;
  }

  private static boolean present(String v) {
    return v != null && !v.isBlank();
  }

  private static String firstOf(
      String key, Map<String, String> code, Map<String, String> system, Map<String, String> env) {
    for (String v : new String[] {code.get(key), system.get(key), env.get(variables(key).get(0))}) {
      if (present(v)) {
        return v;
      }
    }
    return null;
  }

  private static Map<String, String> normalised(
      Map<String, String> layer, String where, List<String> warnings) {
    Map<String, String> out = new LinkedHashMap<>();
    layer.forEach((k, v) -> out.put(replacement(k, where, warnings), v));
    return Map.copyOf(out);
  }

  private static String replacement(String key, String where, List<String> warnings) {
    String now = DEPRECATED.get(key);
    if (now == null) {
      return key;
    }
    warnings.add(
        "Setting "
            + key
            + " (in "
            + where
            + ") is deprecated: use "
            + now
            + "; the old spelling will stop working in a later release.");
    return now;
  }

  /** Builds {@link Settings}. */
  public static final class Builder {
    private final Map<String, String> code = new LinkedHashMap<>();
    private final Map<String, String> system = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path file;

    private Builder() {}

    /** Sets {@code key} in code: it wins over every other source. */
    public Builder set(String key, String value) {
      code.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The system properties to read ({@code -D}); only {@code meshwork.*} keys are kept. */
    public Builder systemProperties(Map<String, String> properties) {
      system.clear();
      properties.forEach(
          (k, v) -> {
            if (k.startsWith("meshwork.") && v != null) {
              system.put(k, v);
            }
          });
      return this;
    }

    /** The environment variables to read. */
    public Builder environment(Map<String, String> variables) {
      environment.clear();
      variables.forEach(
          (k, v) -> {
            if (v != null) {
              environment.put(k, v);
            }
          });
      return this;
    }

    /** The settings file, instead of the one {@value #CONFIG_FILE} names. */
    public Builder file(Path settingsFile) {
      this.file = Objects.requireNonNull(settingsFile, "settingsFile");
      return this;
    }

    /** The settings; reads the settings file now (errors name its line and column). */
    public Settings build() {
      return new Settings(this);
    }
  }
}
