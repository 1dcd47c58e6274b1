package dev.scaler.history;

import dev.scaler.decision.DecisionHistory;
import dev.scaler.decision.DecisionMemory;
import dev.scaler.decision.MetricState;
import io.micronaut.transaction.TransactionCallback;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@link HistoryStore} over the default JDBC data source, in plain portable SQL.
 *
 * <p>Why not a Micronaut Data {@code @JdbcRepository}: its SQL is generated at compile time for the
 * dialect named in the annotation, while the database here is chosen at deploy time (H2 file by
 * default, PostgreSQL by configuration). The handful of queries below are standard SQL that H2 and
 * PostgreSQL both run unchanged, so one class serves both with no dialect knowledge at all. Micronaut
 * Data's transaction manager is still used, so every method runs in one transaction.
 *
 * <p>Order: a query of one target orders by {@code target} too, though it is fixed by the {@code where}: H2's
 * planner reads rows in an index's order (and stops at the limit) only when the {@code order by} names the
 * index's columns from the first, so {@code order by decided_at desc, id desc} alone sorted every row of the
 * target (V4__history_order_indexes.sql). PostgreSQL plans both forms alike.
 *
 * <p>Atomicity: a decision is one insert and an action is one insert, each in its own transaction;
 * purging relies on {@code on delete cascade}, so a decision and its actions go in one statement.
 */
@Singleton
public class JdbcHistoryStore implements HistoryStore {

    /** Upper bound of {@link #recent} and of the rows scanned when counting failures in a row. */
    static final int MAX_ROWS = 1000;
    /** Enough successful actions to count restores in a row until their delay reaches any retry-max. */
    static final int DECIDED_ROWS = 32;

    // The queries that read a target newest first or in time order, each served by an index in its order
    // (V4__history_order_indexes.sql); HistoryQueryPlanTest holds them to that on H2 and PostgreSQL.
    static final String WINDOW_POINTS = "select decided_at, observed, metric_value, final_replicas from decision"
            + " where target = ? and decided_at >= ? and decided_at <= ? order by target, decided_at, id";
    static final String RECOMMENDATIONS_SINCE = "select decided_at, recommendation from decision"
            + " where target = ? and decided_at >= ? and recommendation is not null order by target, decided_at, id";
    static final String NEWEST_READINGS = "select metric_state from decision where target = ?"
            + " and metric_state is not null order by target desc, decided_at desc, id desc"
            + " fetch first " + MAX_ROWS + " rows only";
    private static final String ACTION_ROW = "select id, ended_at, from_replicas, to_replicas, result from action"
            + " where target = ?";
    private static final String NEWEST = " order by target desc, ended_at desc, id desc fetch first ";
    static final String NEWEST_SCALE_UP = ACTION_ROW + " and result in ('SUCCEEDED', 'DRY_RUN')"
            + " and to_replicas > from_replicas" + NEWEST + "1 rows only";
    static final String NEWEST_SCALE_DOWN = ACTION_ROW + " and result in ('SUCCEEDED', 'DRY_RUN')"
            + " and to_replicas < from_replicas" + NEWEST + "1 rows only";
    static final String NEWEST_RESULTS = ACTION_ROW + " and result in ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'INTERRUPTED')"
            + NEWEST + MAX_ROWS + " rows only";
    static final String NEWEST_DECIDED = "select a.decision_id, a.ended_at, case when a.host is null"
            + " then a.to_replicas else d.final_replicas end as decided from action a join decision d"
            + " on d.id = a.decision_id where a.target = ? and a.result = 'SUCCEEDED'"
            + " order by a.target desc, a.ended_at desc, a.id desc fetch first " + DECIDED_ROWS + " rows only";

    private static final String RUNNING = ActionRecord.RUNNING;
    private static final String INTERRUPTED = "INTERRUPTED";

    private final TransactionOperations<Connection> transactions;
    private final WriteFence fence;

    public JdbcHistoryStore(TransactionOperations<Connection> transactions) {
        this(transactions, WriteFence.NONE);
    }

    /** @param fence checked in the transaction of every write of a new decision or action (docs/ha.md) */
    @jakarta.inject.Inject
    public JdbcHistoryStore(TransactionOperations<Connection> transactions, WriteFence fence) {
        this.transactions = transactions;
        this.fence = Objects.requireNonNull(fence, "fence");
    }

