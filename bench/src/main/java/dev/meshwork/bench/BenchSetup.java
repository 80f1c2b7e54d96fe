package dev.meshwork.bench;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.lineage.OpenLineageListener;
import dev.meshwork.quality.Check;
import dev.meshwork.quality.Severity;
import dev.meshwork.quality.Suite;
import dev.meshwork.quality.Threshold;
import dev.meshwork.spi.QualityGate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;

/** Shared setup of the benchmarks: the product, meshes on fresh warehouses, the baseline table. */
final class BenchSetup {
  static final Principal PRINCIPAL = Principal.service("bench");
  static final TableIdentifier MESHWORK_TABLE = TableIdentifier.parse("bench.writer.rows");
  static final TableIdentifier BASELINE_TABLE = TableIdentifier.parse("bench.baseline.rows");

  private BenchSetup() {}

  /** The benchmark product, copied out of the jar into {@code dir}. */
  static DataProduct product(Path dir) {
    try {
      Files.createDirectories(dir.resolve("contracts"));
      copy("/bench/product.yaml", dir.resolve("product.yaml"));
      copy("/bench/contracts/rows.odcs.yaml", dir.resolve("contracts/rows.odcs.yaml"));
      Files.createDirectories(dir.resolve("policies"));
      copy("/bench/policies/access.yaml", dir.resolve("policies/access.yaml"));
      copy("/bench/consumer.yaml", dir.resolve("consumer.yaml"));
      return DataProduct.load(dir.resolve("product.yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = BenchSetup.class.getResourceAsStream(resource)) {
      Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Ten rules over the benchmark table, for the quality overhead variant. */
  static Suite tenRules() {
    return Suite.of(
        "bench-ten-rules",
        Check.isComplete("measure")
            .percent()
            .expect(Threshold.mustBeLessOrEqualTo(15))
            .severity(Severity.WARN),
        Check.isUnique("id"),
        Check.rowCount().expect(Threshold.mustBeBetween(1, 10_000_000)),
        Check.allowedValues("category", categories()),
        Check.matches("payload", "[a-z0-9]{30}"),
        Check.inRange("ratio", 0, 1),
        Check.isNonNegative("mid_card"),
        Check.inRange("low_card", 0, 15),
        Check.isFresh("event_ts", java.time.Duration.ofDays(3650)),
        Check.isComplete("event_date"));
  }

  private static Object[] categories() {
    Object[] c = new Object[20];
    for (int i = 0; i < c.length; i++) {
      c[i] = "category-" + i;
    }
    return c;
  }

  /** A mesh on a fresh embedded warehouse, without listeners unless lineage is asked for. */
  static Mesh mesh(Path warehouse, Path lineageFile) {
    return mesh(warehouse, lineageFile, QualityGate.none());
  }

  /** A mesh with a quality gate. */
  static Mesh mesh(Path warehouse, Path lineageFile, QualityGate gate) {
    return mesh(warehouse, lineageFile, gate, null);
  }

  /** A mesh with a quality gate and a policy engine (null for the allow-all default). */
  static Mesh mesh(
      Path warehouse, Path lineageFile, QualityGate gate, dev.meshwork.spi.PolicyEngine policy) {
    // The store's settings come from the fork's -D flags (compression threads for the one-thread
    // rows).
    dev.meshwork.core.Settings settings =
        dev.meshwork.core.Settings.fromEnvironment()
            .with(dev.meshwork.core.Settings.WAREHOUSE, warehouse.toString());
    Mesh.Builder b =
        Mesh.builder()
            .store(IcebergStore.open(dev.meshwork.iceberg.StoreConfig.from(settings)))
            .qualityGate(gate);
    if (policy != null) {
      b.policy(policy);
    }
    if (lineageFile != null) {
      b.listener(
          OpenLineageListener.builder()
              .file(lineageFile)
              .spoolDirectory(lineageFile.resolveSibling("spool"))
              .build());
    } else {
      b.listener(event -> {});
    }
    return b.build();
  }

  /**
   * Creates the product's table in {@code mesh}'s warehouse and sets its codec. A table appears at
   * its first publish, so an empty run publishes it through a mesh without rules or policy (the
   * measured mesh's rules would refuse an empty output).
   */
  static Table prepareTable(Mesh mesh, Path warehouse, DataProduct product, String codec) {
    try (Mesh plain = mesh(warehouse, null);
        Run run = plain.start(product, PRINCIPAL)) {
      run.output("rows", BenchRow.class);
      run.commit();
    }
    Table t = ((IcebergStore) mesh.store()).catalog().loadTable(MESHWORK_TABLE);
    t.updateProperties().set(TableProperties.PARQUET_COMPRESSION, codec).commit();
    return t;
  }

  /** A plain Iceberg table with the same schema and properties, for the Iceberg baseline. */
  static Table baselineTable(Mesh mesh, Table like) {
    var catalog = ((IcebergStore) mesh.store()).catalog();
    ((org.apache.iceberg.catalog.SupportsNamespaces) catalog)
        .createNamespace(BASELINE_TABLE.namespace());
    return catalog
        .buildTable(BASELINE_TABLE, like.schema())
        .withProperties(like.properties())
        .create();
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
