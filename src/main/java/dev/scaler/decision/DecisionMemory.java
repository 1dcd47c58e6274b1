package dev.scaler.decision;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that says how past decisions and actions become a {@link DecisionHistory}. Fed events
 * oldest first; {@link #history} answers what the decider must remember at a moment.
 *
 * <p>The live loop's {@code JdbcHistoryStore} feeds it the rows its queries select; the backtest feeds
 * it every simulated decision and action as they happen. Both therefore share these rules: which
 * actions start a cooldown, what breaks a run of failures, which recommendations are in the window.
 *
 * <p>Not thread-safe: one instance per load (live) or per replay (backtest).
 */
public final class DecisionMemory {

    /** How an action ended, as stored in history ({@code action.result}). */
    public enum ActionResult {
        SUCCEEDED, FAILED, TIMED_OUT, DRY_RUN, INTERRUPTED;

        /** A dry run starts cooldowns like a success, so a dry run shows what the live service would do. */
        boolean startsCooldown() {
            return this == SUCCEEDED || this == DRY_RUN;
        }

        boolean failed() {
            // an interrupted run may have changed nothing or everything: back off once, then observe afresh
            return this == FAILED || this == TIMED_OUT || this == INTERRUPTED;
        }
    }

    private final ArrayDeque<Recommendation> recommendations = new ArrayDeque<>();
    private Instant lastScaleUpAt;
    private Instant lastScaleDownAt;
    private int consecutiveMetricFailures;
    private int consecutiveActionFailures;
    private Instant lastActionFailureAt;
    private Integer decidedReplicas;
    private Instant decidedAt;
    private int decidedTimes;

    /** A decision's recommendation (null when none was computed, e.g. no metric value). */
    public void recommendation(Instant at, Integer replicas) {
        if (replicas != null) {
            recommendations.addLast(new Recommendation(at, replicas));
        }
    }

    /** A decision's reading: a usable value ends a run of failed readings, anything else extends it. */
    public void reading(MetricState state) {
        consecutiveMetricFailures = state.hasValue() ? 0 : consecutiveMetricFailures + 1;
    }

    /** Both of the above, for one decision. */
    public void decision(Instant at, Integer recommendation, MetricState state) {
        recommendation(at, recommendation);
        reading(state);
    }

    /**
     * An action that ended at {@code endedAt}. Cooldowns start at the end of the newest successful or
     * dry-run action of each direction; a failed one starts none. A success ends a run of failures; a
     * dry run neither counts nor breaks it.
     */
    public void action(Instant endedAt, int from, int to, ActionResult result) {
        if (result.startsCooldown()) {
            if (to > from) {
                lastScaleUpAt = latest(lastScaleUpAt, endedAt);
            } else if (to < from) {
                lastScaleDownAt = latest(lastScaleDownAt, endedAt);
            }
        }
        if (result == ActionResult.SUCCEEDED) {
            consecutiveActionFailures = 0;
            lastActionFailureAt = null;
        } else if (result.failed()) {
            consecutiveActionFailures++;
            lastActionFailureAt = endedAt;
        }
    }

    /**
     * The replica count a successful action set (for a fleet, the decided total). Fed after the action,
     * the newest last: it is what should run until the next successful action.
     */
    public void decided(Instant endedAt, int replicas) {
        decidedTimes = decidedReplicas != null && decidedReplicas == replicas ? decidedTimes + 1 : 1;
        decidedReplicas = replicas;
        decidedAt = endedAt;
    }

    /**
     * What the decider remembers at {@code now}: recommendations made at or after {@code now - lookback}
     * (older ones are dropped for good, so a long replay stays small), cooldown starts and failure runs.
     * So successive calls must not go back in time nor widen the window; a replay with one policy
     * moves forward with one lookback, and the store builds a new memory for every load.
     */
    public DecisionHistory history(Duration lookback, Instant now) {
        // history is stored at millisecond precision, so the window starts at a whole millisecond too
        Instant since = now.minus(lookback).truncatedTo(ChronoUnit.MILLIS);
        while (!recommendations.isEmpty() && recommendations.peekFirst().at().isBefore(since)) {
            recommendations.removeFirst();
        }
        List<Recommendation> window = new ArrayList<>(recommendations.size());
        for (Recommendation r : recommendations) {
            if (!r.at().isBefore(since)) {
                window.add(r);
            }
        }
        return new DecisionHistory(window, lastScaleUpAt, lastScaleDownAt, consecutiveMetricFailures,
                consecutiveActionFailures, lastActionFailureAt, decidedReplicas,
                decidedAt, decidedTimes);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
