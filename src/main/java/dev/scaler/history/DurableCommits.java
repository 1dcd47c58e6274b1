package dev.scaler.history;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes every commit to an H2 history reach its file before the commit returns. H2 by default writes
 * committed changes in the background, up to 500 ms later (its {@code WRITE_DELAY}), so a Scaler killed with
 * -9 just after recording a {@code RUNNING} action lost that row: the restart then had nothing to close as
 * {@code INTERRUPTED} although a playbook had run (docs/history.md, "Durability"). {@code SET WRITE_DELAY 0}
 * makes H2 write at each commit; it is a database setting, so it holds for every connection of the pool.
 * The write goes to the operating system, which keeps it through a killed process; surviving a power cut
 * would need an fsync per commit, which H2 does not offer. PostgreSQL is durable by itself and left alone.
 * Applied by {@link SchemaMigrationRunner}, to an H2 history only, when it first opens it, before anything is
 * written: after the first HTTP answer in the service, so the H2 engine is not loaded while the service starts.
 */
final class DurableCommits {

    private static final Logger LOG = LoggerFactory.getLogger(DurableCommits.class);

    private DurableCommits() {
    }

    /** Sets the write delay of an H2 history to 0. */
    static void apply(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET WRITE_DELAY 0");
            LOG.debug("H2 history: write delay 0, each commit reaches the file before it returns");
        } catch (SQLException e) {
            // not fatal: the history works, only a kill -9 may lose the last half second of it
            LOG.warn("H2 history: could not set WRITE_DELAY 0 ({}); a killed Scaler may lose up to 500 ms of "
                    + "recorded history. Add ;WRITE_DELAY=0 to datasources.default.url or connect as an admin user",
                    e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
