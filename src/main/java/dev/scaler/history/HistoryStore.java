package dev.scaler.history;

import dev.scaler.decision.DecisionHistory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The durable record of decisions and actions, and the memory the decider is rebuilt from. */
public interface HistoryStore {

    /** Stores a decision and returns its id. */
    long saveDecision(DecisionRecord decision);

    void saveAction(ActionRecord action);

    /**
     * Stores a decision and the rows of a run that has already ended (a dry run), whose decision id is replaced
     * by the new decision's; returns the decision's id. One wait for the caller where
     * {@link #saveDecision} and {@link #saveAction} would be two; the rows are the same.
     */
    default long saveDecisionWithActions(DecisionRecord decision, List<ActionRecord> actions) {
        long id = saveDecision(decision);
        for (ActionRecord a : actions) {
            saveAction(a.withDecisionId(id));
        }
        return id;
    }

    /**
     * Stores a decision that nothing acts on (a hold, a paused target, a dry run that has ended, whose rows come
     * with it as in {@link #saveDecisionWithActions}) without holding the caller until it is committed: it may be
     * committed a few milliseconds later with others. The future gives its id once committed, or the failure.
     * Here: at once, as {@link #saveDecisionWithActions} does.
     */
    default CompletableFuture<Long> saveDecisionLater(DecisionRecord decision, List<ActionRecord> endedRun) {
        return CompletableFuture.completedFuture(saveDecisionWithActions(decision, endedRun));
    }

    /**
     * Stores a decision that is about to be acted on and, in the same transaction, its action as
     * {@code RUNNING} (the row's decision id is replaced by the new decision's). So a decision to scale is
     * never in the history without an action row: if Scaler dies during the run, the next start finds the
     * {@code RUNNING} row and closes it ({@link #closeInterrupted}).
     */
    Started saveDecisionStartingAction(DecisionRecord decision, ActionRecord running);

    /** Replaces the {@code RUNNING} row by how the run ended (one row, or a fleet's row per host), atomically. */
    void finishAction(long runningActionId, List<ActionRecord> finished);

    /**
     * Closes every {@code RUNNING} action as {@code INTERRUPTED}, ended at {@code now}, with {@code why} added to
     * its output; returns the rows as they are now. Run at start-up, before the first evaluation.
     */
    List<ActionRecord> closeInterrupted(Instant now, String why);

    /** The ids {@link #saveDecisionStartingAction} wrote. */
    record Started(long decisionId, long actionId) {
    }

    /**
     * Rebuilds the decider's memory for a target: recommendations made since {@code now - lookback},
     * the last successful (or dry-run) scale-up and scale-down, and the trailing failure counts.
     */
    DecisionHistory load(String target, Duration lookback, Instant now);

    /** Newest first; {@code target} null means all targets. */
    List<HistoryEntry> recent(String target, int limit);

    /**
     * A target's decisions from {@code from} to {@code to} (inclusive), oldest first, as the status page's charts
     * need them, and the newest {@code maxActed} of those decisions that caused actions, with their actions,
     * oldest first.
     */
    Window window(String target, Instant from, Instant to, int maxActed);

    /** One decision reduced to what a chart draws: running replicas, the metric's value, the decided count. */
    record Point(long atMillis, Integer observed, Double metricValue, int decided) {
    }

    /** What {@link #window} read. */
    record Window(List<Point> points, List<HistoryEntry> acted) {
        public Window {
            points = List.copyOf(points);
            acted = List.copyOf(acted);
        }
    }

    /** Deletes decisions (and their actions) older than {@code cutoff}; returns how many decisions went. */
    int purgeOlderThan(Instant cutoff);

    /** A decision with the actions it caused. */
    record HistoryEntry(DecisionRecord decision, List<ActionRecord> actions) {
        public HistoryEntry {
            actions = List.copyOf(actions);
        }
    }
}
