package dev.scaler.history;

import dev.scaler.decision.DecisionHistory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The durable record of decisions and actions, and the memory the decider is rebuilt from. */
public interface HistoryStore {

    /** Stores a decision and returns its id. */
    long saveDecision(DecisionRecord decision);

    void saveAction(ActionRecord action);

    /**
     * Rebuilds the decider's memory for a target: recommendations made since {@code now - lookback},
     * the last successful (or dry-run) scale-up and scale-down, and the trailing failure counts.
     */
    DecisionHistory load(String target, Duration lookback, Instant now);

    /** Newest first; {@code target} null means all targets. */
    List<HistoryEntry> recent(String target, int limit);

    /** Deletes decisions (and their actions) older than {@code cutoff}; returns how many decisions went. */
    int purgeOlderThan(Instant cutoff);

    /** A decision with the actions it caused. */
    record HistoryEntry(DecisionRecord decision, List<ActionRecord> actions) {
        public HistoryEntry {
            actions = List.copyOf(actions);
        }
    }
}
