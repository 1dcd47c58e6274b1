package dev.scaler.execution;

import java.time.Instant;
import java.util.Objects;

/**
 * The result of one ansible-playbook run.
 *
 * @param exitCode   null when the process never exited by itself (killed by the watchdog, failed to start)
 * @param outputTail the last lines of stdout and stderr, interleaved as they came
 */
public record PlaybookResult(ActionOutcome outcome, Integer exitCode, Instant startedAt, Instant endedAt,
                             String outputTail) {
    public PlaybookResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        outputTail = outputTail == null ? "" : outputTail;
    }

    /** What a dry run records in place of a run: nothing executed, at {@code now}. */
    public static PlaybookResult dryRun(Instant now) {
        return new PlaybookResult(ActionOutcome.DRY_RUN, null, now, now, "dry run: nothing executed");
    }
}
