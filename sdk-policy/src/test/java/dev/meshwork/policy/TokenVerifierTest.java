package dev.meshwork.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.PolicyDeniedException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.PolicyRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens shaped as Keycloak issues them, signed here with real RSA keys, verified against a
 * JWKS served on 127.0.0.1: who they name, which groups they bring, and a clear deny for every way
 * a token can be wrong.
 */
class TokenVerifierTest {
  private static final String REALM = "/realms/mesh";
  private static final DataProduct BILLING =
      DataProduct.load(Path.of("src/test/resources/policy/billing.yaml"));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T09:00:00Z"));
  private final AtomicReference<JWKSet> served = new AtomicReference<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private HttpServer server;
  private String issuer;
  private RSAKey k1;
  private RSAKey k2;
  private TokenVerifier tokens;

  @TempDir Path tmp;

  @BeforeEach
  void keycloak() throws Exception {
    k1 = new RSAKeyGenerator(2048).keyID("k1").generate();
    k2 = new RSAKeyGenerator(2048).keyID("k2").generate();
    served.set(new JWKSet(k1.toPublicJWK()));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        REALM + "/protocol/openid-connect/certs",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = served.get().toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    issuer = "http://127.0.0.1:" + server.getAddress().getPort() + REALM;
    tokens =
        TokenVerifier.builder()
            .issuer(issuer)
            .audience("meshwork")
            .jwks(URI.create(issuer + "/protocol/openid-connect/certs"))
            .jwksRefetchInterval(Duration.ZERO)
            .clock(clock)
            .build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** The claims of a Keycloak access token for user ana, valid for five minutes. */
  private JWTClaimsSet.Builder ana() {
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(List.of("meshwork", "account"))
        .subject("5f1c2b4e-ana")
        .claim("preferred_username", "ana")
        .claim("azp", "meshwork-portal")
        .claim("typ", "Bearer")
        .claim("groups", List.of("/finance"))
        .claim("realm_access", Map.of("roles", List.of("analysts", "offline_access")))
        .claim("resource_access", Map.of("meshwork", Map.of("roles", List.of("reader"))))
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)));
  }

  private static String sign(JWTClaimsSet claims, RSAKey key) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Test
  void aUserTokenNamesTheUserWithGroupsAndRealmAndClientRoles() throws Exception {
    Principal p = tokens.principal("Bearer " + sign(ana().build(), k1));
    assertThat(p)
        .isEqualTo(
            Principal.user("ana")
                .withGroups(Set.of("finance", "analysts", "offline_access", "reader")));

    // The built-in engine grants by the token's groups, and the directory remembers them.
    GrantsPolicyEngine engine =
        new GrantsPolicyEngine(
            PolicySet.of(
                List.of(
                    Grant.builder("analysts-read")
                        .principals("group:analysts")
                        .actions(Action.READ)
                        .build()),
                List.of(),
                List.of(),
                Map.of()),
            tokens.directory(),
            clock);
    assertThat(
            engine.decide(new PolicyRequest(Action.READ, p, BILLING, "customers", null)).allowed())
        .isTrue();
    assertThat(
            engine
                .decide(
                    new PolicyRequest(
                        Action.READ, Principal.user("ana"), BILLING, "customers", null))
                .allowed())
        .as("the same user without groups in hand: the token's groups come from the directory")
        .isTrue();
    assertThat(
            engine
                .decide(
                    new PolicyRequest(
                        Action.READ, Principal.user("bob"), BILLING, "customers", null))
                .allowed())
        .isFalse();
  }

  @Test
  void aClientCredentialsTokenIsTheServiceOfItsClient() throws Exception {
    String token =
        sign(
            ana()
                .claim("preferred_username", "service-account-insights-etl")
                .claim("azp", "insights-etl")
                .claim("groups", null)
                .build(),
            k1);
    Principal p = tokens.principal(token);
    assertThat(p.kind()).isEqualTo(Principal.Kind.SERVICE);
    assertThat(p.name()).isEqualTo("insights-etl");
  }

  @Test
  void everyWrongTokenIsADenyThatSaysWhy() throws Exception {
    String good = sign(ana().build(), k1);
    String[] parts = good.split("\\.");
    String tamperedPayload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                ana()
                    .claim("preferred_username", "admin")
                    .build()
                    .toString()
                    .getBytes(StandardCharsets.UTF_8));
    Map<String, String> cases =
        Map.of(
            sign(ana().expirationTime(Date.from(clock.instant().minusSeconds(120))).build(), k1),
            "it expired at 2026-12-03T08:58:00Z (now 2026-12-03T09:00:00Z, allowed clock skew 60 s)",
            sign(ana().audience("someone-else").build(), k1),
            "its audience [someone-else] does not include 'meshwork'",
            sign(ana().issuer("https://evil.example.com/realms/mesh").build(), k1),
            "its issuer is 'https://evil.example.com/realms/mesh', not the expected '" + issuer,
            sign(ana().build(), k2),
            "no key in " + issuer + "/protocol/openid-connect/certs matches its key id 'k2'",
            new PlainJWT(ana().build()).serialize(),
            "it is unsigned (alg: none)",
            parts[0] + "." + tamperedPayload + "." + parts[2],
            "its signature does not verify with the issuer's keys",
            sign(ana().notBeforeTime(Date.from(clock.instant().plusSeconds(600))).build(), k1),
            "it is not valid before 2026-12-03T09:10:00Z",
            "not-a-token",
            "it is not a JWT");
    cases.forEach(
        (token, reason) ->
            assertThatThrownBy(() -> tokens.principal(token))
                .as(reason)
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageStartingWith("Cannot accept the bearer token: ")
                .hasMessageContaining(reason)
                .hasMessageNotContaining(token));
    // Within the clock skew an expired token still passes.
    clock.advance(Duration.ofSeconds(330));
    assertThat(tokens.principal(good).name()).isEqualTo("ana");
  }

  @Test
  void keysRotatedByTheIssuerAreFetchedWhenATokenNamesANewOne() throws Exception {
    assertThat(tokens.principal(sign(ana().build(), k1)).name()).isEqualTo("ana");
    int before = fetches.get();
    served.set(new JWKSet(List.of(k1.toPublicJWK(), k2.toPublicJWK())));
    assertThat(tokens.principal(sign(ana().build(), k2)).name()).isEqualTo("ana");
    assertThat(fetches.get()).isGreaterThan(before);
  }

  @Test
  void aJwksFileWorksWithoutAServerAndTheBuilderSaysWhatIsMissing() throws Exception {
    Path file = Files.writeString(tmp.resolve("jwks.json"), new JWKSet(k1).toString(false));
    TokenVerifier fromFile =
        TokenVerifier.builder()
            .issuer(issuer)
            .audience("meshwork")
            .jwksFile(file)
            .clock(clock)
            .build();
    assertThat(fromFile.principal(sign(ana().build(), k1)).name()).isEqualTo("ana");
    assertThat(fromFile.toString()).contains(file.toString()).doesNotContain("\"d\"");
    assertThatThrownBy(() -> TokenVerifier.builder().issuer(issuer).build())
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("set audience(...), jwks(URI) or jwksFile(Path)");
  }
}
