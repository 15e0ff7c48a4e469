package io.firstvisit.common;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 12 §3: the sold-out marks and the availability snapshots can neither grow without bound nor outlive their TTL. */
class ExpiringHintsTest {

    @Test
    void aHintIsKeptForItsTimeToLiveAndRemovable() {
        ExpiringHints<String, Integer> hints = new ExpiringHints<>(Duration.ofHours(1), 10);
        hints.put("a", 1);
        assertEquals(1, hints.get("a"));
        hints.remove("a");
        assertNull(hints.get("a"));

        ExpiringHints<String, Integer> gone = new ExpiringHints<>(Duration.ofNanos(-1), 10); // expired as soon as written
        gone.put("a", 1);
        assertNull(gone.get("a"));
        assertEquals(0, gone.size(), "an expired hint is dropped when read");
    }

    @Test
    void aBurstOfDistinctKeysNeverGrowsPastTheBound() {
        ExpiringHints<Integer, Boolean> hints = new ExpiringHints<>(Duration.ofHours(1), 1000);
        for (int i = 0; i < 100_000; i++) {
            hints.put(i, Boolean.TRUE);
            assertTrue(hints.size() <= 1000, "size " + hints.size() + " after " + (i + 1) + " puts");
        }
        ExpiringHints<Integer, Boolean> expired = new ExpiringHints<>(Duration.ofNanos(-1), 1000);
        for (int i = 0; i < 5000; i++) {
            expired.put(i, Boolean.TRUE);
        }
        assertTrue(expired.size() <= 1000);
    }
}