    @Override
    public long saveDecision(DecisionRecord decision) {
        requireComplete(decision);
        return write(status -> insertDecision(status.getConnection(), decision, fence.check(status.getConnection())));
    }

    /** Stores decisions in one transaction and returns their ids, in order: a tick's decisions, committed once. */
    public List<Long> saveDecisions(List<DecisionRecord> decisions) {
        return saveAll(decisions, List.of());
    }

    /**
     * Stores decisions and actions in one transaction, each kind as one JDBC batch (the decisions first, so an
     * action may refer to a decision of the same call), and returns the decisions' ids in order: what the loop's
     * workers store at the same moment, committed once.
     */
    public List<Long> saveAll(List<DecisionRecord> decisions, List<ActionRecord> actions) {
        return saveAll(decisions, actions, List.of());
    }

    /**
     * {@link #saveAll(List, List)}, with for each decision (by position; fewer lists than decisions: none) the rows
     * of its ended run, stored with the decision's new id in the same batch as the other actions.
     */
    public List<Long> saveAll(List<DecisionRecord> decisions, List<ActionRecord> actions,
                              List<List<ActionRecord>> runRows) {
        decisions.forEach(JdbcHistoryStore::requireComplete);
        actions.forEach(JdbcHistoryStore::requireComplete);
        runRows.forEach(rows -> rows.forEach(JdbcHistoryStore::requireComplete));
        return write(status -> {
            Connection c = status.getConnection();
            List<Long> ids = insertDecisions(c, decisions, fence.check(c));
            List<ActionRecord> all = new ArrayList<>(actions);
            for (int i = 0; i < runRows.size(); i++) {
                for (ActionRecord a : runRows.get(i)) {
                    all.add(a.withDecisionId(ids.get(i)));
                }
            }
            insertActions(c, all);
            return ids;
        });
    }

    @Override
    public long saveDecisionWithActions(DecisionRecord decision, List<ActionRecord> actions) {
        requireComplete(decision);
        actions.forEach(JdbcHistoryStore::requireComplete);
        return write(status -> {
            Connection c = status.getConnection();
            long id = insertDecision(c, decision, fence.check(c));
            insertActions(c, actions.stream().map(a -> a.withDecisionId(id)).toList());
            return id;
        });
    }

    @Override
    public void saveAction(ActionRecord action) {
        requireComplete(action);
        write(status -> {
            fence.check(status.getConnection());
            return insertAction(status.getConnection(), action);
        });
    }

    @Override
    public Started saveDecisionStartingAction(DecisionRecord decision, ActionRecord running) {
        requireComplete(decision);
        requireComplete(running);
        return write(status -> {
            Connection c = status.getConnection();
            long decisionId = insertDecision(c, decision, fence.check(c));
            long actionId = insertAction(c, new ActionRecord(null, decisionId, running.target(), running.host(),
                    running.startedAt(), running.endedAt(), running.fromReplicas(), running.toReplicas(),
                    running.exitCode(), RUNNING, running.outputTail()));
            return new Started(decisionId, actionId);
        });
    }

    @Override
    public void finishAction(long runningActionId, List<ActionRecord> finished) {
        finished.forEach(JdbcHistoryStore::requireComplete);
        write(status -> {
            Connection c = status.getConnection();
            // INTERRUPTED too: a new leader may have closed the row while this run ended (docs/ha.md); the
            // outcome known here replaces that guess, so the run is in the history once
            try (PreparedStatement ps = c.prepareStatement("delete from action where id = ? and result in (?, ?)")) {
                ps.setLong(1, runningActionId);
                ps.setString(2, RUNNING);
                ps.setString(3, INTERRUPTED);
                ps.executeUpdate();
            }
            for (ActionRecord a : finished) {
                insertAction(c, a);
            }
            return null;
        });
    }

