package dev.scaler.decision;

import java.time.Instant;
import java.util.List;

/**
 * What the decider needs to remember between ticks. It is rebuilt from the durable history at
 * start-up and kept in process since, so a restart neither forgets a cooldown nor loses a stabilization window.
 *
 * @param recommendations           recent recommendations, any order; older ones are ignored
 * @param lastScaleUpAt             end of the last successful scale-up, or null
 * @param lastScaleDownAt           end of the last successful scale-down, or null
 * @param consecutiveMetricFailures readings in a row, up to now, whose state had no value
 * @param consecutiveActionFailures failed or timed-out actions in a row since the last success
 * @param lastActionFailureAt       end of the most recent failed action, or null
 * @param decidedReplicas           the count the newest successful action set, or null when none did:
 *                                  fewer running than this means replicas died or were removed
 * @param decidedAt                 when that action ended, or null
 * @param decidedTimes              how many successful actions in a row, the newest included, set that count
 *                                  (restores that did not hold repeat it): a restore waits longer each time
 */
public record DecisionHistory(List<Recommendation> recommendations,
                              Instant lastScaleUpAt,
                              Instant lastScaleDownAt,
                              int consecutiveMetricFailures,
                              int consecutiveActionFailures,
                              Instant lastActionFailureAt,
                              Integer decidedReplicas,
                              Instant decidedAt,
                              int decidedTimes) {

    public static final DecisionHistory EMPTY = new DecisionHistory(List.of(), null, null, 0, 0, null, null, null, 0);

    public DecisionHistory {
        recommendations = List.copyOf(recommendations);
        if (consecutiveMetricFailures < 0 || consecutiveActionFailures < 0) {
            throw new IllegalArgumentException("failure counts cannot be negative");
        }
        if (decidedReplicas != null && decidedReplicas < 0) {
            throw new IllegalArgumentException("decided replicas cannot be negative, got " + decidedReplicas);
        }
    }

    /** The same history without a decided count, to decide as if the decided replicas were running. */
    DecisionHistory withoutDecided() {
        return new DecisionHistory(recommendations, lastScaleUpAt, lastScaleDownAt, consecutiveMetricFailures,
                consecutiveActionFailures, lastActionFailureAt, null, null, 0);
    }
}
