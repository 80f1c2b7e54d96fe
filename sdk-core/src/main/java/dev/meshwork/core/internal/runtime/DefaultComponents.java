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
    List<TableStoreProvider> providers;
    try {
      providers =
          ServiceLoader.load(TableStoreProvider.class).stream()
              .map(ServiceLoader.Provider::get)
              .toList();
    } catch (ServiceConfigurationError e) {
      throw new MeshworkException(
          "Cannot discover a table store: a META-INF/services entry for TableStoreProvider is broken ("
              + e.getMessage()
              + "). Fix the entry, or call Mesh.builder().store(...).",
          e);
    }
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
    try {
      List<RunListener> found =
          ServiceLoader.load(RunListenerProvider.class).stream()
              .map(p -> p.get().defaultListener())
              .toList();
      found.forEach(l -> LOG.info("Meshwork run listener: {}", l));
      return found;
    } catch (ServiceConfigurationError e) {
      throw new MeshworkException(
          "Cannot discover run listeners: a META-INF/services entry for RunListenerProvider is broken ("
              + e.getMessage()
              + "). Fix the entry, or add listeners with Mesh.builder().listener(...).",
          e);
    }
  }

  /** The gate of the single {@link QualityGateProvider} on the classpath, or none. */
  public static QualityGate discoverQualityGate() {
    try {
      List<QualityGate> found =
          ServiceLoader.load(QualityGateProvider.class).stream()
              .map(p -> p.get().defaultGate())
              .toList();
      if (found.size() > 1) {
        throw new MeshworkException(
            "Cannot build a mesh: several quality gate providers were found; choose one with Mesh.builder().qualityGate(...).");
      }
      if (found.isEmpty()) {
        return QualityGate.none();
      }
      LOG.info("Meshwork quality gate: {}", found.get(0).getClass().getSimpleName());
      return found.get(0);
    } catch (ServiceConfigurationError e) {
      throw new MeshworkException(
          "Cannot discover a quality gate: a META-INF/services entry for QualityGateProvider is broken ("
              + e.getMessage()
              + "). Fix the entry, or call Mesh.builder().qualityGate(...).",
          e);
    }
  }

  /**
   * The engine of the single {@link dev.meshwork.spi.PolicyEngineProvider} that finds a
   * configuration, else the allow-all default.
   */
  public static PolicyEngine discoverPolicy() {
    List<PolicyEngine> found;
    try {
      found =
          ServiceLoader.load(dev.meshwork.spi.PolicyEngineProvider.class).stream()
              .map(p -> p.get().defaultEngine())
              .flatMap(java.util.Optional::stream)
              .toList();
    } catch (ServiceConfigurationError e) {
      throw new MeshworkException(
          "Cannot discover a policy engine: a META-INF/services entry for PolicyEngineProvider is broken ("
              + e.getMessage()
              + "). Fix the entry, or call Mesh.builder().policy(...).",
          e);
    }
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
