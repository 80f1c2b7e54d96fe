package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.MeshworkException;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.QualityGateProvider;
import dev.meshwork.spi.RunListener;
import dev.meshwork.spi.RunListenerProvider;
import dev.meshwork.spi.TableStore;
import dev.meshwork.spi.TableStoreProvider;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The zero-configuration defaults of a mesh. */
public final class DefaultComponents {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultComponents.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private DefaultComponents() {}

  /** The store of the single {@link TableStoreProvider} on the classpath. */
  public static TableStore discoverStore() {
    List<TableStoreProvider> providers =
        load(TableStoreProvider.class, p -> p, "a table store", "call Mesh.builder().store(...)");
    if (providers.isEmpty()) {
      throw new MeshworkException(
          "Cannot build a mesh: no table store is configured and none was found on the classpath. "
              + "Add the dependency dev.meshwork:sdk-iceberg, or call Mesh.builder().store(...).");
    }
    if (providers.size() > 1) {
      throw new MeshworkException(
          "Cannot build a mesh: several table store providers were found ("
              + providers.stream().map(p -> p.getClass().getName()).toList()
              + "); choose one with Mesh.builder().store(...).");
    }
    TableStore store = providers.get(0).defaultStore();
    LOG.info("Meshwork store: {}", store.describe());
    return store;
  }

  /** The default listeners of every {@link RunListenerProvider} on the classpath (often none). */
  public static List<RunListener> discoverListeners() {
    List<RunListener> found =
        load(
            RunListenerProvider.class,
            RunListenerProvider::defaultListener,
            "run listeners",
            "add listeners with Mesh.builder().listener(...)");
    found.forEach(l -> LOG.info("Meshwork run listener: {}", l));
    return found;
  }

  /** The gate of the single {@link QualityGateProvider} on the classpath, or none. */
  public static QualityGate discoverQualityGate() {
    List<QualityGate> found =
        load(
            QualityGateProvider.class,
            QualityGateProvider::defaultGate,
            "a quality gate",
            "call Mesh.builder().qualityGate(...)");
    if (found.size() > 1) {
      throw new MeshworkException(
          "Cannot build a mesh: several quality gate providers were found; choose one with Mesh.builder().qualityGate(...).");
    }
    if (found.isEmpty()) {
      return QualityGate.none();
    }
    LOG.info("Meshwork quality gate: {}", found.get(0).getClass().getSimpleName());
    return found.get(0);
  }

  /**
   * The engine of the single {@link dev.meshwork.spi.PolicyEngineProvider} that finds a
   * configuration, else the allow-all default.
   */
  public static PolicyEngine discoverPolicy() {
    List<PolicyEngine> found =
        load(
                dev.meshwork.spi.PolicyEngineProvider.class,
                dev.meshwork.spi.PolicyEngineProvider::defaultEngine,
                "a policy engine",
                "call Mesh.builder().policy(...)")
            .stream()
            .flatMap(java.util.Optional::stream)
            .toList();
    if (found.size() > 1) {
      throw new MeshworkException(
          "Cannot build a mesh: several policy engines are configured ("
              + found.stream().map(PolicyEngine::describe).toList()
              + "); choose one with Mesh.builder().policy(...).");
    }
    if (found.isEmpty()) {
      return allowAllPolicy();
    }
    LOG.info("Meshwork policy engine: {}", found.get(0).describe());
    return found.get(0);
  }

  /**
   * What every provider of {@code type} on the classpath supplies; a broken META-INF/services entry
   * fails with the entry's problem and the explicit alternative ({@code fix}).
   */
  private static <P, T> List<T> load(
      Class<P> type, java.util.function.Function<P, T> supply, String what, String fix) {
    try {
      return ServiceLoader.load(type).stream()
          .map(ServiceLoader.Provider::get)
          .map(supply)
          .toList();
    } catch (ServiceConfigurationError e) {
      throw new MeshworkException(
          "Cannot discover "
              + what
              + ": a META-INF/services entry for "
              + type.getSimpleName()
              + " is broken ("
              + e.getMessage()
              + "). Fix the entry, or "
              + fix
              + ".",
          e);
    }
  }

  /** A policy engine that allows everything; warns once per process that no policy is set. */
  public static PolicyEngine allowAllPolicy() {
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn(
          "No policy engine configured: every run, read, write and publish is ALLOWED. "
              + "Configure one with Mesh.builder().policy(...) before production use.");
    }
    return new PolicyEngine() {
      @Override
      public Decision decide(dev.meshwork.spi.PolicyRequest request) {
        return Decision.allow("no policy configured (allow-all default)");
      }

      @Override
      public String describe() {
        return "allow-all (no policy configured)";
      }
    };
  }
}
