package dev.scaler.status;

import dev.scaler.decision.Policy;
import dev.scaler.decision.Recommendation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How long a stabilization window still holds the count away from the newest recommendation, for people:
 * the decider scales down only to the highest recommendation of the down-window (up only to the lowest of the
 * up-window), so a higher (lower) recommendation than the newest one holds until it leaves the window. Pure.
 */
final class Stabilization {

    private Stabilization() {
    }

    /**
     * "none", or what holds and for how long, e.g. {@code scale-down held above 2 for 83s (the window's highest 4)}:
     * the time until the last recommendation beyond the newest one leaves the window.
     */
    static String remaining(Policy policy, List<Recommendation> recommendations, Instant now) {
        Recommendation newest = null;
        for (Recommendation r : recommendations) {
            if (!r.at().isAfter(now) && (newest == null || r.at().isAfter(newest.at()))) {
                newest = r;
            }
        }
        if (newest == null) {
            return "none";
        }
        String down = held(recommendations, newest, policy.scaleDownStabilization(), now, true);
        String up = held(recommendations, newest, policy.scaleUpStabilization(), now, false);
        if (down == null && up == null) {
            return "none";
        }
        return down == null ? up : up == null ? down : down + "; " + up;
    }

    private static String held(List<Recommendation> all, Recommendation newest, Duration window, Instant now,
                               boolean down) {
        if (window.isZero()) {
            return null;
        }
        Instant since = now.minus(window);
        Integer bound = null;
        Instant lastHolding = null;
        for (Recommendation r : all) {
            if (r.at().isBefore(since) || r.at().isAfter(now)) {
                continue;
            }
            boolean holds = down ? r.replicas() > newest.replicas() : r.replicas() < newest.replicas();
            if (!holds) {
                continue;
            }
            bound = bound == null ? r.replicas() : down ? Math.max(bound, r.replicas()) : Math.min(bound, r.replicas());
            lastHolding = lastHolding == null || r.at().isAfter(lastHolding) ? r.at() : lastHolding;
        }
        if (bound == null) {
            return null;
        }
        long seconds = (Duration.between(now, lastHolding.plus(window)).toMillis() + 999) / 1000;
        return (down ? "scale-down held above " : "scale-up held below ") + newest.replicas() + " for "
                + Math.max(0, seconds) + "s (the window's " + (down ? "highest " : "lowest ") + bound + ")";
    }
}
