package dev.scaler.history;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryRetentionTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static Map<String, Object> h2(Map<String, Object> extra) {
        var p = new java.util.HashMap<>(H2HistoryStoreTest.h2(
                "jdbc:h2:mem:retention-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
        p.putAll(extra);
        return p;
    }

    @Test
    void purgesWhatIsOlderThanTheRetentionAtTheClocksNow() {
        // the scheduled purge uses the system clock: keep it off the 2026-03 data
        try (var context = ApplicationContext.run(h2(Map.of("scaler.history.retention", "36500d")))) {
            HistoryStore store = context.getBean(HistoryStore.class);
            store.saveDecision(AbstractHistoryStoreTest.decision("web", NOW.minus(Duration.ofDays(30)).minusMillis(1), 1, "HEALTHY"));
            long kept = store.saveDecision(AbstractHistoryStoreTest.decision("web", NOW.minus(Duration.ofDays(30)), 1, "HEALTHY"));
            var retention = new HistoryRetention(store,
                    new HistoryConfiguration(Duration.ofDays(30), Duration.ofHours(1)), Clock.fixed(NOW, ZoneOffset.UTC));

            assertThat(retention.purge()).isEqualTo(1);
            assertThat(AbstractHistoryStoreTest.ids(store.recent(null, 10))).containsExactly(kept);
        }
    }

    @Test
    void thePurgeRunsEveryPurgeInterval() {
        try (var context = ApplicationContext.run(h2(Map.of("scaler.history.retention", "1d",
                "scaler.history.purge-interval", "200ms")))) {
            HistoryStore store = context.getBean(HistoryStore.class);
            store.saveDecision(AbstractHistoryStoreTest.decision("web", Instant.now().minus(Duration.ofDays(2)), 1,
                    "HEALTHY"));
            dev.scaler.testing.Await.until("the scheduled purge", Duration.ofSeconds(10),
                    () -> store.recent(null, 10).isEmpty());
        }
    }

    @Test
    void defaultsAreThirtyDaysAndOneHour() {
        try (var context = ApplicationContext.run(h2(Map.of()))) {
            var configuration = context.getBean(HistoryConfiguration.class);
            assertThat(configuration.retention()).isEqualTo(Duration.ofDays(30));
            assertThat(configuration.purgeInterval()).isEqualTo(Duration.ofHours(1));
        }
    }

    @Test
    void aRetentionThatIsNotPositiveFailsNamingTheKey() {
        // Refused while the context starts (dev.scaler.config.Configurations), not on first use.
        assertThatThrownBy(() -> ApplicationContext.run(h2(Map.of("scaler.history.retention", "0s"))).close())
                .hasStackTraceContaining("scaler.history.retention: '0s' must be more than 0");
    }

    @Test
    void theDefaultDatabaseIsAnH2FileAndEnvironmentVariablesOverrideIt() {
        Assumptions.assumeTrue(System.getenv("SCALER_DB_URL") == null, "SCALER_DB_URL overrides the default");
        // the environment only: starting the context would open (and create) the default H2 file
        try (var context = ApplicationContext.builder().build()) {
            Environment env = context.getEnvironment();
            env.start();
            assertThat(env.getProperty("datasources.default.url", String.class))
                    .hasValue("jdbc:h2:file:./data/scaler-history;AUTO_SERVER=FALSE");
            assertThat(env.getProperty("datasources.default.dialect", String.class)).hasValue("H2");
            assertThat(env.getProperty("flyway.datasources.default.enabled", Boolean.class)).hasValue(true);
        }
    }
}
