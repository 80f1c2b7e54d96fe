package dev.meshwork.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.MaskKey;
import dev.meshwork.core.Row;
import dev.meshwork.spi.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Masks on nested data: whatever sits at (or inside) a masked path never reaches the reader, and
 * everything beside it arrives unchanged.
 */
class MasksTest {
  private static final MaskKey KEY = MaskKey.of("masks-test-key-0123456789", "test");

  private static Masks masks(String path, Decision.MaskKind kind) {
    return Masks.of(List.of(new Decision.ColumnMask(path, kind, 4, "grant:g")), KEY::derive);
  }

  /** A column whose path leads, through structs, lists and maps, to secrets. */
  private record Case(List<String> steps, Map<String, Object> row) {}

  @Provide
  Arbitrary<List<String>> paths() {
    Arbitrary<String> step = Arbitraries.of("a", "b", "[]");
    return step.list()
        .ofMinSize(0)
        .ofMaxSize(4)
        .map(
            rest -> {
              List<String> steps = new ArrayList<>();
              steps.add("col");
              steps.addAll(rest);
              return steps;
            });
  }

  @Property(tries = 300, seed = "20261203")
  void nothingAtAMaskedPathLeaksAndEverythingBesideItStays(
      @ForAll("paths") List<String> steps, @ForAll Decision.MaskKind kind, @ForAll long seed) {
    Random random = new Random(seed);
    int[] ids = {0};
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("col", build(steps, 1, random, ids));
    row.put("other", "PUBLIC-" + ids[0]++);
    String path = String.join(".", steps).replace(".[]", "[]");

    Map<String, Object> masked = masks(path, kind).apply(row);

    String before = row.toString();
    String after = masked.toString();
    assertThat(before).contains("SECRET-");
    assertThat(after).doesNotContain("SECRET-");
    assertThat(markers(after)).isEqualTo(markers(before));
  }

  /** The PUBLIC markers in a text, in order. */
  private static List<String> markers(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("PUBLIC-\\d+").matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** A value that follows {@code steps} from {@code i} to secrets, with public values beside. */
  private static Object build(List<String> steps, int i, Random r, int[] ids) {
    if (i == steps.size()) {
      return secrets(r, 2);
    }
    String s = steps.get(i);
    if ("[]".equals(s)) {
      int n = 1 + r.nextInt(3);
      if (r.nextBoolean()) {
        List<Object> list = new ArrayList<>();
        for (int k = 0; k < n; k++) {
          list.add(build(steps, i + 1, r, ids));
        }
        return list;
      }
      Map<String, Object> map = new LinkedHashMap<>();
      for (int k = 0; k < n; k++) {
        // Keys along a path are structure, not the masked value: they stay.
        map.put("PUBLIC-" + ids[0]++, build(steps, i + 1, r, ids));
      }
      return map;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(s, build(steps, i + 1, r, ids));
    fields.put("beside", "PUBLIC-" + ids[0]++);
    fields.put("count", (long) r.nextInt(1000));
    return Row.of(fields);
  }

  /** Secrets as text, numbers, structs, lists and maps (whose keys are secret too). */
  private static Object secrets(Random r, int depth) {
    int kind = depth == 0 ? r.nextInt(2) : r.nextInt(5);
    String secret = "SECRET-" + Math.abs(r.nextInt());
    return switch (kind) {
      case 0 -> secret;
      case 1 -> List.of(secret, secret + "b");
      case 2 -> Row.of(Map.of("x", secrets(r, depth - 1), "n", 42L));
      case 3 -> List.of(secrets(r, depth - 1), Row.of(Map.of("y", secret)));
      default -> Map.of(secret, secrets(r, depth - 1));
    };
  }

  @Example
  void hashesAreKeyedPerScopeAndKeepTheTypeOfWholeNumbers() {
    Map<String, Object> row = Map.of("id", 7L, "n", 7, "email", "ann@example.com");
    List<Decision.ColumnMask> grantA =
        List.of(
            new Decision.ColumnMask("id", Decision.MaskKind.HASH, 4, "grant:a"),
            new Decision.ColumnMask("n", Decision.MaskKind.HASH, 4, "grant:a"),
            new Decision.ColumnMask("email", Decision.MaskKind.HASH, 4, "grant:a"));
    List<Decision.ColumnMask> grantB =
        grantA.stream()
            .map(m -> new Decision.ColumnMask(m.column(), m.mask(), 4, "grant:b"))
            .toList();
    Map<String, Object> a = Masks.of(grantA, KEY::derive).apply(row);
    Map<String, Object> again = Masks.of(grantA, KEY::derive).apply(row);
    Map<String, Object> b = Masks.of(grantB, KEY::derive).apply(row);
    Map<String, Object> otherKey =
        Masks.of(grantA, MaskKey.of("another-key-of-at-least-16", "test")::derive).apply(row);

    assertThat(a.get("id")).isInstanceOf(Long.class).isNotEqualTo(7L);
    assertThat(a.get("n")).isInstanceOf(Integer.class).isNotEqualTo(7);
    assertThat((String) a.get("email")).matches("[0-9a-f]{64}");
    assertThat(again).isEqualTo(a);
    assertThat(b.get("email")).isNotEqualTo(a.get("email"));
    assertThat(b.get("id")).isNotEqualTo(a.get("id"));
    assertThat(otherKey.get("email")).isNotEqualTo(a.get("email"));
  }

  @Example
  void aPathThatDoesNotFitTheDataMasksTheWholeValueThere() {
    Map<String, Object> row =
        Map.of("contact", "ann@example.com", "tags", Row.of(Map.of("x", "v")));
    assertThat(masks("contact.email", Decision.MaskKind.REDACT).apply(row).get("contact"))
        .isEqualTo("****");
    assertThat(masks("tags[]", Decision.MaskKind.NULL).apply(row).get("tags")).isNull();
  }

  @Example
  void stepsReadFieldsAndElements() {
    assertThat(Masks.steps("email")).containsExactly("email");
    assertThat(Masks.steps("contacts[].email")).containsExactly("contacts", "[]", "email");
    assertThat(Masks.steps("matrix[][]")).containsExactly("matrix", "[]", "[]");
  }
}
