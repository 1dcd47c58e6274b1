package dev.scaler.api;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.history.HistoryStore;
import dev.scaler.redaction.Redaction;
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
        static Action of(ActionRecord a, Redaction redaction) {
            return new Action(a.host(), a.startedAt(), a.endedAt(), a.durationMillis(), a.fromReplicas(),
                    a.toReplicas(), a.exitCode(), redaction.apply(a.result()), redaction.apply(a.outputTail()));
        }
    }

    /** Texts that can quote a URL or a playbook's words go through {@code redaction}: reads need no credentials. */
    static HistoryView of(HistoryStore.HistoryEntry entry, Redaction redaction) {
        DecisionRecord d = entry.decision();
        return new HistoryView(d.id(), d.target(), d.tickId(), d.decidedAt(), d.observed(), d.metricState(),
                d.metricValue(), redaction.apply(d.metricDetail()), d.raw(), d.afterTolerance(), d.stabilized(),
                d.limited(), d.finalReplicas(), d.outcome(), redaction.apply(d.reason()), d.dryRun(),
                entry.actions().stream().map(a -> Action.of(a, redaction)).toList());
    }
}
