package dev.scaler.loop;

import dev.scaler.decision.MetricState;

import java.time.Instant;

/**
 * What the last completed evaluation of a target found, for people and the API. Null fields mean
 * "not known yet" (no tick completed) or "not computed" (no metric value).
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
                           String lastActionResult) {
}
