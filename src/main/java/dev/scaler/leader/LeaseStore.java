package dev.scaler.leader;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The lease row and the leader events in PostgreSQL (V3__leader_lease.sql). Every instant is the database's
 * clock ({@code clock_timestamp()}), so the instances' own clocks never have to agree. Each call is one short
 * transaction whose waits are bounded by the lease ({@code lock_timeout}, {@code statement_timeout},
 * {@code idle_in_transaction_session_timeout}), so neither a slow database nor a partitioned holder of a row lock
 * can hold the lease hostage for longer.
 */
@Singleton
public class LeaseStore {

    static final String NAME = "scaler";
    private static final String DB_NOW = "cast(extract(epoch from clock_timestamp()) * 1000 as bigint)";

    private final TransactionOperations<Connection> transactions;

    public LeaseStore(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /** What a claim found and wrote, with the database's time of it. */
    public record Result(LeaseRules.Claim claim, long dbNow) {
    }

    public Result claim(String me, String myUrl, long myEpoch, Duration lease) throws SQLException {
        return call(() -> transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            bound(c, lease);
            try (PreparedStatement ps = c.prepareStatement("insert into leader_lease (name, holder, holder_url, epoch,"
                    + " acquired_at, renewed_at, expires_at, failovers) values (?, null, null, 0, 0, 0, 0, 0)"
                    + " on conflict (name) do nothing")) {
                ps.setString(1, NAME);
                ps.executeUpdate();
            }
            LeaseRules.Row row;
            long now;
            try (PreparedStatement ps = c.prepareStatement("select holder, holder_url, epoch, acquired_at, renewed_at,"
                    + " expires_at, failovers, " + DB_NOW + " as db_now from leader_lease where name = ? for update")) {
                ps.setString(1, NAME);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    row = new LeaseRules.Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7));
                    now = rs.getLong(8);
                }
            }
            LeaseRules.Claim claim = LeaseRules.claim(row, me, myUrl, myEpoch, now, lease);
            if (claim.kind() != LeaseRules.Kind.HELD) {
                LeaseRules.Row n = claim.row();
                try (PreparedStatement ps = c.prepareStatement("update leader_lease set holder = ?, holder_url = ?,"
                        + " epoch = ?, acquired_at = ?, renewed_at = ?, expires_at = ?, failovers = ? where name = ?")) {
                    ps.setString(1, n.holder());
                    ps.setString(2, n.holderUrl());
                    ps.setLong(3, n.epoch());
                    ps.setLong(4, n.acquiredAt());
                    ps.setLong(5, n.renewedAt());
                    ps.setLong(6, n.expiresAt());
                    ps.setLong(7, n.failovers());
                    ps.setString(8, NAME);
                    ps.executeUpdate();
                }
            }
            if (claim.kind() == LeaseRules.Kind.ACQUIRED) {
                String reason = row.holder() == null ? "the first leader"
                        : "took over from " + row.holder() + " (epoch " + row.epoch() + ") whose lease expired "
                        + (now - row.expiresAt()) + "ms before";
                insertEvent(c, me, claim.row().epoch(), "ACQUIRED", reason);
            }
            return new Result(claim, now);
        }));
    }

    /**
     * The fence (docs/ha.md): in the caller's transaction, the lease row is read with a share lock, so a takeover
     * waits until this transaction ends; it must be this term's and unexpired at the database's time.
     */
    void fence(Connection c, String me, long epoch, Duration lease) throws SQLException {
        bound(c, lease);
        try (PreparedStatement ps = c.prepareStatement("select holder, epoch, expires_at - " + DB_NOW
                + " from leader_lease where name = ? for share")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("not the leader: no lease row");
                }
                String holder = rs.getString(1);
                long held = rs.getLong(2);
                long left = rs.getLong(3);
                if (!me.equals(holder) || held != epoch || left <= 0) {
                    throw new SQLException("not the leader: instance " + me + " (epoch " + epoch + ") is fenced off:"
                            + " the lease is " + holder + "'s, epoch " + held + (left <= 0 ? ", expired "
                            + -left + "ms ago" : ""));
                }
            }
        }
    }

    /** Ends this term at once (a graceful stop), so a standby takes over at its next attempt. */
    public boolean release(String me, long epoch, String reason, Duration lease) throws SQLException {
        return call(() -> transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            bound(c, lease);
            int n;
            try (PreparedStatement ps = c.prepareStatement("update leader_lease set expires_at = " + DB_NOW
                    + " where name = ? and holder = ? and epoch = ?")) {
                ps.setString(1, NAME);
                ps.setString(2, me);
                ps.setLong(3, epoch);
                n = ps.executeUpdate();
            }
            if (n > 0) {
                insertEvent(c, me, epoch, "RELEASED", reason);
            }
            return n > 0;
        }));
    }

    /** Records why this instance stopped leading (written once the database can be reached). */
    public void lost(String me, long epoch, String reason, Duration lease) throws SQLException {
        call(() -> transactions.executeWrite(status -> {
            bound(status.getConnection(), lease);
            insertEvent(status.getConnection(), me, epoch, "LOST", reason);
            return null;
        }));
    }

    private static void insertEvent(Connection c, String instance, long epoch, String event, String reason)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into leader_event (at, instance, epoch, event, reason)"
                + " values (" + DB_NOW + ", ?, ?, ?, ?)")) {
            ps.setString(1, instance);
            ps.setLong(2, epoch);
            ps.setString(3, event);
            ps.setString(4, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
            ps.executeUpdate();
        }
    }

    /** No wait in these transactions may outlast half a lease. */
    private static void bound(Connection c, Duration lease) throws SQLException {
        long ms = Math.max(100, lease.toMillis() / 2);
        try (Statement s = c.createStatement()) {
            s.execute("set local lock_timeout = " + ms);
            s.execute("set local statement_timeout = " + ms);
            s.execute("set local idle_in_transaction_session_timeout = " + ms);
        }
    }

    private interface Call<R> {
        R run() throws Exception;
    }

    private static <R> R call(Call<R> call) throws SQLException {
        try {
            return call.run();
        } catch (SQLException | RuntimeException e) {
            throw e instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
        } catch (Exception e) {
            throw new SQLException(e.getMessage(), e);
        }
    }
}
