package dev.meshwork.policy.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Function;

/**
 * A bounded map whose entries expire at their own instant by an injected clock: an expired entry is
 * never served, and when the cache is full expired entries go first, then the least recently used.
 * A clock that moved backwards past an entry's creation misses it.
 */
public final class ExpiringCache<K, V> {
  private record Entry<V>(V value, Instant created, Instant expires) {}

  private final int maxEntries;
  private final Clock clock;
  private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);

  /** A cache of at most {@code maxEntries} entries. */
  public ExpiringCache(int maxEntries, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, but was " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /** The live value of {@code key}, or null. */
  public synchronized V get(K key) {
    Entry<V> e = entries.get(key);
    if (e == null) {
      return null;
    }
    Instant now = clock.instant();
    if (!now.isBefore(e.expires()) || now.isBefore(e.created())) {
      entries.remove(key);
      return null;
    }
    return e.value();
  }

  /** Keeps {@code value} until {@code expires} (nothing when that is not after now). */
  public synchronized void put(K key, V value, Instant expires) {
    Instant now = clock.instant();
    if (!expires.isAfter(now)) {
      entries.remove(key);
      return;
    }
    if (!entries.containsKey(key) && entries.size() >= maxEntries) {
      entries.values().removeIf(e -> !now.isBefore(e.expires()) || now.isBefore(e.created()));
      Iterator<K> eldest = entries.keySet().iterator();
      while (entries.size() >= maxEntries && eldest.hasNext()) {
        eldest.next();
        eldest.remove();
      }
    }
    entries.put(key, new Entry<>(value, now, expires));
  }

  /** The live value of {@code key}, else {@code load}'s, kept until {@code expiresAfter} of it. */
  public V computeIfAbsent(K key, Function<K, V> load, Function<V, Instant> expiresAfter) {
    V v = get(key);
    if (v != null) {
      return v;
    }
    // Loaded outside the lock: a slow directory must not stall every other principal's lookup.
    V loaded = load.apply(key);
    put(key, loaded, expiresAfter.apply(loaded));
    return loaded;
  }

  /** The number of entries held (live or not yet swept). */
  public synchronized int size() {
    return entries.size();
  }
}
