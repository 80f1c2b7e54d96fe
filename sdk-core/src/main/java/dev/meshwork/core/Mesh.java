package dev.meshwork.core;

import dev.meshwork.core.internal.runtime.DefaultComponents;
import dev.meshwork.core.internal.runtime.MaskKeys;
import dev.meshwork.core.internal.runtime.RunImpl;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.RunListener;
import dev.meshwork.spi.SecretProvider;
import dev.meshwork.spi.TableStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: a configured table store, run listeners, policy engine and quality gate, from
 * which data product runs start. {@code Mesh.builder().build()} works with zero configuration: the
 * embedded store under {@code ./warehouse} (when {@code sdk-iceberg} is on the classpath), the
 * default listeners of the adapters on the classpath (lineage to a JSON-lines file when {@code
 * sdk-lineage} is there), allow-all policy (with a warning) and the contracts' quality rules (when
 * {@code sdk-quality} is there). What is discovered is under the builder's control ({@link
 * Builder#discover}), and the built mesh says in one INFO line what it uses and where each part
 * came from ({@link #describe()}).
 */
public final class Mesh implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Mesh.class);

  /** A part of a mesh that can be found on the class path with {@link java.util.ServiceLoader}. */
  public enum Component {
    /** The table store ({@link dev.meshwork.spi.TableStoreProvider}). */
    STORE,
    /** Run listeners ({@link dev.meshwork.spi.RunListenerProvider}), added to configured ones. */
    LISTENERS,
    /** The policy engine ({@link dev.meshwork.spi.PolicyEngineProvider}). */
    POLICY,
    /** The quality gate ({@link dev.meshwork.spi.QualityGateProvider}). */
    QUALITY_GATE
  }

  private final Settings settings;
  private final String description;
  private final TableStore store;
  private final List<RunListener> listeners;
  private final PolicyEngine policy;
  private final QualityGate qualityGate;
  private final Clock clock;
  private final MaskKeys maskKeys;
  private final dev.meshwork.core.internal.runtime.MetricsRecorder metrics =
      new dev.meshwork.core.internal.runtime.MetricsRecorder();

  private Mesh(Builder b) {
    this.settings = b.settings != null ? b.settings : Settings.fromEnvironment();
    Set<Component> discover = b.discover != null ? b.discover : b.unconfigured();
    b.checkNoConflict(discover);
    DefaultComponents found = new DefaultComponents(settings);
    List<String> parts = new ArrayList<>();
    if (b.store != null) {
      this.store = b.store;
      parts.add("store " + store.describe() + " (configured)");
    } else if (discover.contains(Component.STORE)) {
      this.store =
          found
              .store()
              .orElseThrow(
                  () ->
                      new MeshworkException(
                          "Cannot build a mesh: no table store is configured and none was found on"
                              + " the classpath. Add the dependency dev.meshwork:sdk-iceberg, or"
                              + " call Mesh.builder().store(...)."));
      parts.add("store " + store.describe() + " (discovered)");
    } else {
      throw new MeshworkException(
          "Cannot build a mesh: no table store is configured and store discovery is off. Call"
              + " Mesh.builder().store(...), or include Component.STORE in discover(...).");
    }
    List<RunListener> all = new ArrayList<>(b.listeners);
    List<String> named = new ArrayList<>();
    b.listeners.forEach(l -> named.add(l + " (configured)"));
    if (discover.contains(Component.LISTENERS)) {
      for (RunListener l : found.listeners()) {
        all.add(l);
        named.add(l + " (discovered)");
      }
    }
    this.listeners = List.copyOf(all);
    parts.add("listeners " + (named.isEmpty() ? "none" : String.join(", ", named)));
    if (b.policy != null) {
      this.policy = b.policy;
      parts.add("policy " + policy.describe() + " (configured)");
    } else {
      PolicyEngine discovered =
          discover.contains(Component.POLICY) ? found.policy().orElse(null) : null;
      this.policy = discovered != null ? discovered : DefaultComponents.allowAllPolicy();
      parts.add("policy " + policy.describe() + (discovered != null ? " (discovered)" : ""));
      if (discovered == null) {
        LOG.warn(
            "No policy engine configured: every run, read, write and publish is ALLOWED. "
                + "Configure one with Mesh.builder().policy(...) before production use.");
      }
    }
    if (b.qualityGate != null) {
      this.qualityGate = b.qualityGate;
      parts.add("quality gate " + name(qualityGate) + " (configured)");
    } else {
      QualityGate discovered =
          discover.contains(Component.QUALITY_GATE) ? found.qualityGate().orElse(null) : null;
      this.qualityGate = discovered != null ? discovered : QualityGate.none();
      parts.add(
          "quality gate " + (discovered != null ? name(discovered) + " (discovered)" : "none"));
    }
    this.clock = b.clock;
    this.maskKeys =
        MaskKeys.of(
            b.maskKey != null ? b.maskKey : MaskKey.configured(settings, b.secrets).orElse(null));
    this.description = "Meshwork mesh: " + String.join("; ", parts);
    LOG.info(description);
  }

  private static String name(QualityGate gate) {
    String s = gate.getClass().getSimpleName();
    return s.isEmpty() ? gate.toString() : s;
  }

  /** A builder; every setting is optional. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a run of a product with a fresh run id. */
  public Run start(DataProduct product, Principal principal) {
    return start(product, principal, RunOptions.defaults());
  }

  /** Starts a run of a product with options (run id, purpose). */
  public Run start(DataProduct product, Principal principal, RunOptions options) {
    return new RunImpl(
        Objects.requireNonNull(product, "product"),
        Objects.requireNonNull(principal, "principal"),
        Objects.requireNonNull(options, "options"),
        store,
        listeners,
        policy,
        qualityGate,
        clock,
        metrics,
        maskKeys);
  }

  /**
   * Erases every row about one data subject from the tables of {@code products} (each output port
   * whose contract declares the subject on a column, with {@link Erasure#PROPERTY}, and its
   * quarantine table): as one version per table, then from the table's history and storage,
   * verified by reading back every file left. The policy engine decides ERASE for every port first,
   * with the request's reason as purpose, so the decision log records who erased what, when and
   * why; a denial erases nothing. The report lists what was done, the consumers that may hold
   * derived rows, and the tables of the store that declare the subject but were not given.
   */
  public ErasureReport erase(
      Erasure erasure, Principal principal, java.util.List<DataProduct> products) {
    return dev.meshwork.core.internal.runtime.ErasureRun.erase(
        Objects.requireNonNull(erasure, "erasure"),
        Objects.requireNonNull(principal, "principal"),
        java.util.List.copyOf(products),
        store,
        policy,
        clock);
  }

  /** The table store, for inspection. */
  public TableStore store() {
    return store;
  }

  /** The settings this mesh gave the components it discovered. */
  public Settings settings() {
    return settings;
  }

  /**
   * What this mesh uses, and whether each part was configured or discovered: the line it logs at
   * INFO when built.
   */
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }

  /** The run listeners, configured or discovered. */
  public List<RunListener> listeners() {
    return listeners;
  }

  /** Waits for runs' quality metrics still being kept, then closes listeners and the store. */
  @Override
  public void close() {
    metrics.close();
    for (RunListener l : listeners) {
      try {
        l.close();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Mesh.class).warn("Run listener {} failed to close", l, e);
      }
    }
    store.close();
  }

  /** Builds a {@link Mesh}. */
  public static final class Builder {
    private TableStore store;
    private final List<RunListener> listeners = new ArrayList<>();
    private PolicyEngine policy;
    private QualityGate qualityGate;
    private Clock clock = Clock.systemUTC();
    private Settings settings;
    private Set<Component> discover;
    private MaskKey maskKey;
    private SecretProvider secrets;

    private Builder() {}

    /**
     * The settings handed to discovered components (default: {@link Settings#fromEnvironment()},
     * the process's system properties, environment and settings file).
     */
    public Builder settings(Settings meshSettings) {
      this.settings = Objects.requireNonNull(meshSettings, "meshSettings");
      return this;
    }

    /**
     * Discovers exactly these components on the class path. Without this call a mesh discovers
     * every component it was not given: the store, policy engine and quality gate when none is set,
     * and listeners when none is added. Discovered listeners are added to configured ones; a
     * component both configured and named here is an error. Not discovered and not configured, a
     * mesh has no listeners, the allow-all policy (with a warning), no quality gate, and no store
     * (an error).
     */
    public Builder discover(Component... components) {
      EnumSet<Component> set = EnumSet.noneOf(Component.class);
      for (Component c : components) {
        set.add(Objects.requireNonNull(c, "component"));
      }
      this.discover = set;
      return this;
    }

    /** Discovers nothing: the mesh uses only what the builder is given. */
    public Builder discoverNothing() {
      this.discover = EnumSet.noneOf(Component.class);
      return this;
    }

    private Set<Component> unconfigured() {
      EnumSet<Component> set = EnumSet.noneOf(Component.class);
      if (store == null) {
        set.add(Component.STORE);
      }
      if (listeners.isEmpty()) {
        set.add(Component.LISTENERS);
      }
      if (policy == null) {
        set.add(Component.POLICY);
      }
      if (qualityGate == null) {
        set.add(Component.QUALITY_GATE);
      }
      return set;
    }

    private void checkNoConflict(Set<Component> discovered) {
      Set<Component> both = EnumSet.noneOf(Component.class);
      if (store != null && discovered.contains(Component.STORE)) {
        both.add(Component.STORE);
      }
      if (policy != null && discovered.contains(Component.POLICY)) {
        both.add(Component.POLICY);
      }
      if (qualityGate != null && discovered.contains(Component.QUALITY_GATE)) {
        both.add(Component.QUALITY_GATE);
      }
      if (!both.isEmpty()) {
        throw new MeshworkException(
            "Cannot build a mesh: "
                + both.stream().map(Enum::name).collect(Collectors.joining(", "))
                + " is both configured and to be discovered. Remove it from discover(...), or do"
                + " not configure it.");
      }
    }

    /** The table store (default: discovered, the embedded Iceberg warehouse). */
    public Builder store(TableStore tableStore) {
      this.store = Objects.requireNonNull(tableStore, "tableStore");
      return this;
    }

    /**
     * Adds a run listener, such as a lineage emitter. Unless {@link #discover} says otherwise, a
     * mesh with a configured listener does not discover more.
     */
    public Builder listener(RunListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The policy engine (default: the one a discovered provider configures, such as {@code
     * ./policies} with sdk-policy on the class path; else allow everything, with a warning).
     */
    public Builder policy(PolicyEngine engine) {
      this.policy = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /**
     * The quality gate (default: discovered, the contracts' rules; {@code QualityGate.none()} turns
     * it off).
     */
    public Builder qualityGate(QualityGate gate) {
      this.qualityGate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /**
     * The key of {@code hash} masks (default: from the secret provider or the settings {@value
     * MaskKey#SETTING} and {@value MaskKey#FILE_SETTING}, else a random key of this process).
     */
    public Builder maskKey(MaskKey key) {
      this.maskKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /** Where secrets such as the mask key come from before the settings are asked. */
    public Builder secrets(SecretProvider provider) {
      this.secrets = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** The clock for event times and durations (default: system UTC). */
    public Builder clock(Clock eventClock) {
      this.clock = Objects.requireNonNull(eventClock, "eventClock");
      return this;
    }

    /** The mesh. */
    public Mesh build() {
      return new Mesh(this);
    }
  }
}
