package dev.scaler.history;

import dev.scaler.testing.RealParts;
import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flyway starts only when the schema is not at the jar's migrations: a restart over a current database
 * skips it, and every other state (new database, a migration missing or edited) is still Flyway's to
 * migrate or refuse, on H2 and on the real PostgreSQL of scripts/test-env.sh.
 */
class SchemaMigrationRunnerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void theMigrationListIsTheMigrationDirectory() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(Path.of("src/main/resources/db/migration"))) {
            list.map(p -> p.getFileName().toString())
                    .forEach(f -> files.put(f.substring(1, f.indexOf("__")), f));
        }
        assertThat(SchemaMigrationRunner.MIGRATIONS).isEqualTo(files);
    }

    @Test
    void aRestartOverACurrentH2SchemaDoesNotStartFlyway(@TempDir Path dir) {
        Map<String, Object> p = h2(dir);
        try (ApplicationContext first = ApplicationContext.run(p)) {
            assertThat(first.getBean(SchemaMigrationRunner.class).flywayStarted()).as("new database").isTrue();
            assertThat(checksums(first)).as("Flyway's checksums are the runner's")
                    .isEqualTo(Map.of("1", SchemaMigrationRunner.checksum("V1__history.sql"),
                            "2", SchemaMigrationRunner.checksum("V2__target_control.sql"),
                            "3", SchemaMigrationRunner.checksum("V3__leader_lease.sql")));
            first.getBean(HistoryStore.class).saveDecision(decision());
        }
        try (ApplicationContext second = ApplicationContext.run(p)) {
            assertThat(second.getBean(SchemaMigrationRunner.class).flywayStarted()).isFalse();
            assertThat(second.getBean(HistoryStore.class).recent("web", 10)).hasSize(1);
            second.getBean(HistoryStore.class).saveDecision(decision());
        }
    }

    @Test
    void aMissingMigrationIsAppliedByFlyway(@TempDir Path dir) {
        Map<String, Object> onlyV1 = h2(dir);
        onlyV1.put("flyway.datasources.default.target", "1");
        try (ApplicationContext first = ApplicationContext.run(onlyV1)) {
            assertThat(checksums(first)).containsOnlyKeys("1");
        }
        try (ApplicationContext second = ApplicationContext.run(h2(dir))) {
            assertThat(second.getBean(SchemaMigrationRunner.class).flywayStarted()).isTrue();
            assertThat(checksums(second)).containsOnlyKeys("1", "2", "3");
        }
    }

    @Test
    void anEditedMigrationIsStillRefusedByFlyway(@TempDir Path dir) {
        Map<String, Object> p = h2(dir);
        try (ApplicationContext first = ApplicationContext.run(p)) {
            update(first, "update \"flyway_schema_history\" set \"checksum\" = 12345 where \"version\" = '2'");
        }
        assertThatThrownBy(() -> ApplicationContext.run(p).close())
                .hasStackTraceContaining("checksum mismatch");
    }

    @Test
    void aRestartOverACurrentPostgresSchemaDoesNotStartFlyway() {
        String url = RealParts.requirePostgres();
        String schema = "schema_runner_test";
        try (Connection c = DriverManager.getConnection(url, "scaler", "scaler");
             Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset schema " + schema, e);
        }
        Map<String, Object> p = new HashMap<>();
        p.put("datasources.default.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        p.put("datasources.default.username", "scaler");
        p.put("datasources.default.password", "scaler");
        p.put("datasources.default.dialect", "POSTGRES");
        p.put("flyway.datasources.default.enabled", true);
        p.put("flyway.datasources.default.schemas", schema);
        p.put("flyway.datasources.default.default-schema", schema);
        p.put("scaler.history.retention", "36500d");
        try (ApplicationContext first = ApplicationContext.run(p)) {
            assertThat(first.getBean(SchemaMigrationRunner.class).flywayStarted()).isTrue();
        }
        try (ApplicationContext second = ApplicationContext.run(p)) {
            assertThat(second.getBean(SchemaMigrationRunner.class).flywayStarted()).isFalse();
            dev.scaler.testing.Leaders.awaitLead(second);
            second.getBean(HistoryStore.class).saveDecision(decision());
            assertThat(second.getBean(HistoryStore.class).recent("web", 10)).hasSize(1);
        }
    }

    private static Map<String, Object> h2(Path dir) {
        Map<String, Object> p = H2HistoryStoreTest.h2("jdbc:h2:file:" + dir.resolve("history").toAbsolutePath());
        p.put("flyway.datasources.default.enabled", true);
        p.put("scaler.history.retention", "36500d");
        return p;
    }

    private static DecisionRecord decision() {
        return new DecisionRecord(null, "web", null, NOW, 2, "HEALTHY", 1.0, null, 2, 2, 2, 2, 2, 2, "HOLD",
                "steady", false);
    }

    @SuppressWarnings("unchecked")
    private static <R> R sql(ApplicationContext context, SqlWork<R> work) {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        return tx.executeWrite(status -> {
            try {
                return work.run(status.getConnection());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private interface SqlWork<R> {
        R run(Connection connection) throws SQLException;
    }

    private static Map<String, Integer> checksums(ApplicationContext context) {
        return sql(context, c -> {
            Map<String, Integer> out = new TreeMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select \"version\", \"checksum\" from \"flyway_schema_history\""
                         + " where \"version\" is not null")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
            return out;
        });
    }

    private static void update(ApplicationContext context, String sql) {
        sql(context, c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate(sql);
            }
        });
    }
}
