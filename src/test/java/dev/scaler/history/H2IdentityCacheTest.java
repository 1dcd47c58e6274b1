package dev.scaler.history;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.scaler.history.AbstractHistoryStoreTest.decision;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An H2 history hands out its ids from a cache of 1,000 once its schema is current, on a new database and on
 * one migrated by an older Scaler (H2's 32), and keeps it across restarts; ids stay unique and rising.
 */
class H2IdentityCacheTest {

    @TempDir
    Path data;

    @Test
    void aNewHistoryAndARestartedOneHandOutIdsFromACacheOf1000() throws Exception {
        String url = "jdbc:h2:file:" + data.resolve("history").toAbsolutePath() + ";AUTO_SERVER=FALSE";
        long first;
        try (ApplicationContext context = ApplicationContext.run(settings(url))) {
            first = context.getBean(HistoryStore.class).saveDecision(decision("t", Instant.EPOCH, 2, "HEALTHY"));
        }
        assertThat(caches(url)).containsEntry("DECISION", 1000L).containsEntry("ACTION", 1000L);

        // a history an older Scaler migrated: H2's own cache, set again at the next start
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("alter table decision alter column id set cache 32");
            c.createStatement().execute("alter table action alter column id set cache 32");
        }
        try (ApplicationContext context = ApplicationContext.run(settings(url))) {
            HistoryStore store = context.getBean(HistoryStore.class);
            long second = store.saveDecision(decision("t", Instant.EPOCH.plusSeconds(15), 3, "HEALTHY"));
            long third = store.saveDecision(decision("t", Instant.EPOCH.plusSeconds(30), 3, "HEALTHY"));
            assertThat(second).isGreaterThan(first);
            assertThat(third).isGreaterThan(second);
            assertThat(context.getBean(SchemaMigrationRunner.class).flywayStarted()).isFalse();
        }
        assertThat(caches(url)).containsEntry("DECISION", 1000L).containsEntry("ACTION", 1000L);
    }

    private static Map<String, Long> caches(String url) throws Exception {
        Map<String, Long> caches = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            caches.put("DECISION", H2IdentityCache.cache(c, "DECISION"));
            caches.put("ACTION", H2IdentityCache.cache(c, "ACTION"));
        }
        return caches;
    }

    private static Map<String, Object> settings(String url) {
        Map<String, Object> p = new HashMap<>(H2HistoryStoreTest.h2(url));
        p.put("flyway.datasources.default.enabled", true);
        p.put("scaler.history.retention", "36500d");
        return p;
    }
}
