package dev.meshwork.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.Filter;
import dev.meshwork.policy.internal.Cel;
import dev.meshwork.policy.internal.CelRowFilter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A policy's CEL row filter and the {@link Filter} it is translated to (applied to decoded columns
 * and used to skip files) keep and drop the same rows: random filters of comparisons, {@code in},
 * null checks, {@code &&}, {@code ||} and {@code !} over rows with nulls, whole numbers, doubles,
 * text and booleans.
 */
class RowFilterTranslationTest {
  private static final List<String> COLUMNS = List.of("n", "x", "s", "b");

  @Property(tries = 300)
  void aTranslatedFilterKeepsExactlyTheRowsItsCelExpressionKeeps(@ForAll long seed) {
    Random r = new Random(seed);
    String expression = expression(r, 2);
    Optional<Filter> translated = Cel.rowFilter(expression);
    assertThat(translated).as(expression).isPresent();
    CelRowFilter cel = new CelRowFilter(expression);
    for (int i = 0; i < 40; i++) {
      Map<String, Object> row = row(r);
      boolean expected;
      try {
        expected = cel.test(row);
      } catch (IllegalStateException e) {
        // CEL cannot order null: the filter drops such a row where CEL fails the read.
        expected = false;
      }
      assertThat(translated.get().test(row::get))
          .as("%s on %s", expression, row)
          .isEqualTo(expected);
    }
  }

  @Example
  void conditionsBeyondPlainComparisonsStayCel() {
    assertThat(Cel.rowFilter("row.s.startsWith('a')")).isEmpty();
    assertThat(Cel.rowFilter("row.contact.country == 'NL'")).isEmpty();
    assertThat(Cel.rowFilter("row.n + 1 > 3")).isEmpty();
    assertThat(Cel.rowFilter("!(row.n < 3)")).isEmpty();
    assertThat(Cel.rowFilter("row.low_card != 3"))
        .hasValue(Filter.or(Filter.isNull("low_card"), Filter.ne("low_card", 3L)));
    assertThat(Cel.rowFilter("3 < row.n")).hasValue(Filter.gt("n", 3L));
  }

  private static Map<String, Object> row(Random r) {
    Map<String, Object> row = new HashMap<>();
    row.put("n", r.nextInt(5) == 0 ? null : (long) r.nextInt(6));
    row.put("x", r.nextInt(5) == 0 ? null : r.nextInt(6) / 2.0);
    row.put("s", r.nextInt(5) == 0 ? null : "v" + r.nextInt(4));
    row.put("b", r.nextInt(5) == 0 ? null : r.nextBoolean());
    return row;
  }

  private static String expression(Random r, int depth) {
    int kind = r.nextInt(depth > 0 ? 6 : 3);
    String column = COLUMNS.get(r.nextInt(COLUMNS.size()));
    String literal =
        switch (column) {
          case "n" -> Integer.toString(r.nextInt(6));
          case "x" -> r.nextInt(6) / 2.0 + "";
          case "s" -> "'v" + r.nextInt(4) + "'";
          default -> Boolean.toString(r.nextBoolean());
        };
    return switch (kind) {
      case 0 -> {
        String[] ops =
            column.equals("b") || column.equals("s")
                ? new String[] {"==", "!="}
                : new String[] {"==", "!=", "<", "<=", ">", ">="};
        yield "row." + column + " " + ops[r.nextInt(ops.length)] + " " + literal;
      }
      case 1 -> "row." + column + (r.nextBoolean() ? " == null" : " != null");
      case 2 -> "row." + column + " in [" + literal + "]";
      case 3 -> "(" + expression(r, depth - 1) + ") && (" + expression(r, depth - 1) + ")";
      case 4 -> "(" + expression(r, depth - 1) + ") || (" + expression(r, depth - 1) + ")";
      default -> "!(row." + column + " == null)";
    };
  }
}
