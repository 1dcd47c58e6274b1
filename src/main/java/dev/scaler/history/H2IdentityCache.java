package dev.scaler.history;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Lets an H2 history hand out the ids of its decisions and actions from a cache of {@link #CACHE} instead of
 * H2's 32. H2 keeps an identity column's next value in its store and saves it, in a commit of its own, each
 * time the cache runs out: with the write delay at 0 ({@link DurableCommits}) that is a chunk written to the file
 * every 32 rows, about 60 in a dry-run tick of 1,000 targets (2,000 rows), more than the tick's own commits. A
 * killed Scaler skips at most the rest of a cache of ids; nothing reads meaning into their gaps, and the rows are
 * ordered by time. PostgreSQL is left alone: its cache is per connection, so ids would no longer follow the
 * order of the inserts. Applied by {@link SchemaMigrationRunner}, to an H2 history only, once the schema is
 * current; a no-op when the cache is already set (it is part of the schema, kept in the file).
 */
final class H2IdentityCache {

    static final int CACHE = 1000;
    private static final List<String> TABLES = List.of("DECISION", "ACTION");
    private static final Logger LOG = LoggerFactory.getLogger(H2IdentityCache.class);

    private H2IdentityCache() {
    }

    static void apply(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            for (String table : TABLES) {
                long was = cache(c, table);
                if (was == CACHE || was < 0) {
                    continue; // set already, or no such table (a data source without the history)
                }
                try (Statement s = c.createStatement()) {
                    // fixed names only: nothing from configuration or input reaches this statement
                    s.execute("alter table " + table + " alter column id set cache " + CACHE);
                }
                LOG.info("H2 history: ids of table {} handed out from a cache of {} (was {})",
                        table.toLowerCase(java.util.Locale.ROOT), CACHE, was);
            }
        } catch (SQLException e) {
            // not fatal: the history works, each 32nd insert only costs a write of its own
            LOG.warn("H2 history: could not set the id cache to {} ({}); every 32nd row costs a write of its own",
                    CACHE, e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The identity cache of the table's id column in the current schema; -1 when there is no such column. */
    static long cache(Connection c, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select identity_cache from information_schema.columns"
                + " where table_schema = current_schema and table_name = ? and column_name = 'ID'")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
