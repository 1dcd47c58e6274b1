package dev.scaler.history;

import dev.scaler.testing.PostgresSchema;

import java.util.Map;

/**
 * Against the real PostgreSQL of scripts/test-env.sh, in a schema of its own that is dropped first:
 * Flyway then migrates from empty, and other tests sharing the database are not disturbed.
 */
class PostgresHistoryStoreTest extends AbstractHistoryStoreTest {

    @Override
    Map<String, Object> databaseProperties() {
        return PostgresSchema.fresh("history_test");
    }
}
