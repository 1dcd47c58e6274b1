package dev.scaler.loop;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.HistoryStore;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * At start-up, before the first evaluation: an action still {@code RUNNING} in the history belongs to a Scaler
 * that died during the run (kill -9, a crash, a host reset). It is closed as {@code INTERRUPTED}, with when and
 * why. Its replicas are then observed afresh by the first tick; an interrupted run starts no cooldown and counts
 * once for the retry backoff. An orphaned playbook still running holds its service's lock file, so the first
 * run for that service waits for it (AnsibleRunner).
 */
@Singleton
public class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final HistoryStore history;
    private final Clock clock;

    public Recovery(HistoryStore history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    public List<ActionRecord> closeInterrupted() {
        return closeInterrupted("found still running at start-up");
    }

    /** @param situation when the rows were found, for the record (start-up, a takeover of the lead) */
    public List<ActionRecord> closeInterrupted(String situation) {
        Instant now = clock.instant();
        List<ActionRecord> closed = history.closeInterrupted(now, "scaler: INTERRUPTED: " + situation + " at "
                + now + "; the Scaler that started it stopped before the run ended (crash, kill or lost lead);"
                + " its replicas are observed afresh");
        for (ActionRecord a : closed) {
            LOG.warn("target={} action={} decision={} from={} to={} started={} reason=\"closed as INTERRUPTED {}:"
                            + " the Scaler that ran it stopped during the run\"", a.target(), a.id(),
                    a.decisionId(), a.fromReplicas(), a.toReplicas(), a.startedAt(),
                    situation.startsWith("found still running at start-up") ? "at start-up" : "on taking the lead");
        }
        return closed;
    }
}
