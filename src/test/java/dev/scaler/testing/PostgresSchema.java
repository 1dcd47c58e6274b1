package dev.scaler.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * A schema of its own in the test environment's real PostgreSQL (scripts/test-env.sh), so test classes that share
 * the database do not see each other's rows; and plain SQL in a context's transaction, for what a test checks
 * beside the store's own queries.
 */
public final class PostgresSchema {

    private PostgresSchema() {
    }

    /** Drops {@code schema} and returns a context's datasource and Flyway properties for it (a mutable map). */
    public static Map<String, Object> fresh(String schema) {
        String url = RealParts.requirePostgres();
        drop(schema);
        return properties(url, schema);
    }

    /** A context's datasource and Flyway properties for {@code schema} of the database at {@code url} (mutable). */
    public static Map<String, Object> properties(String url, String schema) {
        Map<String, Object> p = new HashMap<>();
        p.put("datasources.default.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        p.put("datasources.default.username", "scaler");
        p.put("datasources.default.password", "scaler");
        p.put("datasources.default.dialect", "POSTGRES");
        p.put("flyway.datasources.default.schemas", schema);
        p.put("flyway.datasources.default.default-schema", schema);
        return p;
    }

    public static void drop(String schema) {
        try (Connection c = DriverManager.getConnection(RealParts.requirePostgres(), "scaler", "scaler");
             Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop schema " + schema, e);
        }
    }

    /** Work on a JDBC connection that may throw. */
    public interface SqlWork<R> {
        R run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in a write transaction of {@code context}'s datasource (H2 or PostgreSQL). */
    @SuppressWarnings("unchecked")
    public static <R> R sql(ApplicationContext context, SqlWork<R> work) {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        return tx.executeWrite(status -> {
            try {
                return work.run(status.getConnection());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
