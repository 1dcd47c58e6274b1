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

    /** The result of an action whose playbook is going on now; replaced by how the run ended. */
    public static final String RUNNING = "RUNNING";

    /** The row stored with a decision about to be acted on (decision id filled in by the store). */
    public static ActionRecord running(String target, Instant now, int from, int to) {
        return new ActionRecord(null, 0, target, null, now, now, from, to, null, RUNNING, "running since " + now);
    }

    /** This row, of the given decision. */
    public ActionRecord withDecisionId(long decision) {
        return new ActionRecord(id, decision, target, host, startedAt, endedAt, fromReplicas, toReplicas, exitCode,
                result, outputTail);
    }

    public long durationMillis() {
        return endedAt.toEpochMilli() - startedAt.toEpochMilli();
    }
}
