package dev.scaler.decision;

import java.time.Duration;

/** Exponential delay between retries of a failed action: initial, 2x, 4x, ... capped at max. */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial == null || initial.isNegative()) {
            throw new IllegalArgumentException("retry-backoff.initial must be >= 0, got " + initial);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retry-backoff.max must be >= retry-backoff.initial (" + initial
                    + "), got " + max);
        }
    }

    /** Delay after {@code failures} consecutive failures (1 = the first failure). */
    public Duration after(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        Duration delay = initial;
        for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
