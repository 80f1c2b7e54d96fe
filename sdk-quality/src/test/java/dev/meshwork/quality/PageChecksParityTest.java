package dev.meshwork.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.spi.GateContext;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.write.ColumnCheck;
import dev.meshwork.spi.write.StructShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Single-column checks run by the store on the pages it encodes give exactly the results of the
 * same checks reading every row, whatever the pages look like: dictionary or plain, a dictionary
 * abandoned mid-chunk, many row groups, one value per page, nulls, NaN, signed zeros, unpaired
 * surrogates, non-ASCII text, and rows a quarantine rule keeps out of the output.
 */
class PageChecksParityTest {
  private static final Path LAB = Path.of("src/test/resources/pages/lab.yaml");
  private static final Principal ME = Principal.service("page-checks-test");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  /** The output port's rows. */
  record Reading(
      long id,
      Integer qty,
      Double amount,
      float ratio,
      String status,
      String code,
      LocalDate day,
      Instant at) {}

  /**
   * Page sizes (rows per page, dictionary bytes, row group bytes) and Parquet page version: v2
   * pages are written by parquet-java's encoders, which run no checks, so every check reads rows.
   */
  record Layout(String pageRows, String dictionaryBytes, String rowGroupBytes, String pages) {
    Layout(String pageRows, String dictionaryBytes, String rowGroupBytes) {
      this(pageRows, dictionaryBytes, rowGroupBytes, "v1");
    }

    int pageChecks() {
      return pages.equals("v1") ? PAGE_CHECKS : 0;
    }
  }

  /** The checks the store can take; the others below must read rows. */
  private static final int PAGE_CHECKS = 11;

  private static Suite suite() {
    Severity warn = Severity.WARN;
    return Suite.of(
        "readings",
        Check.isComplete("qty").severity(warn),
        Check.isComplete("amount").percent().severity(warn),
        Check.isComplete("status").severity(warn),
        Check.isUnique("id").severity(warn),
        Check.inRange("qty", -50, 50).severity(warn),
        Check.isNonNegative("amount").severity(warn),
        Check.inRange("ratio", 0, 1).severity(warn),
        Check.allowedValues("status", "OPEN", "SHIPPED", "café", "日本").severity(warn),
        Check.matches("code", "[A-Z0-9]{3,5}").severity(warn),
        Check.isFresh("at", Duration.ofDays(30)).severity(warn),
        Check.isFresh("day", Duration.ofDays(30)).severity(warn),
        // Read from rows: a list of missing values, a pattern the table matcher cannot take, a
        // quarantine rule (it must judge a row before it is written), the row count.
        Check.missing("code", List.of("")).id("code-given").severity(warn),
        Check.matches("status", "[A-Z].*").id("capitalised-status").severity(warn),
        Check.inRange("qty", -100, 100).id("plausible-qty").quarantine(),
        Check.rowCount().severity(warn));
  }

