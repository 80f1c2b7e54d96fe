package dev.meshwork.policy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.meshwork.core.PolicyDeniedException;
import dev.meshwork.core.Principal;
import dev.meshwork.policy.internal.ExpiringCache;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns an OpenID Connect bearer token (Keycloak, Entra ID, Okta) into a {@link Principal}: the
 * JWT's signature is verified against a JWKS (a file, or a URL fetched, cached and refetched when
 * the issuer rotates keys), then its issuer, audience, expiry and not-before (with a small clock
 * skew). Users are named by {@code preferred_username} (else {@code sub}); a client-credentials
 * token ({@code azp} or {@code client_id}, Keycloak's {@code service-account-*} users) is the
 * service of that client. Groups come from configurable claim paths: {@code groups}, Keycloak's
 * {@code realm_access.roles} and {@code resource_access.<audience>.roles} by default. Signing and
 * verification are Nimbus JOSE+JWT's; an unsigned token ({@code alg: none}) is always refused.
 *
 * <pre>{@code
 * TokenVerifier tokens = TokenVerifier.builder()
 *     .issuer("https://keycloak.example.com/realms/mesh")
 *     .audience("meshwork")
 *     .jwks(URI.create("https://keycloak.example.com/realms/mesh/protocol/openid-connect/certs"))
 *     .build();
 * try (Run run = mesh.start(product, tokens.principal(bearer))) { ... }
 * }</pre>
 *
 * A token that does not verify is a {@link PolicyDeniedException} saying why; the token itself is
 * never printed.
 */
public final class TokenVerifier {
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.EdDSA);

  private final String issuer;
  private final String audience;
  private final Duration clockSkew;
  private final Clock clock;
  private final List<String> principalClaims;
  private final List<String> groupClaims;
  private final String jwksWhere;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final ExpiringCache<Principal, Set<String>> groupsSeen;

  private TokenVerifier(Builder b, JWKSource<SecurityContext> keys) {
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.clockSkew = b.clockSkew;
    this.clock = b.clock;
    this.principalClaims = List.copyOf(b.principalClaims);
    this.groupClaims =
        b.groupClaims != null
            ? List.copyOf(b.groupClaims)
            : List.of("groups", "realm_access.roles", "resource_access." + audience + ".roles");
    this.jwksWhere = b.jwksWhere;
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    // Time and audience are checked below with the injected clock and clear messages.
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
    this.groupsSeen = new ExpiringCache<>(10_000, clock);
  }

  /** A builder; issuer, audience and a JWKS are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The principal a bearer token stands for, with its groups; a {@link PolicyDeniedException}
   * naming the reason when the token does not verify. A leading {@code Bearer } is ignored.
   */
  public Principal principal(String bearerToken) {
    Objects.requireNonNull(bearerToken, "bearerToken");
    String token = bearerToken.strip();
    if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = token.substring(7).strip();
    }
    JWTClaimsSet claims = verify(token);
    Principal p = principalOf(claims);
    Instant expires = claims.getExpirationTime().toInstant();
    groupsSeen.put(p.withGroups(Set.of()), p.groups(), expires);
    return p;
  }

  /**
   * A directory answering with the groups of the principal's last verified token, until that token
   * expires; for engines that see principals rebuilt without their groups.
   */
  public Directory directory() {
    return principal -> {
      Set<String> groups = groupsSeen.get(principal.withGroups(Set.of()));
      return groups == null ? Set.of() : groups;
    };
  }

  private JWTClaimsSet verify(String token) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw denied("it is not a JWT (" + e.getMessage() + ")");
    }
    if (jwt instanceof PlainJWT) {
      throw denied("it is unsigned (alg: none); only signed tokens are accepted");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(jwt, null);
    } catch (BadJWSException e) {
      throw denied(
          "its signature does not verify with the issuer's keys from "
              + jwksWhere
              + " (the token was altered, or signed with another key)");
    } catch (BadJOSEException e) {
      String kid =
          jwt instanceof SignedJWT s && s.getHeader().getKeyID() != null
              ? " '" + s.getHeader().getKeyID() + "'"
              : "";
      throw denied(
          "no key in "
              + jwksWhere
              + " matches its key id"
              + kid
              + " and algorithm "
              + jwt.getHeader().getAlgorithm()
              + " ("
              + e.getMessage()
              + "); check the JWKS the verifier uses");
    } catch (JOSEException e) {
      throw denied("its signature cannot be checked: " + e.getMessage());
    }
    checkClaims(claims);
    return claims;
  }

  private void checkClaims(JWTClaimsSet claims) {
    if (!issuer.equals(claims.getIssuer())) {
      throw denied(
          "its issuer is "
              + (claims.getIssuer() == null ? "missing" : "'" + claims.getIssuer() + "'")
              + ", not the expected '"
              + issuer
              + "'");
    }
    List<String> aud = claims.getAudience();
    Object azp = claims.getClaim("azp");
    if (!aud.contains(audience) && !(aud.isEmpty() && audience.equals(azp))) {
      throw denied("its audience " + aud + " does not include '" + audience + "'");
    }
    Instant now = clock.instant();
    if (claims.getExpirationTime() == null) {
      throw denied("it has no expiry (exp); tokens without one are not accepted");
    }
    Instant exp = claims.getExpirationTime().toInstant();
    if (!now.isBefore(exp.plus(clockSkew))) {
      throw denied(
          "it expired at "
              + exp
              + " (now "
              + now
              + ", allowed clock skew "
              + clockSkew.toSeconds()
              + " s); get a fresh token");
    }
    if (claims.getNotBeforeTime() != null) {
      Instant nbf = claims.getNotBeforeTime().toInstant();
      if (now.plus(clockSkew).isBefore(nbf)) {
        throw denied("it is not valid before " + nbf + " (now " + now + ")");
      }
    }
  }

  private Principal principalOf(JWTClaimsSet claims) {
    String client = text(claims.getClaim("azp"));
    if (client == null) {
      client = text(claims.getClaim("client_id"));
    }
    String user = null;
    for (String claim : principalClaims) {
      user = text(claims.getClaim(claim));
      if (user != null) {
        break;
      }
    }
    Set<String> groups = new LinkedHashSet<>();
    for (String path : groupClaims) {
      Object v = at(claims.getClaims(), path);
      if (v instanceof Collection<?> c) {
        c.forEach(g -> add(groups, g));
      } else {
        add(groups, v);
      }
    }
    boolean service =
        client != null
            && (user == null
                || user.startsWith("service-account-")
                || "app".equals(claims.getClaim("idtyp")));
    if (service) {
      return Principal.service(client).withGroups(groups);
    }
    if (user == null) {
      throw denied("it names no user (" + String.join(", ", principalClaims) + ") and no client");
    }
    return Principal.user(user).withGroups(groups);
  }

  private static void add(Set<String> groups, Object g) {
    String s = text(g);
    if (s != null) {
      // Keycloak writes group paths: "/analysts".
      groups.add(s.startsWith("/") ? s.substring(1) : s);
    }
  }

  private static Object at(Map<String, Object> claims, String path) {
    Object v = claims;
    for (String step : path.split("\\.")) {
      if (!(v instanceof Map<?, ?> m)) {
        return null;
      }
      v = m.get(step);
    }
    return v;
  }

  private static String text(Object v) {
    return v instanceof String s && !s.isBlank() ? s : null;
  }

  private static PolicyDeniedException denied(String reason) {
    return new PolicyDeniedException("Cannot accept the bearer token: " + reason + ".");
  }

  @Override
  public String toString() {
    return "TokenVerifier[issuer "
        + issuer
        + ", audience "
        + audience
        + ", keys "
        + jwksWhere
        + "]";
  }

  /** Builds a {@link TokenVerifier}. */
  public static final class Builder {
    private String issuer;
    private String audience;
    private Duration clockSkew = Duration.ofSeconds(60);
    private Clock clock = Clock.systemUTC();
    private final List<String> principalClaims =
        new ArrayList<>(List.of("preferred_username", "sub"));
    private List<String> groupClaims;
    private JWKSource<SecurityContext> keys;
    private String jwksWhere;
    private Duration jwksCache = Duration.ofMinutes(15);
    private Duration jwksRefetch = Duration.ofSeconds(30);
    private URI jwksUrl;

    private Builder() {}

    /** The {@code iss} a token must carry (Keycloak: {@code https://host/realms/<realm>}). */
    public Builder issuer(String expectedIssuer) {
      this.issuer = Objects.requireNonNull(expectedIssuer, "expectedIssuer");
      return this;
    }

    /** The audience a token must name ({@code aud}; Keycloak: the client id). */
    public Builder audience(String expectedAudience) {
      this.audience = Objects.requireNonNull(expectedAudience, "expectedAudience");
      return this;
    }

    /** The issuer's JWKS URL, fetched when needed, cached, and refetched for an unknown key id. */
    public Builder jwks(URI url) {
      this.jwksUrl = Objects.requireNonNull(url, "url");
      this.keys = null;
      this.jwksWhere = url.toString();
      return this;
    }

    /** A JWKS file (public keys only are used). */
    public Builder jwksFile(Path file) {
      try {
        this.keys = new ImmutableJWKSet<>(JWKSet.load(file.toFile()).toPublicJWKSet());
      } catch (IOException | ParseException e) {
        throw new PolicyException(
            "Cannot read the JWKS file " + file.toAbsolutePath() + ": " + e.getMessage());
      }
      this.jwksUrl = null;
      this.jwksWhere = file.toAbsolutePath().toString();
      return this;
    }

    /** How long a fetched JWKS is kept before it is fetched again (default 15 min). */
    public Builder jwksCache(Duration ttl) {
      this.jwksCache = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * The shortest time between two fetches of the JWKS (default 30 s): a token with an unknown key
     * id after the issuer rotated its keys triggers a fetch, but a stream of made-up key ids cannot
     * flood the issuer. Zero fetches on every miss.
     */
    public Builder jwksRefetchInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException(
            "jwksRefetchInterval must be zero or positive, but was " + interval);
      }
      this.jwksRefetch = interval;
      return this;
    }

    /** The tolerated difference between the issuer's clock and this one (default 60 s). */
    public Builder clockSkew(Duration skew) {
      if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException(
            "clockSkew must be between 0 and 5 minutes, but was " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /** The clock for expiry and not-before (default: system UTC). */
    public Builder clock(Clock verifierClock) {
      this.clock = Objects.requireNonNull(verifierClock, "verifierClock");
      return this;
    }

    /**
     * The claims naming a user, first present wins (default {@code preferred_username}, {@code
     * sub}).
     */
    public Builder principalClaims(String... claims) {
      principalClaims.clear();
      principalClaims.addAll(List.of(claims));
      return this;
    }

    /**
     * The claim paths holding groups or roles, dotted into nested objects (default {@code groups},
     * {@code realm_access.roles}, {@code resource_access.<audience>.roles}).
     */
    public Builder groupClaims(String... paths) {
      this.groupClaims = List.of(paths);
      return this;
    }

    /** The verifier; fails when issuer, audience or keys are missing. */
    public TokenVerifier build() {
      List<String> missing = new ArrayList<>();
      if (issuer == null) {
        missing.add("issuer(...)");
      }
      if (audience == null) {
        missing.add("audience(...)");
      }
      if (keys == null && jwksUrl == null) {
        missing.add("jwks(URI) or jwksFile(Path)");
      }
      if (!missing.isEmpty()) {
        throw new PolicyException(
            "Cannot build a TokenVerifier: set " + String.join(", ", missing));
      }
      JWKSource<SecurityContext> source = keys;
      if (source == null) {
        try {
          source =
              (jwksRefetch.isZero()
                      ? JWKSourceBuilder.create(jwksUrl.toURL())
                          .cache(jwksCache.toMillis(), 15_000)
                          .rateLimited(false)
                      : JWKSourceBuilder.create(jwksUrl.toURL())
                          .cache(jwksCache.toMillis(), 15_000)
                          .rateLimited(jwksRefetch.toMillis()))
                  .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
          throw new PolicyException("Cannot use JWKS URL " + jwksUrl + ": " + e.getMessage());
        }
      }
      return new TokenVerifier(this, source);
    }
  }
}
