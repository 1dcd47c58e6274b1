package dev.scaler.history;

import java.time.Instant;

/**
 * One decision as stored: holds included. Nullable fields are null when the step that would fill
 * them did not run (for example no metric value, so no raw recommendation).
 *
 * @param outcome        SCALE, HOLD or RETRY
 * @param recommendation the pre-stabilization recommendation kept for stabilization windows
 */
public record DecisionRecord(Long id,
                             String target,
                             String tickId,
                             Instant decidedAt,
                             Integer observed,
                             String metricState,
                             Double metricValue,
                             String metricDetail,
                             Integer raw,
                             Integer afterTolerance,
                             Integer stabilized,
                             Integer limited,
                             int finalReplicas,
                             Integer recommendation,
                             String outcome,
                             String reason,
                             boolean dryRun) {
}