    @Override
    public List<ActionRecord> closeInterrupted(Instant now, String why) {
        Objects.requireNonNull(now, "now");
        return write(status -> {
            Connection c = status.getConnection();
            List<ActionRecord> running = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + HistoryRows.ACTION_COLUMNS
                    + " from action where result = ? order by id")) {
                ps.setString(1, RUNNING);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        running.add(HistoryRows.action(rs));
                    }
                }
            }
            List<ActionRecord> closed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("update action set result = ?, ended_at = ?,"
                    + " output_tail = ? where id = ? and result = ?")) {
                for (ActionRecord a : running) {
                    String tail = HistoryText.tail((a.outputTail() == null || a.outputTail().isEmpty() ? ""
                            : a.outputTail() + "\n") + why, HistoryText.OUTPUT_TAIL_MAX);
                    long ended = Math.max(now.toEpochMilli(), a.startedAt().toEpochMilli());
                    ps.setString(1, INTERRUPTED);
                    ps.setLong(2, ended);
                    ps.setString(3, tail);
                    ps.setLong(4, a.id());
                    ps.setString(5, RUNNING);
                    ps.executeUpdate();
                    closed.add(new ActionRecord(a.id(), a.decisionId(), a.target(), a.host(), a.startedAt(),
                            Instant.ofEpochMilli(ended), a.fromReplicas(), a.toReplicas(), null, INTERRUPTED, tail));
                }
            }
            return closed;
        });
    }

    private static long insertDecision(Connection c, DecisionRecord decision, Long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HistoryRows.INSERT_DECISION, Statement.RETURN_GENERATED_KEYS)) {
            HistoryRows.bindDecision(ps, decision, epoch);
            ps.executeUpdate();
            return generatedId(ps, "the decision of " + decision.target());
        }
    }

    private static long insertAction(Connection c, ActionRecord action) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HistoryRows.INSERT_ACTION, Statement.RETURN_GENERATED_KEYS)) {
            HistoryRows.bindAction(ps, action);
            ps.executeUpdate();
            return generatedId(ps, "an action of " + action.target());
        }
    }

    private static List<Long> insertDecisions(Connection c, List<DecisionRecord> decisions, Long epoch)
            throws SQLException {
        if (decisions.size() == 1) {
            return List.of(insertDecision(c, decisions.get(0), epoch));
        }
        List<Long> ids = new ArrayList<>(decisions.size());
        if (decisions.isEmpty()) {
            return ids;
        }
        try (PreparedStatement ps = c.prepareStatement(HistoryRows.INSERT_DECISION, Statement.RETURN_GENERATED_KEYS)) {
            for (DecisionRecord d : decisions) {
                HistoryRows.bindDecision(ps, d, epoch);
                ps.addBatch();
            }
            ps.executeBatch();
            // H2 and PostgreSQL both return a batch's keys in the order of its rows
            try (ResultSet keys = ps.getGeneratedKeys()) {
                while (keys.next()) {
                    ids.add(keys.getLong("id"));
                }
            }
        }
        if (ids.size() != decisions.size()) {
            throw new SQLException(ids.size() + " ids generated for a batch of " + decisions.size() + " decisions");
        }
        return ids;
    }

    private static void insertActions(Connection c, List<ActionRecord> actions) throws SQLException {
        if (actions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(HistoryRows.INSERT_ACTION)) {
            for (ActionRecord a : actions) {
                HistoryRows.bindAction(ps, a);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static long generatedId(PreparedStatement ps, String what) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("no id generated for " + what);
            }
            // by label: PostgreSQL returns every column, H2 only the identity
            return keys.getLong("id");
        }
    }

    static void requireComplete(DecisionRecord decision) {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(decision.target(), "decision.target");
        Objects.requireNonNull(decision.decidedAt(), "decision.decidedAt");
        Objects.requireNonNull(decision.outcome(), "decision.outcome");
    }

    static void requireComplete(ActionRecord action) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(action.target(), "action.target");
        Objects.requireNonNull(action.startedAt(), "action.startedAt");
        Objects.requireNonNull(action.endedAt(), "action.endedAt");
        Objects.requireNonNull(action.result(), "action.result");
    }

    @Override
    public DecisionHistory load(String target, Duration lookback, Instant now) {
        return memory(target, lookback, now).history(lookback, now);
    }

    /**
     * The decider's memory of a target as the history holds it at {@code now}, to be fed further as decisions
     * and actions happen ({@link WriteThroughHistoryStore}).
     */
    public DecisionMemory memory(String target, Duration lookback, Instant now) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(lookback, "lookback");
        Objects.requireNonNull(now, "now");
        // one read transaction, so the parts describe the same moment of the history. The queries only
        // select the rows that can matter; DecisionMemory applies the rules, the same code the backtest runs.
        return read(status -> {
            Connection c = status.getConnection();
            DecisionMemory memory = new DecisionMemory();
            feedRecommendations(c, target, now.minus(lookback), memory);
            feedReadings(c, target, memory);
            feedActions(c, target, memory);
            feedDecided(c, target, memory);
            return memory;
        });
    }

    @Override
    public List<HistoryEntry> recent(String target, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        int rows = Math.min(limit, MAX_ROWS);
        return read(status -> {
            Connection c = status.getConnection();
            Map<Long, DecisionRecord> decisions = recentDecisions(c, target, rows);
            Map<Long, List<ActionRecord>> actions = actionsOf(c, decisions.keySet());
            List<HistoryEntry> entries = new ArrayList<>(decisions.size());
            decisions.forEach((id, decision) ->
                    entries.add(new HistoryEntry(decision, actions.getOrDefault(id, List.of()))));
            return entries;
        });
    }

    @Override
    public Window window(String target, Instant from, Instant to, int maxActed) {
        Objects.requireNonNull(target, "target");
        if (maxActed < 0) {
            throw new IllegalArgumentException("maxActed must be at least 0, was " + maxActed);
        }
        return read(status -> {
            Connection c = status.getConnection();
            List<Point> points = new ArrayList<>();
            // only the four columns a chart draws: 7 days of 15 s ticks are 40,320 rows
            try (PreparedStatement ps = c.prepareStatement(WINDOW_POINTS)) {
                ps.setString(1, target);
                ps.setLong(2, from.toEpochMilli());
                ps.setLong(3, to.toEpochMilli());
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int observed = rs.getInt(2);
                        Integer o = rs.wasNull() ? null : observed;
                        double value = rs.getDouble(3);
                        Double v = rs.wasNull() ? null : value;
                        points.add(new Point(rs.getLong(1), o, v, rs.getInt(4)));
                    }
                }
            }
            Map<Long, DecisionRecord> acted = new LinkedHashMap<>();
            if (maxActed > 0) {
                try (PreparedStatement ps = c.prepareStatement(windowActed(maxActed))) {
                    ps.setString(1, target);
                    ps.setLong(2, from.toEpochMilli());
                    ps.setLong(3, to.toEpochMilli());
                    List<DecisionRecord> newestFirst = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            newestFirst.add(HistoryRows.decision(rs));
                        }
                    }
                    for (int i = newestFirst.size() - 1; i >= 0; i--) {
                        acted.put(newestFirst.get(i).id(), newestFirst.get(i));
                    }
                }
            }
            Map<Long, List<ActionRecord>> actions = actionsOf(c, acted.keySet());
            List<HistoryEntry> entries = new ArrayList<>(acted.size());
            acted.forEach((id, d) -> entries.add(new HistoryEntry(d, actions.getOrDefault(id, List.of()))));
            return new Window(points, entries);
        });
    }

    @Override
    public int purgeOlderThan(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return write(status -> {
            // actions follow through "on delete cascade", in the same statement
            try (PreparedStatement ps = status.getConnection()
                    .prepareStatement("delete from decision where decided_at < ?")) {
                ps.setLong(1, cutoff.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    private <R> R write(TransactionCallback<Connection, R> work) {
        return unchecked(() -> transactions.executeWrite(work));
    }

    private <R> R read(TransactionCallback<Connection, R> work) {
        return unchecked(() -> transactions.executeRead(work));
    }

    /**
     * The transaction manager rolls back and rethrows the callback's SQLException as is, a checked
     * exception the interface does not declare; callers get an unchecked one instead.
     */
    private static <R> R unchecked(Supplier<R> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DatabaseException("history database: " + e.getMessage(), e);
        }
    }

    private static void feedRecommendations(Connection c, String target, Instant since, DecisionMemory memory)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(RECOMMENDATIONS_SINCE)) {
            ps.setString(1, target);
            ps.setLong(2, since.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    memory.recommendation(HistoryRows.instant(rs, "decided_at"), rs.getInt("recommendation"));
                }
            }
        }
    }

    /**
     * The newest {@link #MAX_ROWS} metric states, fed oldest first: enough to count a run of failed
     * readings up to that bound. Null states (none recorded) are skipped.
     */
    private static void feedReadings(Connection c, String target, DecisionMemory memory) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NEWEST_READINGS)) {
            ps.setString(1, target);
            List<MetricState> newestFirst = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    newestFirst.add(MetricState.valueOf(rs.getString("metric_state")));
                }
            }
            Collections.reverse(newestFirst);
            newestFirst.forEach(memory::reading);
        }
    }

    /** An action row as the memory needs it; {@code id} orders actions that ended in the same millisecond. */
    private record ActionRow(long id, Instant endedAt, int from, int to, DecisionMemory.ActionResult result) {
    }

    /**
     * The rows that can matter, fed oldest first: the newest cooldown-starting action of each direction
     * (a cooldown may be longer than any window, so these are not bounded by time), and the newest
     * {@link #MAX_ROWS} successes and failures, enough to count a run of failures up to that bound.
     * For a fleet each host's action row counts on its own.
     */
    private static void feedActions(Connection c, String target, DecisionMemory memory) throws SQLException {
        Map<Long, ActionRow> rows = new HashMap<>();
        selectActions(c, NEWEST_SCALE_UP, target, rows);
        selectActions(c, NEWEST_SCALE_DOWN, target, rows);
        selectActions(c, NEWEST_RESULTS, target, rows);
        rows.values().stream()
                .sorted(Comparator.comparing(ActionRow::endedAt).thenComparingLong(ActionRow::id))
                .forEach(r -> memory.action(r.endedAt(), r.from(), r.to(), r.result()));
    }

    /**
     * The count the newest successful actions set, oldest first: an action's own target count, or for a
     * fleet's host row the decided total of its decision (its host rows count once).
     */
    private static void feedDecided(Connection c, String target, DecisionMemory memory) throws SQLException {
        record Decided(long decisionId, Instant endedAt, int replicas) {
        }
        List<Decided> newestFirst = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(NEWEST_DECIDED)) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    newestFirst.add(new Decided(rs.getLong("decision_id"), HistoryRows.instant(rs, "ended_at"),
                            rs.getInt("decided")));
                }
            }
        }
        Long previous = null;
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Decided d = newestFirst.get(i);
            if (!Long.valueOf(d.decisionId()).equals(previous)) {
                memory.decided(d.endedAt(), d.replicas());
            }
            previous = d.decisionId();
        }
    }

    private static void selectActions(Connection c, String sql, String target, Map<Long, ActionRow> into)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong("id");
                    into.put(id, new ActionRow(id, HistoryRows.instant(rs, "ended_at"), rs.getInt("from_replicas"),
                            rs.getInt("to_replicas"), DecisionMemory.ActionResult.valueOf(rs.getString("result"))));
                }
            }
        }
    }

    /** A target's (or, not {@code oneTarget}, every target's) newest decisions, newest first. */
    static String newestDecisions(boolean oneTarget, int rows) {
        return "select " + HistoryRows.DECISION_COLUMNS + " from decision"
                + (oneTarget ? " where target = ? order by target desc," : " order by")
                + " decided_at desc, id desc fetch first " + rows + " rows only";
    }

    /** The newest decisions of a target in a time window that caused actions, newest first. */
    static String windowActed(int rows) {
        return "select " + HistoryRows.DECISION_COLUMNS + " from decision d"
                + " where target = ? and decided_at >= ? and decided_at <= ?"
                + " and exists (select 1 from action a where a.decision_id = d.id)"
                + " order by target desc, decided_at desc, id desc fetch first " + rows + " rows only";
    }

    /** Newest first, keyed by id in that order. */
    private static Map<Long, DecisionRecord> recentDecisions(Connection c, String target, int rows)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(newestDecisions(target != null, rows))) {
            if (target != null) {
                ps.setString(1, target);
            }
            Map<Long, DecisionRecord> result = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DecisionRecord decision = HistoryRows.decision(rs);
                    result.put(decision.id(), decision);
                }
            }
            return result;
        }
    }

    /** Actions of the given decisions, each list in the order they ran. */
    private static Map<Long, List<ActionRecord>> actionsOf(Connection c, Iterable<Long> decisionIds)
            throws SQLException {
        List<Long> ids = new ArrayList<>();
        decisionIds.forEach(ids::add);
        if (ids.isEmpty()) {
            return Map.of();
        }
        String placeholders = String.join(", ", Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("select " + HistoryRows.ACTION_COLUMNS + " from action"
                + " where decision_id in (" + placeholders + ") order by started_at, id")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setLong(i + 1, ids.get(i));
            }
            Map<Long, List<ActionRecord>> result = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ActionRecord action = HistoryRows.action(rs);
                    result.computeIfAbsent(action.decisionId(), id -> new ArrayList<>()).add(action);
                }
            }
            return result;
        }
    }
}
