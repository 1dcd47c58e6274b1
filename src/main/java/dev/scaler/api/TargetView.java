package dev.scaler.api;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One target as /api/targets shows it.
 *
 * @param policySource where the target is defined: {@code scaler.targets} or the policy file's path
 * @param policyError  for a policy file's target: the errors of the file's newest version, which was rejected
 *                     (the target runs as last loaded); null while the file's current content runs
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
                         Boolean dryRunOverride) {
}
