package io.firstvisit.common;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A per-instance map of short-lived hints (a slot seen full, a department-day's availability), each kept
 * for a fixed time to live and never more than {@code maxEntries} at once: when a put finds the map over
 * that bound, expired entries are swept, and if it is still over, everything is dropped. Dropping a hint
 * only costs a round trip to Redis, so a burst of distinct keys (dates, slots a client made up) can
 * neither grow this without limit nor make it wrong.
 */
public final class ExpiringHints<K, V> {

    private record Hint<V>(V value, long until) {
    }

    private final Map<K, Hint<V>> hints = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;

    public ExpiringHints(Duration ttl, int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    /** The live hint, or null (none, or expired: then it is dropped). */
    public V get(K key) {
        Hint<V> hint = hints.get(key);
        if (hint == null) {
            return null;
        }
        if (System.nanoTime() - hint.until() > 0) {
            hints.remove(key, hint);
            return null;
        }
        return hint.value();
    }

    public void put(K key, V value) {
        long now = System.nanoTime();
        hints.put(key, new Hint<>(value, now + ttlNanos));
        if (hints.size() > maxEntries) {
            hints.values().removeIf(h -> now - h.until() > 0);
            if (hints.size() > maxEntries) {
                hints.clear();
            }
        }
    }

    public void remove(K key) {
        hints.remove(key);
    }

    public void clear() {
        hints.clear();
    }

    public int size() {
        return hints.size();
    }
}
