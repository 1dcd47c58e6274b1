package dev.scaler.target;

import dev.scaler.execution.ActionOutcome;
import dev.scaler.execution.PlaybookResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a scale ended: one run for a service, one per changed host for a fleet, none when a fleet had no host
 * to change.
 */
public record ScaleOutcome(List<Run> runs) {

    public ScaleOutcome {
        runs = List.copyOf(runs);
    }

    /**
     * One service's or one host's part of the action.
     *
     * @param host   the fleet host, or null for a compose or swarm service
     * @param text   what the history keeps of the run: the output tail, for a fleet with its plan and the host's fault
     */
    public record Run(String host, int from, int to, ActionOutcome outcome, Integer exitCode, Instant startedAt,
                      Instant endedAt, String text) {

        public Run {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(text, "text");
        }

        public boolean ok() {
            return outcome == ActionOutcome.SUCCEEDED || outcome == ActionOutcome.DRY_RUN;
        }
    }

    /** The run of a service (no host). */
    public static ScaleOutcome of(int from, int to, PlaybookResult result) {
        return new ScaleOutcome(List.of(new Run(null, from, to, result.outcome(), result.exitCode(),
                result.startedAt(), result.endedAt(), result.outputTail())));
    }

    /**
     * What the status and the API show: the outcome's name, {@code PARTIAL host=OUTCOME,...} when some hosts of
     * a fleet failed, or null when nothing ran.
     */
    public String summary() {
        if (runs.isEmpty()) {
            return null;
        }
        List<String> failed = new ArrayList<>();
        for (Run r : runs) {
            if (!r.ok() && r.host() != null) {
                failed.add(r.host() + "=" + r.outcome());
            }
        }
        return failed.isEmpty() ? runs.get(0).outcome().name() : "PARTIAL " + String.join(",", failed);
    }
}
