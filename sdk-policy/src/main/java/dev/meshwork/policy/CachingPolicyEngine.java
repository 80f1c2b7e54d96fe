package dev.meshwork.policy;

import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caches decisions by (principal, action, product, port, purpose) for a time to live, so repeated
 * checks cost a map lookup. PUBLISH decisions depend on what is published and are never cached; a
 * decision carrying an {@code expires-at} term is not served past that instant, and a clock that
 * moved backwards misses the cache.
 */
public final class CachingPolicyEngine implements PolicyEngine {
  private record Key(
      String principal, String action, String product, String port, String purpose) {}

  private record Entry(Decision decision, Instant created, Instant expires) {}

  private final PolicyEngine engine;
  private final Duration ttl;
  private final Clock clock;
  private final Map<Key, Entry> cache = new ConcurrentHashMap<>();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /** Caches {@code engine}'s decisions for {@code ttl}. */
  public CachingPolicyEngine(PolicyEngine engine, Duration ttl, Clock clock) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be zero or positive, but was " + ttl);
    }
    this.engine = engine;
    this.ttl = ttl;
    this.clock = clock;
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
    Instant now = clock.instant();
    Entry e = cache.get(key);
    if (e != null && now.isBefore(e.expires()) && !now.isBefore(e.created())) {
      hits.incrementAndGet();
      return e.decision();
    }
    misses.incrementAndGet();
    Decision d = engine.decide(r);
    if (d != null) {
      cache.put(key, new Entry(d, now, expiry(d, now.plus(ttl))));
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