  @Property(tries = 20, seed = "20261122")
  void pageChecksGiveTheResultsOfRowChecks(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3000) int size,
      @ForAll("layouts") Layout layout,
      @ForAll boolean manyDistinctTexts,
      @ForAll boolean byDay)
      throws IOException {
    // The port partitioned by day writes many files at once, each with its own dictionaries.
    String port = byDay ? "readings-by-day" : "readings";
    List<Reading> rows = readings(new Random(seed), size, manyDistinctTexts);
    Path dir = Files.createTempDirectory("page-checks");
    try {
      Watching pages =
          new Watching(
              ContractQualityGate.builder()
                  .withoutContractRules()
                  .suite(port, suite())
                  .clock(CLOCK)
                  .build());
      QualityGate everyRow =
          ContractQualityGate.builder()
              .withoutContractRules()
              .suite(port, suite())
              .clock(CLOCK)
              .checkEveryRow()
              .build();

      List<String> fromPages = results(dir.resolve("pages"), pages, port, layout, rows);
      List<String> fromRows = results(dir.resolve("rows"), everyRow, port, layout, rows);

      assertThat(pages.taken).hasValue(layout.pageChecks());
      assertThat(fromPages).isEqualTo(fromRows).hasSize(suite().checks().size());
    } finally {
      deleteRecursively(dir);
    }
  }

  @Provide
  Arbitrary<Layout> layouts() {
    return Arbitraries.of(
        new Layout("20000", "2097152", "134217728"),
        new Layout("1", "2097152", "134217728"),
        new Layout("13", "40", "134217728"),
        new Layout("20000", "2097152", "1024"),
        new Layout("7", "64", "2048"),
        new Layout("13", "64", "134217728", "v2"));
  }

  private static List<Reading> readings(Random rnd, int n, boolean manyDistinctTexts) {
    String[] statuses = {"OPEN", "SHIPPED", "café", "日本", "open", "", "a\uD800b", "a?b"};
    String[] codes = {"AB12", "ZZZ", "ab1", "ÄB12", "ABCDEF", "", "A_1", "12345"};
    double[] oddAmounts = {
      Double.NaN, -0.0, 0.0, -1.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
    };
    Instant now = CLOCK.instant();
    List<Reading> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long id = rnd.nextInt(10) == 0 ? rnd.nextInt(n) : i;
      Integer qty = rnd.nextInt(10) == 0 ? null : rnd.nextInt(241) - 120;
      Double amount =
          rnd.nextInt(10) == 0
              ? null
              : rnd.nextInt(10) == 0
                  ? oddAmounts[rnd.nextInt(oddAmounts.length)]
                  : rnd.nextDouble() * 100 - 5;
      float ratio = rnd.nextInt(20) == 0 ? Float.NaN : rnd.nextFloat() * 1.2f - 0.1f;
      String status =
          rnd.nextInt(10) == 0
              ? null
              : manyDistinctTexts && rnd.nextBoolean()
                  ? "S" + rnd.nextInt(n)
                  : statuses[rnd.nextInt(statuses.length)];
      String code =
          rnd.nextInt(20) == 0
              ? null
              : manyDistinctTexts ? randomCode(rnd) : codes[rnd.nextInt(codes.length)];
      LocalDate day =
          rnd.nextInt(10) == 0 ? null : LocalDate.of(2026, 11, 22).minusDays(rnd.nextInt(90) - 5);
      Instant at =
          rnd.nextInt(10) == 0
              ? null
              : now.minusNanos((long) (rnd.nextDouble() * Duration.ofDays(90).toNanos()));
      out.add(new Reading(id, qty, amount, ratio, status, code, day, at));
    }
    return out;
  }

  private static String randomCode(Random rnd) {
    String alphabet = "AB9Z0az_Ä日";
    StringBuilder b = new StringBuilder();
    int length = rnd.nextInt(8);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** One run of {@code rows} through {@code gate}: each result's id, status and observed value. */
  private static List<String> results(
      Path warehouse, QualityGate gate, String port, Layout layout, List<Reading> rows) {
    DataProduct lab = DataProduct.load(LAB);
    // A table is created by its first publish: an empty run creates it to set its layout on.
    try (Mesh first =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).listener(e -> {}).build()) {
      try (Run run = first.start(lab, ME)) {
        run.output(port, Reading.class);
        run.commit();
      }
    }
    try (Mesh mesh =
        Mesh.builder()
            .store(IcebergStore.embedded(warehouse))
            .qualityGate(gate)
            .listener(e -> {})
            .build()) {
      ((IcebergStore) mesh.store())
          .catalog()
          .loadTable(TableIdentifier.parse("science.lab." + port.replace('-', '_')))
          .updateProperties()
          .set(TableProperties.PARQUET_PAGE_ROW_LIMIT, layout.pageRows())
          .set(TableProperties.PARQUET_DICT_SIZE_BYTES, layout.dictionaryBytes())
          .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, layout.rowGroupBytes())
          .set(TableProperties.PARQUET_PAGE_VERSION, layout.pages())
          .commit();
      RunResult result;
      try (Run run = mesh.start(lab, ME)) {
        run.output(port, Reading.class).writeAll(rows);
        result = run.commit();
      }
      return QualityReport.fromJson(result.output(port).quality().report()).results().stream()
          .map(r -> r.id() + " " + r.status() + " " + r.observed())
          .toList();
    }
  }

  /** Counts the column checks the store takes. */
  private static final class Watching implements QualityGate {
    private final QualityGate gate;
    private final AtomicInteger taken = new AtomicInteger();

    Watching(QualityGate gate) {
      this.gate = gate;
    }

    @Override
    public Session open(GateContext context) {
      Session s = gate.open(context);
      return new Session() {
        @Override
        public <T> Rejection observe(StructShape<T> shape, T value) {
          return s.observe(shape, value);
        }

        @Override
        public <T> List<ColumnCheck> columnChecks(StructShape<T> shape) {
          return s.columnChecks(shape);
        }

        @Override
        public void checkedByStore(Set<ColumnCheck> checks) {
          taken.addAndGet(checks.size());
          s.checkedByStore(checks);
        }

        @Override
        public GateVerdict verdict() {
          return s.verdict();
        }

        @Override
        public Audit audit() {
          return s.audit();
        }
      };
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
