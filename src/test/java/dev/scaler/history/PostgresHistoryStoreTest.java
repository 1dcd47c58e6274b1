package dev.scaler.history;

import dev.scaler.testing.RealParts;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Against the real PostgreSQL of scripts/test-env.sh, in a schema of its own that is dropped first:
 * Flyway then migrates from empty, and other tests sharing the database are not disturbed.
 */
class PostgresHistoryStoreTest extends AbstractHistoryStoreTest {

    private static final String SCHEMA = "history_test";

    @Override
    Map<String, Object> databaseProperties() {
        String url = RealParts.requirePostgres();
        dropSchema(url);
        String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
        Map<String, Object> p = new HashMap<>();
        p.put("datasources.default.url", schemaUrl);
        p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        p.put("datasources.default.username", "scaler");
        p.put("datasources.default.password", "scaler");
        p.put("datasources.default.dialect", "POSTGRES");
        p.put("flyway.datasources.default.schemas", SCHEMA);
        p.put("flyway.datasources.default.default-schema", SCHEMA);
        return p;
    }

    private static void dropSchema(String url) {
        try (Connection c = DriverManager.getConnection(url, "scaler", "scaler");
             Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + SCHEMA + " cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset schema " + SCHEMA, e);
        }
    }
}
