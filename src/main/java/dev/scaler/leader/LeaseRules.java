package dev.scaler.leader;

import java.time.Duration;
import java.util.Objects;

/**
 * The lease's rules, as pure functions of their inputs (docs/ha.md): who gets the lease row at a given database
 * time, and until when, by its own monotonic clock, a leader may act on a renewal. No I/O; table-tested in
 * LeaseRulesTest.
 */
public final class LeaseRules {

    /** Renewals (and a standby's attempts) come every quarter of the lease. */
    static final int ATTEMPTS_PER_LEASE = 4;

    private LeaseRules() {
    }

    /**
     * The lease row as stored; instants are the database's epoch milliseconds.
     *
     * @param holder    the instance holding (or that last held) the lease; null before anyone led
     * @param epoch     the fencing token of the holder's term, one more at every change of holder
     * @param failovers how many times the lease went from one term to another
     */
    public record Row(String holder, String holderUrl, long epoch, long acquiredAt, long renewedAt, long expiresAt,
                      long failovers) {

        static Row empty() {
            return new Row(null, null, 0, 0, 0, 0, 0);
        }
    }

    public enum Kind {
        /** This instance held the lease in the term it knows, unexpired: the term goes on. */
        RENEWED,
        /** The lease was free or had expired: this instance starts a new term, with a new epoch. */
        ACQUIRED,
        /** Another term holds it and has not expired. */
        HELD
    }

    /** The row to write (the same row when {@link Kind#HELD}) and why. */
    public record Claim(Kind kind, Row row) {
    }

    /**
     * @param myEpoch the epoch of the term this instance believes it holds; 0 when none. A term of the same
     *                instance id but another epoch (a restarted instance with a fixed id) is another holder's,
     *                and is taken over only once it expires
     */
    public static Claim claim(Row row, String me, String myUrl, long myEpoch, long dbNow, Duration lease) {
        Objects.requireNonNull(row, "row");
        long expires = dbNow + lease.toMillis();
        boolean mine = me.equals(row.holder()) && row.epoch() == myEpoch && myEpoch > 0;
        if (mine && row.expiresAt() > dbNow) {
            return new Claim(Kind.RENEWED, new Row(me, myUrl, row.epoch(), row.acquiredAt(), dbNow, expires,
                    row.failovers()));
        }
        if (row.holder() == null || row.expiresAt() <= dbNow) {
            long failovers = row.holder() == null ? row.failovers() : row.failovers() + 1;
            return new Claim(Kind.ACQUIRED, new Row(me, myUrl, row.epoch() + 1, dbNow, dbNow, expires, failovers));
        }
        return new Claim(Kind.HELD, row);
    }

    /**
     * Until when (monotonic nanoseconds) a renewal attempted at {@code attemptStartNanos} lets the leader act.
     * The database set the expiry to its clock at some moment after the attempt started plus the lease, so
     * with clocks that run at the same rate the leader's own deadline comes first; the last quarter is left for
     * killing what runs and for the two clocks' rates to differ (docs/ha.md).
     */
    public static long actUntil(long attemptStartNanos, Duration lease) {
        return attemptStartNanos + lease.toNanos() - lease.toNanos() / ATTEMPTS_PER_LEASE;
    }

    /** The pause between two attempts to renew or acquire. */
    public static Duration attemptEvery(Duration lease) {
        return lease.dividedBy(ATTEMPTS_PER_LEASE);
    }
}
