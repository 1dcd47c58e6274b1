package dev.scaler.history;

import dev.scaler.testing.Await;
import dev.scaler.testing.Leaders;
import dev.scaler.testing.PostgresSchema;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
                            "3", SchemaMigrationRunner.checksum("V3__leader_lease.sql"),
                            "4", SchemaMigrationRunner.checksum("V4__history_order_indexes.sql")));
            first.getBean(HistoryStore.class).saveDecision(decision());
        }
        try (ApplicationContext second = ApplicationContext.run(p)) {
            assertThat(second.getBean(SchemaMigrationRunner.class).flywayStarted()).isFalse();
            assertThat(second.getBean(HistoryStore.class).recent("web", 10)).hasSize(1);
            second.getBean(HistoryStore.class).saveDecision(decision());
        }
    }

    /**
     * Flyway runs in a class loader of its own (issue 11): once the schema is migrated nothing keeps that loader, so
     * a full collection unloads Flyway's classes; the history works on.
     */
    @Test
    void flywaysClassLoaderIsNotKeptOnceTheSchemaIsMigrated(@TempDir Path dir) {
        try (ApplicationContext context = ApplicationContext.run(h2(dir))) {
            SchemaMigrationRunner runner = context.getBean(SchemaMigrationRunner.class);
            Reference<ClassLoader> loader = runner.lastFlywayLoader().orElseThrow();
            // a collection now and then for up to 10 s: something may still hold the loader for a moment (seen
            // twice in eight runs of this class with FlywaySettingsTest; the likeliest holder, a compilation of one
            // of Flyway's methods, is why the service collects again too: IsolatedFlyway)
            Await.until("Flyway's class loader collected", Duration.ofSeconds(10), () -> {
                System.gc();
                return loader.get() == null;
            });
            assertThat(loader.get()).as("Flyway's class loader after a full collection").isNull();
            context.getBean(HistoryStore.class).saveDecision(decision());
            assertThat(context.getBean(HistoryStore.class).recent("web", 10)).hasSize(1);
        }
    }

    /** A setting passed to Flyway: the history table's name; Flyway then always decides, and applies nothing twice. */
    @Test
    void flywaysSettingsReachFlyway(@TempDir Path dir) {
        Map<String, Object> p = h2(dir);
        p.put("flyway.datasources.default.table", "scaler_schema_history");
        try (ApplicationContext first = ApplicationContext.run(p)) {
            assertThat(tableCount(first, "scaler_schema_history")).isEqualTo(1);
            assertThat(tableCount(first, "flyway_schema_history")).isZero();
        }
        try (ApplicationContext second = ApplicationContext.run(p)) {
            assertThat(second.getBean(SchemaMigrationRunner.class).flywayStarted()).isTrue();
            second.getBean(HistoryStore.class).saveDecision(decision());
        }
    }

    /** clean-schema, as micronaut-flyway had it: Flyway empties the schema, then migrates it again. */
    @Test
    void cleanSchemaStartsFromAnEmptySchema(@TempDir Path dir) {
        Map<String, Object> p = h2(dir);
        try (ApplicationContext first = ApplicationContext.run(p)) {
            first.getBean(HistoryStore.class).saveDecision(decision());
        }
        p.put("flyway.datasources.default.clean-schema", true);
        try (ApplicationContext second = ApplicationContext.run(p)) {
            assertThat(second.getBean(SchemaMigrationRunner.class).flywayStarted()).isTrue();
            assertThat(second.getBean(HistoryStore.class).recent("web", 10)).isEmpty();
            assertThat(checksums(second)).containsOnlyKeys("1", "2", "3", "4");
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
            assertThat(checksums(second)).containsOnlyKeys("1", "2", "3", "4");
        }
    }

    @Test
    void anEditedMigrationIsStillRefusedByFlyway(@TempDir Path dir) {
        Map<String, Object> p = h2(dir);
        try (ApplicationContext first = ApplicationContext.run(p)) {
            update(first, "update \"flyway_schema_history\" set \"checksum\" = 12345 where \"version\" = '2'");
        }
        assertThatThrownBy(() -> ApplicationContext.run(p).close())
                .hasStackTraceContaining("history data source default: Flyway could not migrate the schema: ")
                .hasStackTraceContaining("checksum mismatch");
    }

    /** What an older Scaler left (migrations 1 and 2, with rows) gets V4's indexes at the next start, rows kept. */
    @Test
    void anOlderH2SchemaGetsTheOrderIndexes(@TempDir Path dir) {
        olderSchemaGetsTheOrderIndexes(h2(dir));
    }

    /** H2 commits each DDL statement: a start stopped during V4 left part of it and no record; the next runs it whole. */
    @Test
    void aHalfAppliedOrderIndexMigrationIsRunAgain(@TempDir Path dir) {
        Map<String, Object> p = h2(dir);
        Map<String, Object> older = new HashMap<>(p);
        older.put("flyway.datasources.default.target", "2");
        try (ApplicationContext first = ApplicationContext.run(older)) {
            update(first, "create index decision_target_decided_at_id on decision (target, decided_at, id)");
            update(first, "drop index decision_target_decided_at");
        }
        try (ApplicationContext second = ApplicationContext.run(p)) {
            assertThat(checksums(second)).containsOnlyKeys("1", "2", "3", "4");
            assertThat(indexes(second)).contains("decision_target_decided_at_id", "decision_decided_at_id",
                    "action_target_ended_at_id");
        }
    }

    @Test
    void anOlderPostgresSchemaGetsTheOrderIndexes() {
        olderSchemaGetsTheOrderIndexes(postgres("schema_runner_older_test"));
    }

    /** The older schema stops at V3: a context on PostgreSQL needs V3's lease to write (docs/ha.md). */
    private static void olderSchemaGetsTheOrderIndexes(Map<String, Object> p) {
        Map<String, Object> older = new HashMap<>(p);
        older.put("flyway.datasources.default.target", "3");
        try (ApplicationContext first = ApplicationContext.run(older)) {
            assertThat(checksums(first)).containsOnlyKeys("1", "2", "3");
            assertThat(indexes(first)).contains("decision_target_decided_at", "decision_decided_at",
                    "action_target_ended_at");
            Leaders.awaitLead(first).getBean(HistoryStore.class).saveDecision(decision());
        }
        try (ApplicationContext second = ApplicationContext.run(p)) {
            assertThat(second.getBean(SchemaMigrationRunner.class).flywayStarted()).isTrue();
            assertThat(checksums(second)).containsOnlyKeys("1", "2", "3", "4");
            assertThat(indexes(second))
                    .contains("decision_target_decided_at_id", "decision_decided_at_id", "action_target_ended_at_id")
                    .doesNotContain("decision_target_decided_at", "decision_decided_at", "action_target_ended_at");
            assertThat(second.getBean(HistoryStore.class).recent("web", 10)).hasSize(1);
        }
        try (ApplicationContext third = ApplicationContext.run(p)) {
            assertThat(third.getBean(SchemaMigrationRunner.class).flywayStarted()).isFalse();
        }
    }

    @Test
    void aRestartOverACurrentPostgresSchemaDoesNotStartFlyway() {
        Map<String, Object> p = postgres("schema_runner_test");
        try (ApplicationContext first = ApplicationContext.run(p)) {
            assertThat(first.getBean(SchemaMigrationRunner.class).flywayStarted()).isTrue();
        }
        try (ApplicationContext second = ApplicationContext.run(p)) {
            assertThat(second.getBean(SchemaMigrationRunner.class).flywayStarted()).isFalse();
            Leaders.awaitLead(second).getBean(HistoryStore.class).saveDecision(decision());
            assertThat(second.getBean(HistoryStore.class).recent("web", 10)).hasSize(1);
        }
    }

    /** A schema of the real PostgreSQL, dropped first. */
    private static Map<String, Object> postgres(String schema) {
        Map<String, Object> p = PostgresSchema.fresh(schema);
        p.put("flyway.datasources.default.enabled", true);
        p.put("scaler.history.retention", "36500d");
        return p;
    }

    /** The names of the indexes on the history's two tables, lower case. */
    private static Set<String> indexes(ApplicationContext context) {
        return PostgresSchema.sql(context, c -> {
            DatabaseMetaData md = c.getMetaData();
            Set<String> out = new TreeSet<>();
            for (String table : List.of("decision", "action")) {
                String name = md.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
                try (ResultSet rs = md.getIndexInfo(c.getCatalog(), c.getSchema(), name, false, false)) {
                    while (rs.next()) {
                        if (rs.getString("INDEX_NAME") != null) {
                            out.add(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            return out;
        });
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

    private static Map<String, Integer> checksums(ApplicationContext context) {
        return PostgresSchema.sql(context, c -> {
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

    private static int tableCount(ApplicationContext context, String table) {
        return PostgresSchema.sql(context, c -> {
            try (ResultSet rs = c.getMetaData().getTables(null, null, table, null)) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                return n;
            }
        });
    }

    private static void update(ApplicationContext context, String sql) {
        PostgresSchema.sql(context, c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate(sql);
            }
        });
    }
}
