package dev.scaler.control;

import dev.scaler.history.DatabaseException;
import io.micronaut.transaction.TransactionCallback;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The durable {@link TargetControl} of each target, in the history database (table {@code target_control},
 * migration V2). Plain portable SQL for the same reason as {@code JdbcHistoryStore}: H2 or PostgreSQL is
 * chosen at deploy time. A target without a row has {@link TargetControl#NONE}.
 *
 * <p>Every evaluation asks for its target's control, so the values are kept in process: a target's row is read
 * once, at its first {@link #get} after a start, and every {@link #update} (the only writer) replaces the kept
 * value after its commit. A tick therefore reads nothing from the database; a restart reads the rows again.
 */
@Singleton
public class ControlStore implements TargetControls {

    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    /** The committed control of each target read or written since start. */
    private final Map<String, TargetControl> known = new ConcurrentHashMap<>();

    public ControlStore(TransactionOperations<Connection> transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public TargetControl get(String target) {
        Objects.requireNonNull(target, "target");
        // computeIfAbsent holds the key while reading, so an update committing meanwhile replaces what it read
        return known.computeIfAbsent(target,
                t -> call(() -> transactions.executeRead(status -> read(status.getConnection(), t))));
    }

    /**
     * This instance took the lead (docs/ha.md): the previous leader may have changed any control, so each is read
     * again at its next {@link #get}.
     */
    @io.micronaut.runtime.event.annotation.EventListener
    void onLeadership(dev.scaler.leader.LeadershipChange change) {
        known.clear();
    }

    /** Reads, changes and writes one target's control in one transaction; returns the new value. */
    public synchronized TargetControl update(String target, UnaryOperator<TargetControl> change) {
        Objects.requireNonNull(target, "target");
        TransactionCallback<Connection, TargetControl> work = status -> {
            Connection c = status.getConnection();
            TargetControl next = change.apply(read(c, target));
            write(c, target, next);
            return next;
        };
        TargetControl next = call(() -> transactions.executeWrite(work));
        known.put(target, next);
        return next;
    }

    private static TargetControl read(Connection c, String target) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select paused, paused_reason, paused_at, dry_run from target_control where target = ?")) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return TargetControl.NONE;
                }
                long pausedAt = rs.getLong("paused_at");
                Instant at = rs.wasNull() ? null : Instant.ofEpochMilli(pausedAt);
                boolean dryRun = rs.getBoolean("dry_run");
                Boolean override = rs.wasNull() ? null : dryRun;
                return new TargetControl(rs.getBoolean("paused"), rs.getString("paused_reason"), at, override);
            }
        }
    }

    private void write(Connection c, String target, TargetControl v) throws java.sql.SQLException {
        // update, then insert when there was no row: portable where MERGE and ON CONFLICT are not
        try (PreparedStatement ps = c.prepareStatement("update target_control set paused = ?, paused_reason = ?,"
                + " paused_at = ?, dry_run = ?, updated_at = ? where target = ?")) {
            bind(ps, v);
            ps.setString(6, target);
            if (ps.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into target_control (paused, paused_reason, paused_at,"
                + " dry_run, updated_at, target) values (?, ?, ?, ?, ?, ?)")) {
            bind(ps, v);
            ps.setString(6, target);
            ps.executeUpdate();
        }
    }

    private void bind(PreparedStatement ps, TargetControl v) throws java.sql.SQLException {
        ps.setBoolean(1, v.paused());
        ps.setString(2, v.pausedReason());
        if (v.pausedAt() == null) {
            ps.setNull(3, Types.BIGINT);
        } else {
            ps.setLong(3, v.pausedAt().toEpochMilli());
        }
        if (v.dryRunOverride() == null) {
            ps.setNull(4, Types.BOOLEAN);
        } else {
            ps.setBoolean(4, v.dryRunOverride());
        }
        ps.setLong(5, clock.millis());
    }

    private interface Call<R> {
        R run() throws Exception;
    }

    private static <R> R call(Call<R> call) {
        try {
            return call.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DatabaseException("control database: " + e.getMessage(), e);
        }
    }
}
