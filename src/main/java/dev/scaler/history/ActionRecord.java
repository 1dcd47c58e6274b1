package dev.scaler.history;

import java.time.Instant;

/**
 * One execution of a scale decision.
 *
 * @param decisionId the decision that caused it
 * @param host       null for a local target; the inventory host for fleet targets
 * @param result     SUCCEEDED, FAILED, TIMED_OUT or DRY_RUN
 * @param exitCode   the playbook's exit code, null when it never exited (timed out, not started)
 * @param outputTail the last lines of the playbook's combined output
 */
public record ActionRecord(Long id,
                           long decisionId,
                           String target,
                           String host,
                           Instant startedAt,
                           Instant endedAt,
                           int fromReplicas,
                           int toReplicas,
                           Integer exitCode,
                           String result,
                           String outputTail) {

    public long durationMillis() {
        return endedAt.toEpochMilli() - startedAt.toEpochMilli();
    }
}
