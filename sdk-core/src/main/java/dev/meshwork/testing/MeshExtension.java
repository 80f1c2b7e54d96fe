package dev.meshwork.testing;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.Settings;
import dev.meshwork.core.model.DataProduct;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives each test a fresh mesh on an embedded warehouse in a temporary
 * folder, with the components found on the class path (the store, lineage to a JSON-lines file in
 * the warehouse, the contracts' quality rules) unless {@link #configure} says otherwise:
 *
 * <pre>{@code
 * @RegisterExtension final MeshExtension mesh = MeshExtension.embedded();
 *
 * @Test
 * void publishesOneRowPerRegion() {
 *   mesh.run(product, run -> run.output("stats", Stats.class).writeAll(stats()));
 *   mesh.published(product, "stats").hasRows(5).hasUniqueValues("region");
 * }
 * }</pre>
 *
 * <p>The warehouse is deleted after a test that passed and kept (its path logged to standard error)
 * after one that failed, to look at.
 */
public final class MeshExtension implements BeforeEachCallback, AfterEachCallback {
  private Consumer<Mesh.Builder> customizer = b -> {};
  private Consumer<Settings.Builder> settingsCustomizer = b -> {};
  private Path warehouse;
  private Settings settings;
  private Mesh mesh;

  private MeshExtension() {}

  /** A fresh embedded mesh per test. */
  public static MeshExtension embedded() {
    return new MeshExtension();
  }

  /** Adjusts each test's mesh before it is built (a policy engine, a quality gate, listeners). */
  public MeshExtension configure(Consumer<Mesh.Builder> builder) {
    this.customizer = Objects.requireNonNull(builder, "builder");
    return this;
  }

  /** Adds settings to each test's settings (whose warehouse is the test's folder). */
  public MeshExtension settings(Consumer<Settings.Builder> builder) {
    this.settingsCustomizer = Objects.requireNonNull(builder, "builder");
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    warehouse = Files.createTempDirectory("meshwork-test-");
    Settings.Builder s = Settings.builder().set(Settings.WAREHOUSE, warehouse.toString());
    settingsCustomizer.accept(s);
    settings = s.build();
    Mesh.Builder b = Mesh.builder().settings(settings);
    customizer.accept(b);
    mesh = b.build();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      if (mesh != null) {
        mesh.close();
      }
    } finally {
      mesh = null;
      if (context.getExecutionException().isPresent()) {
        System.err.println("Meshwork test warehouse kept for inspection: " + warehouse);
      } else {
        delete(warehouse);
      }
    }
  }

  /** This test's mesh. */
  public Mesh mesh() {
    return started(mesh);
  }

  /**
   * This test's settings (the warehouse is the test's folder), for code under test that builds its
   * own mesh with {@code Mesh.builder().settings(settings)}.
   */
  public Settings settings() {
    return started(settings);
  }

  /** This test's warehouse folder. */
  public Path warehouse() {
    return started(warehouse);
  }

  /** Runs {@code body} as the service {@code test} and commits the run. */
  public RunResult run(DataProduct product, Consumer<Run> body) {
    return run(product, Principal.service("test"), RunOptions.defaults(), body);
  }

  /** Runs {@code body} as {@code principal} with {@code options} and commits the run. */
  public RunResult run(
      DataProduct product, Principal principal, RunOptions options, Consumer<Run> body) {
    try (Run run = mesh().start(product, principal, options)) {
      body.accept(run);
      return run.commit();
    }
  }

  /** What the product's output port has published in this test's warehouse. */
  public PublishedOutput published(DataProduct product, String port) {
    return PublishedOutput.read(mesh(), product, port);
  }

  private <T> T started(T value) {
    if (value == null) {
      throw new MeshworkException(
          "The test mesh exists only while a test runs: register the extension on an instance"
              + " field with @RegisterExtension and use it inside @Test or @BeforeEach methods.");
    }
    return value;
  }

  private static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the test warehouse " + dir, e);
    }
  }
}
