package dev.scaler.loop;

import dev.scaler.decision.MetricState;

import java.time.Instant;
import java.util.List;

/**
 * What the last completed evaluation of a target found, for people and the API. Null fields mean
 * "not known yet" (no tick completed) or "not computed" (no metric value).
 *
 * @param minReplicas    the bounds the decision used: the policy's, or a label's where one overrides it
 * @param maxReplicas    likewise
 * @param labelOverrides what labels changed, e.g. {@code max-replicas=2 (scaler.max)}
 * @param labelProblems  labels that were ignored, each with its value and why
 * @param forecast       the target's forecast at this evaluation; null when it does not forecast
 */
public record TargetStatus(String target,
                           String tickId,
                           Instant evaluatedAt,
                           Integer observed,
                           Integer desired,
                           Double metricValue,
                           MetricState metricState,
                           String metricDetail,
                           String outcome,
                           String reason,
                           String lastActionResult,
                           Integer minReplicas,
                           Integer maxReplicas,
                           List<String> labelOverrides,
                           List<String> labelProblems,
                           LiveForecasts.View forecast) {

    public TargetStatus(String target, String tickId, Instant evaluatedAt, Integer observed, Integer desired,
                        Double metricValue, MetricState metricState, String metricDetail, String outcome, String reason,
                        String lastActionResult, Integer minReplicas, Integer maxReplicas, List<String> labelOverrides,
                        List<String> labelProblems) {
        this(target, tickId, evaluatedAt, observed, desired, metricValue, metricState, metricDetail, outcome, reason,
                lastActionResult, minReplicas, maxReplicas, labelOverrides, labelProblems, null);
    }

    public TargetStatus {
        labelOverrides = labelOverrides == null ? List.of() : List.copyOf(labelOverrides);
        labelProblems = labelProblems == null ? List.of() : List.copyOf(labelProblems);
    }
}
