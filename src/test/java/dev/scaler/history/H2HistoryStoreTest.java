package dev.scaler.history;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class H2HistoryStoreTest extends AbstractHistoryStoreTest {

    @Override
    Map<String, Object> databaseProperties() {
        return h2("jdbc:h2:mem:history-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    static Map<String, Object> h2(String url) {
        Map<String, Object> p = new HashMap<>();
        p.put("datasources.default.url", url);
        p.put("datasources.default.driver-class-name", "org.h2.Driver");
        p.put("datasources.default.username", "sa");
        p.put("datasources.default.password", "");
        p.put("datasources.default.dialect", "H2");
        return p;
    }

    @Test
    void historyOutlivesARestartOnTheSameFile(@TempDir Path dir) {
        Map<String, Object> p = h2("jdbc:h2:file:" + dir.resolve("scaler-history").toAbsolutePath());
        p.put("flyway.datasources.default.enabled", true);
        p.put("scaler.history.retention", "36500d");
        long id;
        try (ApplicationContext first = ApplicationContext.run(p)) {
            HistoryStore s = first.getBean(HistoryStore.class);
            id = s.saveDecision(decision("web", NOW, 4, "HEALTHY"));
            s.saveAction(action(id, "web", NOW.plusSeconds(3), 3, 4, "SUCCEEDED"));
        }
        try (ApplicationContext second = ApplicationContext.run(p)) {
            HistoryStore s = second.getBean(HistoryStore.class);
            var entries = s.recent("web", 10);
            assertThat(ids(entries)).containsExactly(id);
            assertThat(entries.get(0).actions()).hasSize(1);
            assertThat(s.load("web", Duration.ofMinutes(5), NOW).lastScaleUpAt()).isNotNull();
            // the migration ran once; starting again must not try to re-create the tables
            long next = s.saveDecision(decision("web", NOW.plusSeconds(10), 5, "HEALTHY"));
            assertThat(next).isGreaterThan(id);
        }
    }
}
