package dev.scaler.decision;

import java.time.Instant;
import java.util.List;

/**
 * What the decider needs to remember between ticks. It is rebuilt from the durable history on
 * every tick, so a restart neither forgets a cooldown nor loses a stabilization window.
 *
 * @param recommendations           recent recommendations, any order; older ones are ignored
 * @param lastScaleUpAt             end of the last successful scale-up, or null
 * @param lastScaleDownAt           end of the last successful scale-down, or null
 * @param consecutiveMetricFailures readings in a row, up to now, whose state had no value
 * @param consecutiveActionFailures failed or timed-out actions in a row since the last success
 * @param lastActionFailureAt       end of the most recent failed action, or null
 */
public record DecisionHistory(List<Recommendation> recommendations,
                              Instant lastScaleUpAt,
                              Instant lastScaleDownAt,
                              int consecutiveMetricFailures,
                              int consecutiveActionFailures,
                              Instant lastActionFailureAt) {

    public static final DecisionHistory EMPTY = new DecisionHistory(List.of(), null, null, 0, 0, null);

    public DecisionHistory {
        recommendations = List.copyOf(recommendations);
        if (consecutiveMetricFailures < 0 || consecutiveActionFailures < 0) {
            throw new IllegalArgumentException("failure counts cannot be negative");
        }
    }
}
