package dev.meshwork.policy;

import dev.meshwork.policy.internal.ExpiringCache;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caches decisions by (principal, action, product, port, purpose) for a time to live, so repeated
 * checks cost a map lookup. Only real decisions are kept: a deny because the engine could not
 * decide ({@link Decision#failedClosed}: OPA unreachable or slow) is asked again next time, so an
 * outage ends when the engine is back. PUBLISH decisions depend on what is published and are never
 * cached; a decision carrying an {@code expires-at} term is not served past that instant, a clock
 * that moved backwards misses the cache, and the cache holds at most {@value #DEFAULT_MAX_ENTRIES}
 * entries (or the number given), expired ones evicted first, then the least recently used.
 */
public final class CachingPolicyEngine implements PolicyEngine {
  private record Key(
      String principal, String action, String product, String port, String purpose) {}

  /** How many decisions a cache holds unless told otherwise. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  private final PolicyEngine engine;
  private final Duration ttl;
  private final Clock clock;
  private final ExpiringCache<Key, Decision> cache;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /** Caches {@code engine}'s decisions for {@code ttl}, at most {@value #DEFAULT_MAX_ENTRIES}. */
  public CachingPolicyEngine(PolicyEngine engine, Duration ttl, Clock clock) {
    this(engine, ttl, clock, DEFAULT_MAX_ENTRIES);
  }

  /** Caches at most {@code maxEntries} of {@code engine}'s decisions for {@code ttl}. */
  public CachingPolicyEngine(PolicyEngine engine, Duration ttl, Clock clock, int maxEntries) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be zero or positive, but was " + ttl);
    }
    this.engine = engine;
    this.ttl = ttl;
    this.clock = clock;
    this.cache = new ExpiringCache<>(maxEntries, clock);
  }

  @Override
  public Decision decide(PolicyRequest r) {
    if (r.output() != null) {
      return engine.decide(r);
    }
    Key key =
        new Key(
            r.principal().toString() + r.principal().groups(),
            r.action().name(),
            r.product().id(),
            r.port(),
            r.purpose());
    Decision cached = cache.get(key);
    if (cached != null) {
      hits.incrementAndGet();
      return cached;
    }
    misses.incrementAndGet();
    Instant now = clock.instant();
    Decision d = engine.decide(r);
    if (d != null && !d.failedClosed()) {
      cache.put(key, d, expiry(d, now.plus(ttl)));
    }
    return d;
  }

  /** A decision bound to a validity window (an expires-at term) is not cached past its end. */
  private static Instant expiry(Decision d, Instant ttlEnd) {
    Instant end = ttlEnd;
    for (Decision.Obligation o : d.obligations()) {
      if (o instanceof Decision.Term t && t.kind().equals("expires-at")) {
        String detail = t.detail();
        try {
          Instant at = Instant.parse(detail.substring(detail.lastIndexOf(' ') + 1));
          end = at.isBefore(end) ? at : end;
        } catch (java.time.format.DateTimeParseException ignored) {
          // Terms without an instant (no end date) do not shorten the entry.
        }
      }
    }
    return end;
  }

  /** The number of decisions held. */
  public int size() {
    return cache.size();
  }

  /** Decisions served from the cache. */
  public long hits() {
    return hits.get();
  }

  /** Decisions asked of the engine. */
  public long misses() {
    return misses.get();
  }

  @Override
  public String describe() {
    return engine.describe() + ", cached " + ttl.toSeconds() + " s";
  }
}
