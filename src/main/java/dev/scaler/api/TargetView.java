package dev.scaler.api;

import dev.scaler.loop.LiveForecasts;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * One target as /api/targets shows it.
 *
 * @param policySource where the target is defined: {@code scaler.targets} or the policy file's path
 * @param policyError  for a policy file's target: the errors of the file's newest version, which was rejected
 *                     (the target runs as last loaded); null while the file's current content runs
 * @param effectiveMinReplicas the bounds the last evaluation used: {@code minReplicas} unless a label
 *                             ({@code scaler.min}) overrides it; null before the first evaluation
 * @param effectiveMaxReplicas likewise, with {@code scaler.max}
 * @param labelOverrides       what labels changed at the last evaluation, e.g. {@code max-replicas=2 (scaler.max)}
 * @param labelProblems        labels the last evaluation ignored, each with its value and why
 * @param forecast             the forecast at the last evaluation (docs/forecast.md); null when the target does
 *                             not forecast ({@code predictive: off}) or before its first evaluation
 * @param leadership           which Scaler instance leads, since when, and the failovers (docs/ha.md)
 */
@Serdeable
public record TargetView(String name,
                         String service,
                         String composeProject,
                         String fleetGroup,
                         int minReplicas,
                         int maxReplicas,
                         Integer observed,
                         Integer desired,
                         Double metricValue,
                         String metricState,
                         String metricDetail,
                         String lastTickId,
                         Instant lastEvaluatedAt,
                         String lastOutcome,
                         String lastReason,
                         String lastActionResult,
                         long scaleUpCooldownRemainingSeconds,
                         long scaleDownCooldownRemainingSeconds,
                         boolean dryRun,
                         String policySource,
                         String policyError,
                         boolean paused,
                         String pausedReason,
                         Instant pausedAt,
                         Boolean dryRunOverride,
                         Integer effectiveMinReplicas,
                         Integer effectiveMaxReplicas,
                         List<String> labelOverrides,
                         List<String> labelProblems,
                         LiveForecasts.View forecast,
                         java.util.Map<String, Object> leadership) {
}
