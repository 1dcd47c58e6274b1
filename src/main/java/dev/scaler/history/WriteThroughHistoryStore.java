package dev.scaler.history;

import dev.scaler.decision.DecisionHistory;
import dev.scaler.decision.DecisionMemory;
import dev.scaler.decision.MetricState;
import io.micronaut.context.annotation.Primary;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The decider's memory kept in process and written through to the database: a target's memory is read from
 * the history once (at its first evaluation after a start) and then fed every decision and action as it is
 * stored, so a tick reads nothing from the database. Whatever it cannot follow row by row (a start's
 * interrupted runs, a purge, a wider stabilization window than it kept) makes it read the target afresh, so it
 * always answers what {@link JdbcHistoryStore#load} would.
 *
 * <p>Each target's memory is guarded by its own lock, held across the database write and the feed, so a load
 * never sees one without the other.
 */
@Primary
@Singleton
public class WriteThroughHistoryStore implements HistoryStore {

    private final JdbcHistoryStore database;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong databaseReads = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final GroupCommit commits = new GroupCommit();

    /** One target's memory, empty until its first load. */
    private static final class Slot {
        DecisionMemory memory;
        Duration lookback;
        Instant loadedAt;
        /** The newest decision stored through this store and its decided total, for a fleet's host rows. */
        long decisionId = -1;
        int finalReplicas;
        /** The RUNNING row written with that decision, replaced by {@link #finishAction}. */
        long runningActionId = -1;
        /**
         * Set when a decision fed to the memory before its commit was not committed: the memory is read afresh at
         * the next load. A flag, not a lock: the writer must never wait for a target's lock (a caller holding
         * one may be waiting for the writer).
         */
        volatile boolean unwritten;
    }

    private final WriteFence fence;

    public WriteThroughHistoryStore(JdbcHistoryStore database) {
        this(database, WriteFence.NONE);
    }

    /** @param fence says whether this instance writes; a standby reads every memory from the database */
    @jakarta.inject.Inject
    public WriteThroughHistoryStore(JdbcHistoryStore database, WriteFence fence) {
        this.database = Objects.requireNonNull(database, "database");
        this.fence = Objects.requireNonNull(fence, "fence");
    }

    @Override
    public long saveDecision(DecisionRecord decision) {
        JdbcHistoryStore.requireComplete(decision);
        Slot slot = slot(decision.target());
        synchronized (slot) {
            long id = commits.save(decision);
            feed(slot, id, decision);
            return id;
        }
    }

    @Override
    public long saveDecisionWithActions(DecisionRecord decision, List<ActionRecord> actions) {
        JdbcHistoryStore.requireComplete(decision);
        actions.forEach(JdbcHistoryStore::requireComplete);
        Slot slot = slot(decision.target());
        synchronized (slot) {
            long id = commits.save(decision, actions);
            feed(slot, id, decision, actions);
            return id;
        }
    }

    /**
     * Fed to the memory now, committed with whatever else is stored in the next few milliseconds: see
     * {@link GroupCommit#later}. If the commit fails, the future says so and the memory is read afresh.
     */
    @Override
    public CompletableFuture<Long> saveDecisionLater(DecisionRecord decision, List<ActionRecord> endedRun) {
        JdbcHistoryStore.requireComplete(decision);
        endedRun.forEach(JdbcHistoryStore::requireComplete);
        Slot slot = slot(decision.target());
        synchronized (slot) {
            CompletableFuture<Long> written = commits.later(decision, endedRun, slot);
            // the id is not known yet; no row of a later run can refer to this decision (it acts on nothing)
            feed(slot, -1, decision, endedRun);
            return written;
        }
    }

    /** Commits what waits at once (a shutdown; a test); later saves are written by their callers. */
    @PreDestroy
    public void flush() {
        commits.close();
    }

    /**
     * Group commit: the decisions and the (dry-run) action rows the loop's workers store at the same moment go to
     * the database in one transaction. The first caller that finds no write going on writes every row waiting,
     * its own among them; the others wait for theirs. Each caller still returns only once its row is committed.
     *
     * <p>A decision nothing acts on need not hold its worker until it is committed ({@link #later}): it waits
     * here while more arrive, and the history writer thread commits them all in one transaction, once no new one
     * came for {@link #QUIET} or {@link #LINGER} after the first. A tick of 1,000 targets commits a few dozen
     * times instead of several hundred, and each commit writes to the file (docs/history.md, "Durability").
     */
    private final class GroupCommit {

        private static final long QUIET = TimeUnit.MILLISECONDS.toNanos(2);
        private static final long LINGER = TimeUnit.MILLISECONDS.toNanos(20);

        /** A decision (with the rows of its ended run, if any) or an action row to write. */
        private final class Pending {
            final DecisionRecord decision;
            final List<ActionRecord> runRows;
            final ActionRecord action;
            /** For a {@link #later} save: its caller's answer, and the memory to forget if the commit fails. */
            final CompletableFuture<Long> written;
            final Slot slot;
            long id;
            RuntimeException failure;
            boolean done;

            Pending(DecisionRecord decision, List<ActionRecord> runRows, ActionRecord action) {
                this(decision, runRows, action, null, null);
            }

            Pending(DecisionRecord decision, List<ActionRecord> runRows, ActionRecord action,
                    CompletableFuture<Long> written, Slot slot) {
                this.decision = decision;
                this.runRows = runRows;
                this.action = action;
                this.written = written;
                this.slot = slot;
            }
        }

        private final List<Pending> waiting = new ArrayList<>();
        private boolean writing;
        /** A commit of the {@link #later} saves is scheduled on the writer thread. */
        private boolean scheduled;
        private ExecutorService writer;
        private boolean closed;

        long save(DecisionRecord decision) {
            return save(new Pending(decision, List.of(), null));
        }

        long save(DecisionRecord decision, List<ActionRecord> runRows) {
            return save(new Pending(decision, List.copyOf(runRows), null));
        }

        void save(ActionRecord action) {
            save(new Pending(null, List.of(), action));
        }

        CompletableFuture<Long> later(DecisionRecord decision, List<ActionRecord> runRows, Slot slot) {
            Pending mine = new Pending(decision, List.copyOf(runRows), null, new CompletableFuture<>(), slot);
            boolean now;
            synchronized (this) {
                waiting.add(mine);
                now = closed;
                if (!now && !scheduled) {
                    scheduled = true;
                    if (writer == null) {
                        writer = Executors.newSingleThreadExecutor(r -> {
                            Thread t = new Thread(r, "scaler-history-writer");
                            t.setDaemon(true);
                            return t;
                        });
                    }
                    writer.execute(this::lingerAndWrite);
                }
            }
            if (now) {
                writeWaiting(); // closed: the caller writes
            }
            return mine.written;
        }

        /** On the writer thread: waits while saves keep coming, then commits everything waiting. */
        private void lingerAndWrite() {
            long first = System.nanoTime();
            int seen = -1;
            while (true) {
                synchronized (this) {
                    if (waiting.size() == seen || System.nanoTime() - first >= LINGER || closed) {
                        scheduled = false; // a save from now on schedules the next commit
                        break;
                    }
                    seen = waiting.size();
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(QUIET);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            writeWaiting();
        }

        /** Commits every row waiting, if any, once no other write goes on. */
        private void writeWaiting() {
            boolean[] interrupted = {false};
            List<Pending> batch = turn(null, interrupted);
            if (batch != null) {
                write(batch);
            }
            if (interrupted[0]) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Waits until no write goes on, then takes the turn and every row waiting; null when nothing waits or when
         * {@code mine} (if given) was written meanwhile by another caller.
         */
        private synchronized List<Pending> turn(Pending mine, boolean[] interrupted) {
            while (writing && (mine == null || !mine.done)) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // a row may still be written by another caller; waiting for it is the only honest answer
                    interrupted[0] = true;
                }
            }
            if ((mine != null && mine.done) || waiting.isEmpty()) {
                return null;
            }
            writing = true;
            List<Pending> batch = new ArrayList<>(waiting);
            waiting.clear();
            return batch;
        }

        /** Commits what waits, and from now on a {@link #later} save is written by its caller. */
        void close() {
            ExecutorService stopping;
            synchronized (this) {
                closed = true;
                stopping = writer;
            }
            writeWaiting();
            if (stopping != null) {
                stopping.shutdown();
            }
        }

        private long save(Pending mine) {
            synchronized (this) {
                waiting.add(mine);
            }
            boolean[] interrupted = {false};
            for (List<Pending> batch = turn(mine, interrupted); batch != null; batch = turn(mine, interrupted)) {
                write(batch);
            }
            if (interrupted[0]) {
                Thread.currentThread().interrupt();
            }
            if (mine.failure != null) {
                throw mine.failure;
            }
            return mine.id;
        }

        private void write(List<Pending> batch) {
            RuntimeException failure = null;
            List<Pending> decisions = batch.stream().filter(p -> p.decision != null).toList();
            List<Long> ids = List.of();
            try {
                ids = database.saveAll(decisions.stream().map(p -> p.decision).toList(),
                        batch.stream().filter(p -> p.action != null).map(p -> p.action).toList(),
                        decisions.stream().map(p -> p.runRows).toList());
                batches.incrementAndGet();
            } catch (RuntimeException e) {
                failure = e;
            }
            synchronized (this) {
                for (int i = 0; i < decisions.size() && failure == null; i++) {
                    decisions.get(i).id = ids.get(i);
                }
                for (Pending p : batch) {
                    p.failure = failure;
                    p.done = true;
                }
                writing = false;
                notifyAll();
            }
            // outside the lock: completing runs the callers' next steps on this thread
            for (Pending p : batch) {
                if (p.written == null) {
                    continue;
                }
                if (failure == null) {
                    p.written.complete(p.id);
                } else {
                    p.slot.unwritten = true;
                    p.written.completeExceptionally(failure);
                }
            }
        }
    }

    @Override
    public void saveAction(ActionRecord action) {
        // checked before it joins a group commit, so an incomplete row fails alone
        JdbcHistoryStore.requireComplete(action);
        Slot slot = slot(action.target());
        synchronized (slot) {
            commits.save(action);
            feed(slot, List.of(action));
        }
    }

    @Override
    public Started saveDecisionStartingAction(DecisionRecord decision, ActionRecord running) {
        Slot slot = slot(decision.target());
        synchronized (slot) {
            Started written = database.saveDecisionStartingAction(decision, running);
            feed(slot, written.decisionId(), decision);
            slot.runningActionId = written.actionId();
            return written;
        }
    }

    @Override
    public void finishAction(long runningActionId, List<ActionRecord> finished) {
        if (finished.isEmpty()) {
            // nothing ran (a fleet with no host to change): only the RUNNING row goes, which the memory never had
            database.finishAction(runningActionId, finished);
            return;
        }
        Slot slot = slot(finished.get(0).target());
        synchronized (slot) {
            database.finishAction(runningActionId, finished);
            if (slot.runningActionId != runningActionId || finished.stream()
                    .anyMatch(a -> !a.target().equals(finished.get(0).target()))) {
                slot.memory = null; // not the run this store started: read the target afresh
                return;
            }
            slot.runningActionId = -1;
            feed(slot, finished);
        }
    }

    /** Run at start-up before any load; it changes rows the memories may hold, so they are all read again. */
    @Override
    public List<ActionRecord> closeInterrupted(Instant now, String why) {
        List<ActionRecord> closed = database.closeInterrupted(now, why);
        forgetAll();
        return closed;
    }

    @Override
    public DecisionHistory load(String target, Duration lookback, Instant now) {
        Slot slot = slot(target);
        synchronized (slot) {
            if (!fence.writes()) {
                // a standby: the leader's rows never pass through here
                slot.memory = null;
                databaseReads.incrementAndGet();
                return database.load(target, lookback, now);
            }
            if (slot.unwritten) {
                slot.unwritten = false;
                slot.memory = null;
            }
            // a memory drops recommendations older than its window for good, so a wider window is read afresh
            // and a clock that went back (a corrected host clock) would find recommendations already dropped
            if (slot.memory == null || lookback.compareTo(slot.lookback) > 0 || now.isBefore(slot.loadedAt)) {
                slot.memory = database.memory(target, lookback, now);
                databaseReads.incrementAndGet();
                slot.lookback = lookback;
            }
            slot.loadedAt = now;
            return slot.memory.history(lookback, now);
        }
    }

    @Override
    public List<HistoryEntry> recent(String target, int limit) {
        return database.recent(target, limit);
    }

    /** Straight from the database: the charts read what is committed (a tick's rows a moment later). */
    @Override
    public Window window(String target, Instant from, Instant to, int maxActed) {
        return database.window(target, from, to, maxActed);
    }

    /** Purged rows may hold a cooldown's start or a failure the memories still count: they are read again. */
    @Override
    public int purgeOlderThan(Instant cutoff) {
        int purged = database.purgeOlderThan(cutoff);
        if (purged > 0) {
            forgetAll();
        }
        return purged;
    }

    /** How many times a memory was read from the database since start (its own metric and tests). */
    public long databaseReads() {
        return databaseReads.get();
    }

    /** How many transactions stored decisions and action rows (group commits) since start. */
    public long decisionBatches() {
        return batches.get();
    }

    private Slot slot(String target) {
        return slots.computeIfAbsent(target, k -> new Slot());
    }

    private void forgetAll() {
        for (Slot slot : slots.values()) {
            synchronized (slot) {
                slot.memory = null;
            }
        }
    }

    /** A stored decision and the rows of its ended run, one row at a time, as {@link #saveAction} feeds them. */
    private static void feed(Slot slot, long id, DecisionRecord d, List<ActionRecord> endedRun) {
        feed(slot, id, d);
        for (ActionRecord a : endedRun) {
            feed(slot, List.of(a.withDecisionId(id)));
        }
    }

    /** A stored decision, as {@link JdbcHistoryStore#memory} would select it. */
    private static void feed(Slot slot, long id, DecisionRecord d) {
        slot.decisionId = id;
        slot.finalReplicas = d.finalReplicas();
        if (slot.memory == null) {
            return; // never loaded: the first load reads it from the database
        }
        slot.memory.recommendation(stored(d.decidedAt()), d.recommendation());
        if (d.metricState() != null) {
            slot.memory.reading(MetricState.valueOf(d.metricState()));
        }
    }

    /**
     * Stored actions, as {@link JdbcHistoryStore#memory} would select them: oldest first, each result the memory
     * knows (a RUNNING or UNREACHABLE row is none of them), and for the successful ones the count they set, once
     * per decision.
     */
    private static void feed(Slot slot, List<ActionRecord> actions) {
        if (slot.memory == null) {
            return;
        }
        List<ActionRecord> oldestFirst = new ArrayList<>(actions);
        oldestFirst.sort(Comparator.comparing(ActionRecord::endedAt));
        List<Long> decided = new ArrayList<>();
        for (ActionRecord a : oldestFirst) {
            DecisionMemory.ActionResult result = resultOf(a.result());
            if (result == null) {
                continue;
            }
            slot.memory.action(stored(a.endedAt()), a.fromReplicas(), a.toReplicas(), result);
            if (result == DecisionMemory.ActionResult.SUCCEEDED && !decided.contains(a.decisionId())) {
                if (a.host() == null) {
                    slot.memory.decided(stored(a.endedAt()), a.toReplicas());
                } else if (a.decisionId() == slot.decisionId) {
                    slot.memory.decided(stored(a.endedAt()), slot.finalReplicas);
                } else {
                    slot.memory = null; // a host row of a decision this store did not see: read it afresh
                    return;
                }
                decided.add(a.decisionId());
            }
        }
    }

    /** The history keeps whole milliseconds; the memory must remember the same instants. */
    private static Instant stored(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS);
    }

    private static DecisionMemory.ActionResult resultOf(String stored) {
        for (DecisionMemory.ActionResult r : DecisionMemory.ActionResult.values()) {
            if (r.name().equals(stored)) {
                return r;
            }
        }
        return null;
    }
}
