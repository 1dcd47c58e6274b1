package dev.scaler.decision;

import java.time.Duration;
import java.time.Instant;

/**
 * Time left in each cooldown, as the decider would see it now: for people (the API), not for the
 * decision, which computes its own.
 */
public record Cooldowns(Duration scaleUpRemaining, Duration scaleDownRemaining) {

    public static Cooldowns of(Policy policy, DecisionHistory history, Instant now) {
        Instant lastAny = history.lastScaleUpAt();
        if (lastAny == null || (history.lastScaleDownAt() != null && history.lastScaleDownAt().isAfter(lastAny))) {
            lastAny = history.lastScaleDownAt();
        }
        return new Cooldowns(left(history.lastScaleUpAt(), policy.scaleUpCooldown(), now),
                left(lastAny, policy.scaleDownCooldown(), now));
    }

    private static Duration left(Instant since, Duration cooldown, Instant now) {
        if (since == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, since.plus(cooldown));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
