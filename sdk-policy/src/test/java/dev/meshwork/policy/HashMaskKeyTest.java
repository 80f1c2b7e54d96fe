package dev.meshwork.policy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.core.MaskKey;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.Settings;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hash masks are keyed: not recomputable from what consumers know, stable under one key across
 * meshes, different under another, and equal to what the Trino export computes with the same key.
 */
class HashMaskKeyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final NestedMaskingTest fixture = new NestedMaskingTest();

  @BeforeEach
  void writeProducts() throws IOException {
    fixture.dir = dir;
    fixture.writeProducts();
    fixture.policies(
        "[{classification: restricted, with: hash}, {column: person_id, with: hash}]", null);
  }

  private Mesh mesh(MaskKey key, String warehouse) {
    return Mesh.builder()
        .store(IcebergStore.embedded(dir.resolve(warehouse)))
        .maskKey(key)
        .policy(Policies.fromDirectory(dir.resolve("policies")))
        .build();
  }

  private List<NestedMaskingTest.Person> publishAndRead(MaskKey key, String warehouse) {
    try (Mesh mesh = mesh(key, warehouse)) {
      fixture.publish(mesh);
      return fixture.readAsReports(mesh);
    }
  }

  private static String sha256Hex(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(UTF_8)));
  }

  @Test
  void aMaskedValueCannotBeRecomputedFromWhatConsumersKnow() throws Exception {
    String masked = publishAndRead(NestedMaskingTest.KEY, "wh").get(0).email();
    String value = "ann@example.com";
    // Everything a consumer knows: the value guessed, product, port, contract and grant names.
    List<String> publicInputs =
        List.of(
            "hr-reports",
            "reports",
            "hr-staff",
            "people",
            "hr-people",
            "reports-read-people",
            "grant:reports-read-people",
            "service:reports-etl",
            "");
    List<String> candidates = new ArrayList<>();
    candidates.add(sha256Hex(value));
    for (String salt : publicInputs) {
      candidates.add(sha256Hex(salt + "\0" + value));
      candidates.add(sha256Hex(salt + value));
      if (!salt.isEmpty()) {
        candidates.add(
            HexFormat.of().formatHex(MaskKey.hmac(salt.getBytes(UTF_8), value.getBytes(UTF_8))));
      }
    }
    assertThat(masked).matches("[0-9a-f]{64}");
    assertThat(candidates).doesNotContain(masked);
  }

  @Test
  void oneKeyGivesTheSameHashesInEveryMeshAndAnotherKeyOthers() {
    List<NestedMaskingTest.Person> first = publishAndRead(NestedMaskingTest.KEY, "a");
    List<NestedMaskingTest.Person> sameKey =
        publishAndRead(MaskKey.of("nested-masking-test-key", "another process"), "b");
    List<NestedMaskingTest.Person> otherKey =
        publishAndRead(MaskKey.of("a-different-key-entirely", "test"), "c");

    assertThat(sameKey).isEqualTo(first);
    assertThat(otherKey.get(0).email()).isNotEqualTo(first.get(0).email());
    assertThat(otherKey.get(0).personId()).isNotEqualTo(first.get(0).personId());
  }

  @Test
  void theTrinoExportRenderedWithTheKeyComputesTheSameHashesAsTheSdk() throws IOException {
    List<NestedMaskingTest.Person> seen = publishAndRead(NestedMaskingTest.KEY, "wh");
    TrinoOpaExport export =
        TrinoOpaExport.render(
            PolicySet.load(dir.resolve("policies")),
            List.of(DataProduct.load(dir.resolve("staff.yaml"))),
            "lakehouse",
            NestedMaskingTest.KEY);
    JsonNode grant = JSON.valueToTree(export.data()).get("meshwork").get("grants").get(0);
    JsonNode masks = grant.get("masks").get("hr.staff.people");
    String email = masks.get("email").get("sql").get("varchar").asText();
    String personId = masks.get("person_id").get("sql").get("bigint").asText();
    String badge = masks.get("badge").get("sql").get("integer").asText();
    List<NestedMaskingTest.Person> written = NestedMaskingTest.people();
    for (int i = 0; i < 2; i++) {
      NestedMaskingTest.Person w = written.get(i);
      NestedMaskingTest.Person s = seen.get(i);
      assertThat(TrinoSql.eval(email, Map.of("email", w.email()))).isEqualTo(s.email());
      assertThat(TrinoSql.eval(personId, Map.of("person_id", w.personId())))
          .isEqualTo(s.personId());
      assertThat(TrinoSql.eval(badge, Map.of("badge", w.badge()))).isEqualTo(s.badge());
    }
    // Trino masks columns, not fields: a masked nested field nulls its top-level column there.
    assertThat(masks.get("contact").get("kind").asText()).isEqualTo("null");
    assertThat(masks.get("contact").get("covers").get(0).asText()).isEqualTo("contact.email");
    assertThat(masks.get("profile").get("covers").get(0).asText())
        .isEqualTo("profile.addresses[].line");
    // The document holds derived keys, never the key itself.
    String data = JSON.writeValueAsString(export.data());
    assertThat(data)
        .doesNotContain("nested-masking-test-key")
        .doesNotContain(HexFormat.of().formatHex("nested-masking-test-key".getBytes(UTF_8)));
  }

  @Test
  void theKeyComesFromAProviderASettingOrAFileAndIsNeverPrinted() throws IOException {
    String secret = "s3cr3t-from-the-environment-0042";
    Settings env = Settings.builder().environment(Map.of("MESHWORK_MASK_KEY", secret)).build();
    MaskKey fromEnv = MaskKey.configured(env, null).orElseThrow();
    assertThat(fromEnv.toString()).contains("meshwork.mask.key").doesNotContain(secret);

    Path file = Files.writeString(dir.resolve("mask.key"), secret + "\n");
    MaskKey fromFile =
        MaskKey.configured(
                Settings.builder().set(MaskKey.FILE_SETTING, file.toString()).build(), null)
            .orElseThrow();
    assertThat(fromFile.derive("grant:x")).isEqualTo(fromEnv.derive("grant:x"));

    MaskKey fromProvider =
        MaskKey.configured(Settings.empty(), key -> Optional.of("provided-key-of-enough-bytes"))
            .orElseThrow();
    assertThat(fromProvider.derive("grant:x")).isNotEqualTo(fromEnv.derive("grant:x"));
    assertThat(fromProvider.origin()).contains("secret provider");
    assertThat(MaskKey.configured(Settings.empty(), null)).isEmpty();

    assertThatThrownBy(
            () ->
                MaskKey.configured(
                    Settings.builder()
                        .environment(Map.of("MESHWORK_MASK_KEY", "short-one"))
                        .build(),
                    null))
        .isInstanceOf(MeshworkException.class)
        .hasMessageContaining("has 9 bytes and needs at least 16")
        .hasMessageNotContaining("short-one");
    assertThatThrownBy(
            () ->
                MaskKey.configured(
                    env.toBuilder().set(MaskKey.FILE_SETTING, file.toString()).build(), null))
        .hasMessageContaining("Set either meshwork.mask.key or meshwork.mask.key-file, not both")
        .hasMessageNotContaining(secret);
    assertThatThrownBy(
            () ->
                MaskKey.configured(
                    Settings.builder()
                        .set(MaskKey.FILE_SETTING, dir.resolve("nope").toString())
                        .build(),
                    null))
        .hasMessageContaining(
            "Cannot read the mask key file " + dir.resolve("nope").toAbsolutePath());
  }

  /**
   * Evaluates the few Trino SQL functions the export's masks use, with the JDK, by Trino's
   * documented semantics: {@code to_utf8}, {@code from_hex}, {@code hmac_sha256(varbinary,
   * varbinary)}, {@code to_hex} (upper-case), {@code lower}, {@code substr} on varbinary (1-based),
   * {@code from_big_endian_32/64}, {@code CAST(x AS varchar)}, quoted columns.
   */
  static final class TrinoSql {
    private final String sql;
    private final Map<String, Object> row;
    private int at;

    private TrinoSql(String sql, Map<String, Object> row) {
      this.sql = sql;
      this.row = row;
    }

    static Object eval(String sql, Map<String, Object> row) {
      TrinoSql p = new TrinoSql(sql, row);
      Object v = p.expr();
      p.skipSpace();
      assertThat(p.at).as("parsed all of " + sql).isEqualTo(sql.length());
      return v;
    }

    private void skipSpace() {
      while (at < sql.length() && sql.charAt(at) == ' ') {
        at++;
      }
    }

    private void expect(String s) {
      skipSpace();
      assertThat(sql.startsWith(s, at)).as("'" + s + "' at " + at + " of " + sql).isTrue();
      at += s.length();
    }

    private Object expr() {
      skipSpace();
      char c = sql.charAt(at);
      if (c == '"') {
        int end = sql.indexOf('"', at + 1);
        String column = sql.substring(at + 1, end);
        at = end + 1;
        return row.get(column);
      }
      if (c == '\'') {
        int end = sql.indexOf('\'', at + 1);
        String text = sql.substring(at + 1, end);
        at = end + 1;
        return text;
      }
      if (Character.isDigit(c)) {
        int start = at;
        while (Character.isDigit(sql.charAt(at))) {
          at++;
        }
        return Long.parseLong(sql.substring(start, at));
      }
      int start = at;
      while (Character.isLetterOrDigit(sql.charAt(at)) || sql.charAt(at) == '_') {
        at++;
      }
      String fn = sql.substring(start, at);
      expect("(");
      if (fn.equals("CAST")) {
        Object v = expr();
        expect("AS varchar");
        expect(")");
        return String.valueOf(v);
      }
      List<Object> args = new ArrayList<>();
      args.add(expr());
      skipSpace();
      while (sql.charAt(at) == ',') {
        at++;
        args.add(expr());
        skipSpace();
      }
      expect(")");
      return call(fn, args);
    }

    private static Object call(String fn, List<Object> a) {
      return switch (fn) {
        case "to_utf8" -> ((String) a.get(0)).getBytes(UTF_8);
        case "from_hex" -> HexFormat.of().parseHex((String) a.get(0));
        case "hmac_sha256" -> MaskKey.hmac((byte[]) a.get(1), (byte[]) a.get(0));
        case "to_hex" -> HexFormat.of().withUpperCase().formatHex((byte[]) a.get(0));
        case "lower" -> ((String) a.get(0)).toLowerCase(java.util.Locale.ROOT);
        case "substr" -> {
          byte[] b = (byte[]) a.get(0);
          int from = ((Long) a.get(1)).intValue() - 1;
          int length = ((Long) a.get(2)).intValue();
          yield java.util.Arrays.copyOfRange(b, from, from + length);
        }
        case "from_big_endian_64" -> ByteBuffer.wrap((byte[]) a.get(0)).getLong();
        case "from_big_endian_32" -> ByteBuffer.wrap((byte[]) a.get(0)).getInt();
        default -> throw new AssertionError("the export uses SQL function " + fn);
      };
    }
  }
}
