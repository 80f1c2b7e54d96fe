package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.Settings;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyEngineProvider;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.QualityGateProvider;
import dev.meshwork.spi.RunListener;
import dev.meshwork.spi.RunListenerProvider;
import dev.meshwork.spi.TableStore;
import dev.meshwork.spi.TableStoreProvider;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/** The components a mesh finds with {@link ServiceLoader}, each given the mesh's settings. */
public final class DefaultComponents {
  private final Settings settings;

  /** Discovery with these settings. */
  public DefaultComponents(Settings settings) {
    this.settings = settings;
  }

  /** The store of the single {@link TableStoreProvider} on the classpath. */
  public Optional<TableStore> store() {
    List<TableStoreProvider> providers =
        load(TableStoreProvider.class, p -> p, "a table store", "call Mesh.builder().store(...)");
    if (providers.size() > 1) {
      throw new MeshworkException(
          "Cannot build a mesh: several table store providers were found ("
              + providers.stream().map(p -> p.getClass().getName()).toList()
              + "); choose one with Mesh.builder().store(...).");
    }
    return providers.stream().findFirst().map(p -> p.defaultStore(settings));
  }

  /** The default listeners of every {@link RunListenerProvider} on the classpath (often none). */
  public List<RunListener> listeners() {
    return load(
        RunListenerProvider.class,
        p -> p.defaultListener(settings),
        "run listeners",
        "add listeners with Mesh.builder().listener(...)");
  }

  /** The gate of the single {@link QualityGateProvider} on the classpath, if any. */
  public Optional<QualityGate> qualityGate() {
    List<QualityGate> found =
        load(
            QualityGateProvider.class,
            p -> p.defaultGate(settings),
            "a quality gate",
            "call Mesh.builder().qualityGate(...)");
    if (found.size() > 1) {
      throw new MeshworkException(
          "Cannot build a mesh: several quality gate providers were found; choose one with"
              + " Mesh.builder().qualityGate(...).");
    }
    return found.stream().findFirst();
  }

  /** The engine of the single {@link PolicyEngineProvider} that finds a configuration, if any. */
  public Optional<PolicyEngine> policy() {
    List<PolicyEngine> found =
        load(
                PolicyEngineProvider.class,
                p -> p.defaultEngine(settings),
                "a policy engine",
                "call Mesh.builder().policy(...)")
            .stream()
            .flatMap(Optional::stream)
            .toList();
    if (found.size() > 1) {
      throw new MeshworkException(
          "Cannot build a mesh: several policy engines are configured ("
              + found.stream().map(PolicyEngine::describe).toList()
              + "); choose one with Mesh.builder().policy(...).");
    }
    return found.stream().findFirst();
  }

  /**
   * What every provider of {@code type} on the classpath supplies; a broken META-INF/services entry
   * fails with the entry's problem and the explicit alternative ({@code fix}).
   */
  private static <P, T> List<T> load(
      Class<P> type, Function<P, T> supply, String what, String fix) {
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

  /** A policy engine that allows everything (the mesh warns when it uses it). */
  public static PolicyEngine allowAllPolicy() {
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
