package dev.scaler.api;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.history.HistoryStore;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** One decision with its actions, as /api/history shows it. */
@Serdeable
public record HistoryView(long id, String target, String tickId, Instant decidedAt, Integer observed,
                          String metricState, Double metricValue, String metricDetail, Integer raw,
                          Integer afterTolerance, Integer stabilized, Integer limited, int finalReplicas,
                          String outcome, String reason, boolean dryRun, List<Action> actions) {

    @Serdeable
    public record Action(String host, Instant startedAt, Instant endedAt, long durationMillis, int fromReplicas,
                         int toReplicas, Integer exitCode, String result, String outputTail) {
        static Action of(ActionRecord a) {
            return new Action(a.host(), a.startedAt(), a.endedAt(), a.durationMillis(), a.fromReplicas(),
                    a.toReplicas(), a.exitCode(), a.result(), a.outputTail());
        }
    }

    static HistoryView of(HistoryStore.HistoryEntry entry) {
        DecisionRecord d = entry.decision();
        return new HistoryView(d.id(), d.target(), d.tickId(), d.decidedAt(), d.observed(), d.metricState(),
                d.metricValue(), d.metricDetail(), d.raw(), d.afterTolerance(), d.stabilized(), d.limited(),
                d.finalReplicas(), d.outcome(), d.reason(), d.dryRun(),
                entry.actions().stream().map(Action::of).toList());
    }
}
