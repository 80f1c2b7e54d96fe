package dev.meshwork.quality.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.quality.Check;
import dev.meshwork.quality.Measure;
import dev.meshwork.quality.Severity;
import dev.meshwork.quality.Threshold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Every check ODCS can express survives being written as an ODCS quality rule and compiled back:
 * the same measure (with all its values), columns, threshold, unit, severity and dimension.
 */
class OdcsRoundTripTest {

  @Property(tries = 60, seed = "20261202")
  void checksWrittenAsOdcsRulesCompileBackToTheSameChecks(@ForAll("checks") List<Check> checks)
      throws IOException {
    Map<String, List<Map<String, Object>>> byColumn = new LinkedHashMap<>();
    List<Map<String, Object>> tableRules = new ArrayList<>();
    for (Check c : checks) {
      if (c.columns().size() == 1) {
        byColumn
            .computeIfAbsent(c.columns().get(0), k -> new ArrayList<>())
            .add(OdcsRuleWriter.rule(c));
      } else {
        tableRules.add(OdcsRuleWriter.rule(c));
      }
    }
    List<Map<String, Object>> properties = new ArrayList<>();
    for (String column : List.of("a", "b", "c", "d")) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", column);
      p.put("logicalType", "string");
      p.put("quality", byColumn.getOrDefault(column, List.of()));
      properties.add(p);
    }
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("name", "things");
    object.put("properties", properties);
    object.put("quality", tableRules);
    Map<String, Object> contract = new LinkedHashMap<>();
    contract.put("apiVersion", "v3.1.0");
    contract.put("kind", "DataContract");
    contract.put("id", "round-trip");
    contract.put("version", "1.0.0");
    contract.put("status", "active");
    contract.put("schema", List.of(object));
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    Path file = Files.createTempFile("round-trip", ".odcs.yaml");
    try {
      Files.writeString(file, new Yaml(o).dump(contract));
      DataContract loaded = DataContract.load(file);
      List<String> problems = new ArrayList<>();
      List<Check> back = ContractRules.compile(loaded, loaded.schema().get(0), problems);

      assertThat(problems).isEmpty();
      List<Check> expected = new ArrayList<>();
      // Compiled order: schema-object rules first, then each property's rules in column order.
      checks.stream().filter(c -> c.columns().size() != 1).forEach(expected::add);
      for (String column : List.of("a", "b", "c", "d")) {
        checks.stream()
            .filter(c -> c.columns().size() == 1 && c.columns().get(0).equals(column))
            .forEach(expected::add);
      }
      assertThat(back).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        Check want = expected.get(i);
        Check got = back.get(i);
        assertThat(got.measure()).as(want.toString()).isEqualTo(want.measure());
        assertThat(got.columns()).as(want.toString()).isEqualTo(want.columns());
        assertThat(got.threshold()).as(want.toString()).isEqualTo(want.threshold());
        assertThat(got.unit()).as(want.toString()).isEqualTo(want.unit());
        assertThat(got.severity()).as(want.toString()).isEqualTo(want.severity());
        assertThat(got.dimension()).as(want.toString()).isEqualTo(want.dimension());
      }
    } finally {
      Files.delete(file);
    }
  }

  @Provide
  Arbitrary<List<Check>> checks() {
    Arbitrary<String> column = Arbitraries.of("a", "b", "c", "d");
    Arbitrary<Check> measure =
        Arbitraries.oneOf(
            column.map(Check::isComplete),
            column.map(c -> Check.missing(c, List.of("", "n/a", 0))),
            Combinators.combine(
                    column,
                    Arbitraries.of("OPEN", "SHIPPED", "LOST").list().ofMinSize(1).uniqueElements())
                .as((c, v) -> Check.allowedValues(c, v.toArray())),
            Combinators.combine(
                    column,
                    Arbitraries.doubles().between(-1e6, 1e6),
                    Arbitraries.doubles().between(0, 1e6))
                .as((c, lo, width) -> Check.inRange(c, lo, lo + width)),
            column.map(c -> Check.isNonNegative(c)),
            Combinators.combine(column, Arbitraries.of("[A-Z]+", "^[^@]+@[^@]+$", "\\d{3}-\\d{4}"))
                .as(
                    (c, p) ->
                        Check.builder(
                                Measure.InvalidValues.builder()
                                    .pattern(Pattern.compile(p))
                                    .validValues(List.of("X", 7))
                                    .build())
                            .column(c)
                            .build()),
            column.map(Check::isUnique),
            Arbitraries.of(List.of("a", "b"), List.of("c", "d", "a"))
                .map(cs -> Check.isUnique(cs.toArray(String[]::new))),
            Arbitraries.just(Check.rowCount()),
            Arbitraries.of("row.a != 'x'", "size(row.b) > 2")
                .map(cel -> Check.rowExpression("row rule " + cel, cel)),
            Arbitraries.of("metrics.rowCount > 10", "metrics['null-values:a'] == 0")
                .map(cel -> Check.aggregateExpression("metric rule " + cel, cel)));
    Arbitrary<Threshold> threshold =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 500).map(v -> Threshold.mustBeLessOrEqualTo(v)),
            Arbitraries.integers().between(0, 500).map(v -> Threshold.mustBeGreaterThan(v)),
            Arbitraries.doubles().between(0, 100).ofScale(2).map(v -> Threshold.mustBeLessThan(v)),
            Arbitraries.integers().between(0, 500).map(v -> Threshold.mustBeBetween(v, v + 10.5)));
    Arbitrary<Check> check =
        Combinators.combine(
                measure,
                threshold.injectNull(0.3),
                Arbitraries.of(Severity.values()),
                Arbitraries.of("completeness", "conformity").injectNull(0.5),
                Arbitraries.of(Check.Unit.values()))
            .as(
                (c, t, s, d, u) -> {
                  Check.Builder b = c.toBuilder().severity(s).dimension(d).unit(u);
                  return t == null ? b.build() : b.threshold(t).build();
                });
    return check.list().ofMinSize(1).ofMaxSize(8);
  }
}
