package dev.scaler.control;

import dev.scaler.testing.PostgresSchema;
import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The control table's portable SQL on both databases Scaler supports, migrated by Flyway (V2). */
class ControlStoreTest {

    static final String SCHEMA = "control_test";

    static Map<String, Object> database(String kind) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("flyway.datasources.default.enabled", true);
        if (kind.equals("h2")) {
            p.put("datasources.default.url", "jdbc:h2:mem:control-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            p.put("datasources.default.driver-class-name", "org.h2.Driver");
            p.put("datasources.default.username", "sa");
            p.put("datasources.default.password", "");
            p.put("datasources.default.dialect", "H2");
            return p;
        }
        p.putAll(PostgresSchema.fresh(SCHEMA));
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void pauseAndOverrideAreStoredReadAndCleared(String kind) throws Exception {
        try (ApplicationContext context = ApplicationContext.run(database(kind))) {
            ControlStore store = context.getBean(ControlStore.class);
            Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);

            assertThat(store.get("web")).isEqualTo(TargetControl.NONE);
            assertThat(store.update("web", c -> c.pause("migration", at)))
                    .isEqualTo(new TargetControl(true, "migration", at, null));
            assertThat(store.update("web", c -> c.withDryRun(true)))
                    .isEqualTo(new TargetControl(true, "migration", at, true));
            assertThat(store.get("web")).isEqualTo(new TargetControl(true, "migration", at, true));
            assertThat(store.get("other")).isEqualTo(TargetControl.NONE);
            assertThat(store.update("web", TargetControl::resume)).isEqualTo(new TargetControl(false, null, null, true));
            assertThat(store.update("web", c -> c.withDryRun(false)).dryRunOverride()).isFalse();
            assertThat(store.get("web")).isEqualTo(new TargetControl(false, null, null, false));
        }
    }

    /** Every evaluation asks for its target's control: a tick must not read the database for it. */
    @Test
    void eachTargetIsReadOnceThenKeptAndARestartReadsTheRowsAgain(@TempDir Path dir) throws Exception {
        Map<String, Object> p = database("h2");
        p.put("datasources.default.url", "jdbc:h2:file:" + dir.resolve("history").toAbsolutePath()
                + ";AUTO_SERVER=FALSE");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (ApplicationContext context = ApplicationContext.run(p)) {
            ControlStore store = context.getBean(ControlStore.class);
            assertThat(store.get("web")).isEqualTo(TargetControl.NONE);
            // a row written behind the store's back (never done by Scaler, whose store is the only writer) is not
            // seen: the first answer is kept, so the database is not read again
            @SuppressWarnings("unchecked")
            TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
            tx.executeWrite(status -> {
                try (Statement s = status.getConnection().createStatement()) {
                    s.executeUpdate("insert into target_control (target, paused, paused_reason, paused_at, dry_run,"
                            + " updated_at) values ('web', true, 'by hand', " + at.toEpochMilli() + ", null, "
                            + at.toEpochMilli() + ")");
                }
                return null;
            });
            assertThat(store.get("web")).isEqualTo(TargetControl.NONE);
            // an update is kept as committed
            assertThat(store.get("api")).isEqualTo(TargetControl.NONE);
            store.update("api", c -> c.pause("migration", at));
            assertThat(store.get("api")).isEqualTo(new TargetControl(true, "migration", at, null));
        }
        try (ApplicationContext restarted = ApplicationContext.run(p)) {
            ControlStore store = restarted.getBean(ControlStore.class);
            assertThat(store.get("api")).isEqualTo(new TargetControl(true, "migration", at, null));
            assertThat(store.get("web")).isEqualTo(new TargetControl(true, "by hand", at, null));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theGlobalDryRunAlwaysWinsAndTheOverrideReplacesTheTargets(boolean configured) {
        assertThat(TargetControl.NONE.dryRun(false, configured)).isEqualTo(configured);
        assertThat(TargetControl.NONE.withDryRun(true).dryRun(false, configured)).isTrue();
        assertThat(TargetControl.NONE.withDryRun(false).dryRun(false, configured)).isFalse();
        assertThat(TargetControl.NONE.withDryRun(false).dryRun(true, configured)).isTrue();
        assertThat(TargetControl.NONE.pausedNote()).isEmpty();
        assertThat(TargetControl.NONE.pause(" ", Instant.EPOCH).pausedNote())
                .isEqualTo("; paused by API (no reason given): nothing is executed");
    }
}
