package dev.scaler.history;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * Column lists and row mapping for the decision and action tables, kept apart from the queries.
 * Instants are epoch milliseconds (see V1__history.sql for why).
 */
final class HistoryRows {

    static final String DECISION_COLUMNS = "id, target, tick_id, decided_at, observed, metric_state, metric_value,"
            + " metric_detail, raw, after_tolerance, stabilized, limited, final_replicas, recommendation, outcome,"
            + " reason, dry_run";

    static final String INSERT_DECISION = "insert into decision (target, tick_id, decided_at, observed, metric_state,"
            + " metric_value, metric_detail, raw, after_tolerance, stabilized, limited, final_replicas, recommendation,"
            + " outcome, reason, dry_run, leader_epoch) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String ACTION_COLUMNS = "id, decision_id, target, host, started_at, ended_at, from_replicas,"
            + " to_replicas, exit_code, result, output_tail";

    static final String INSERT_ACTION = "insert into action (decision_id, target, host, started_at, ended_at,"
            + " from_replicas, to_replicas, exit_code, result, output_tail) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private HistoryRows() {
    }

    /** @param epoch the leader's fencing token the row is written under; null for a lone instance */
    static void bindDecision(PreparedStatement ps, DecisionRecord d, Long epoch) throws SQLException {
        ps.setString(1, d.target());
        ps.setString(2, d.tickId());
        ps.setLong(3, d.decidedAt().toEpochMilli());
        setInteger(ps, 4, d.observed());
        ps.setString(5, d.metricState());
        if (d.metricValue() == null) {
            ps.setNull(6, Types.DOUBLE);
        } else {
            ps.setDouble(6, d.metricValue());
        }
        ps.setString(7, HistoryText.head(d.metricDetail(), HistoryText.DETAIL_MAX));
        setInteger(ps, 8, d.raw());
        setInteger(ps, 9, d.afterTolerance());
        setInteger(ps, 10, d.stabilized());
        setInteger(ps, 11, d.limited());
        ps.setInt(12, d.finalReplicas());
        setInteger(ps, 13, d.recommendation());
        ps.setString(14, d.outcome());
        ps.setString(15, HistoryText.head(d.reason(), HistoryText.REASON_MAX));
        ps.setBoolean(16, d.dryRun());
        if (epoch == null) {
            ps.setNull(17, Types.BIGINT);
        } else {
            ps.setLong(17, epoch);
        }
    }

    static void bindAction(PreparedStatement ps, ActionRecord a) throws SQLException {
        ps.setLong(1, a.decisionId());
        ps.setString(2, a.target());
        ps.setString(3, a.host());
        ps.setLong(4, a.startedAt().toEpochMilli());
        ps.setLong(5, a.endedAt().toEpochMilli());
        ps.setInt(6, a.fromReplicas());
        ps.setInt(7, a.toReplicas());
        setInteger(ps, 8, a.exitCode());
        ps.setString(9, a.result());
        ps.setString(10, HistoryText.tail(a.outputTail(), HistoryText.OUTPUT_TAIL_MAX));
    }

    static DecisionRecord decision(ResultSet rs) throws SQLException {
        return new DecisionRecord(
                rs.getLong("id"),
                rs.getString("target"),
                rs.getString("tick_id"),
                instant(rs, "decided_at"),
                integer(rs, "observed"),
                rs.getString("metric_state"),
                doubleOrNull(rs, "metric_value"),
                rs.getString("metric_detail"),
                integer(rs, "raw"),
                integer(rs, "after_tolerance"),
                integer(rs, "stabilized"),
                integer(rs, "limited"),
                rs.getInt("final_replicas"),
                integer(rs, "recommendation"),
                rs.getString("outcome"),
                rs.getString("reason"),
                rs.getBoolean("dry_run"));
    }

    static ActionRecord action(ResultSet rs) throws SQLException {
        return new ActionRecord(
                rs.getLong("id"),
                rs.getLong("decision_id"),
                rs.getString("target"),
                rs.getString("host"),
                instant(rs, "started_at"),
                instant(rs, "ended_at"),
                rs.getInt("from_replicas"),
                rs.getInt("to_replicas"),
                integer(rs, "exit_code"),
                rs.getString("result"),
                rs.getString("output_tail"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }
}
