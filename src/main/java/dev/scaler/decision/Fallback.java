package dev.scaler.decision;

/**
 * What to do when the metric cannot be read for a while. Off by default: holding is the safe
 * answer to missing data. When on, it only ever raises the count (never below what runs).
 *
 * @param afterFailures consecutive failed readings before the fallback applies; 0 = off
 * @param replicas      the count to go to
 */
public record Fallback(int afterFailures, int replicas) {

    public static final Fallback OFF = new Fallback(0, 0);

    public Fallback {
        if (afterFailures < 0) {
            throw new IllegalArgumentException("fallback.after-failures must be >= 0 (0 = off), got " + afterFailures);
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("fallback.replicas must be >= 0, got " + replicas);
        }
    }

    public boolean enabled() {
        return afterFailures > 0;
    }
}
