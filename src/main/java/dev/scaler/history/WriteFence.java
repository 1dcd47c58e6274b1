package dev.scaler.history;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Checked inside the transaction of every history write that records a new decision or action (fencing,
 * docs/ha.md): with several Scaler instances on one PostgreSQL, only the instance that holds the leader lease
 * at the database's own clock may write, and its rows carry the lease's epoch. A lone instance has no fence.
 */
public interface WriteFence {

    /**
     * @return the epoch (fencing token) to store with the rows; null for a lone instance
     * @throws SQLException (rolling the write back) when this instance does not hold the lease now
     */
    Long check(Connection connection) throws SQLException;

    /**
     * False while this instance does not write (a standby): the decider's memory kept in process would miss the
     * leader's rows, so every read goes to the database.
     */
    default boolean writes() {
        return true;
    }

    /** The fence of a lone instance: every write passes, no epoch. */
    WriteFence NONE = connection -> null;
}
