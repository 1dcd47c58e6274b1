package dev.scaler.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which alert notifications were acted on, for {@code window}, at most {@code capacity} of them
 * (the oldest go first), so memory stays bounded whatever Alertmanager sends. In memory: after a restart
 * a resend is acted on once more, which costs one extra evaluation, itself subject to cooldowns.
 * Not thread-safe; the webhook holds a lock around its use.
 */
final class AlertDeduplicator {

    private final Duration window;
    private final int capacity;
    /** key -> when it was acted on; insertion order is time order. */
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

    AlertDeduplicator(Duration window, int capacity) {
        this.window = window;
        this.capacity = capacity;
    }

    boolean seen(String key, Instant now) {
        expire(now);
        return seen.containsKey(key);
    }

    void remember(String key, Instant now) {
        expire(now);
        seen.remove(key);
        seen.put(key, now);
        while (seen.size() > capacity) {
            Iterator<Map.Entry<String, Instant>> oldest = seen.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    int size() {
        return seen.size();
    }

    private void expire(Instant now) {
        Instant cutoff = now.minus(window);
        Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator();
        while (it.hasNext() && !it.next().getValue().isAfter(cutoff)) {
            it.remove();
        }
    }
}
