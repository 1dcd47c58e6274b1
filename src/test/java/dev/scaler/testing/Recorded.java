package dev.scaler.testing;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.history.HistoryStore;

import java.util.Comparator;
import java.util.List;

/** What a running app has recorded for a target, read through its own history store, oldest first. */
public final class Recorded {

    private Recorded() {
    }

    public static List<HistoryStore.HistoryEntry> entries(ScalerApp app, String target) {
        return app.bean(HistoryStore.class).recent(target, 1000).stream()
                .sorted(Comparator.comparing(e -> e.decision().decidedAt())).toList();
    }

    public static List<DecisionRecord> decisions(ScalerApp app, String target) {
        return entries(app, target).stream().map(HistoryStore.HistoryEntry::decision).toList();
    }

    public static List<ActionRecord> actions(ScalerApp app, String target) {
        return entries(app, target).stream().flatMap(e -> e.actions().stream())
                .sorted(Comparator.comparing(ActionRecord::startedAt)).toList();
    }

    /** Whether an action to {@code replicas} succeeded: the containers appear before the playbook ends. */
    public static boolean succeeded(ScalerApp app, String target, int replicas) {
        return actions(app, target).stream().anyMatch(a -> a.result().equals("SUCCEEDED") && a.toReplicas() == replicas);
    }
}
