package dev.scaler.api;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** One target as /api/targets shows it. */
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
                         boolean paused,
                         String pausedReason,
                         Instant pausedAt,
                         Boolean dryRunOverride) {
}
