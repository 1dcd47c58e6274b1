package dev.scaler.bench;

import dev.scaler.history.HistoryStore;
import dev.scaler.history.JdbcHistoryStore;
import dev.scaler.testing.PostgresSchema;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The decider's memory rebuilt at start-up over a big history: 50 targets with 7 days of 15-second decisions
 * each (2,016,000 decisions, StatusPageBenchmark's history), on a file H2 and on the real PostgreSQL of
 * scripts/test-env.sh. The history is written with the schema as it was before V4 (Flyway's target 2, what an
 * older Scaler leaves), then a start with the jar's migrations is timed (it applies what is missing), then three
 * starts each load every target's memory once, as the first tick after a restart does. Prints BENCH lines;
 * asserts nothing.
 */
class MemoryRebuildBenchmark {

    static final int ROUNDS = 3;
    /** A stabilization window of the usual size: the memory's recommendations are read for it. */
    static final Duration LOOKBACK = Duration.ofMinutes(5);
    static final String PG_SCHEMA = "bench_memory_rebuild";

    @TempDir
    Path data;

    @Test
    void h2File() {
        Map<String, Object> p = new HashMap<>();
        p.put("datasources.default.url", "jdbc:h2:file:" + data.resolve("scaler-history").toAbsolutePath()
                + ";AUTO_SERVER=FALSE");
        p.put("datasources.default.driver-class-name", "org.h2.Driver");
        p.put("datasources.default.username", "sa");
        p.put("datasources.default.password", "");
        p.put("datasources.default.dialect", "H2");
        run("h2-file", p);
    }

    @Test
    void postgres() {
        try {
            run("postgres", PostgresSchema.fresh(PG_SCHEMA));
        } finally {
            // 2 million rows are not left in the shared test database
            PostgresSchema.drop(PG_SCHEMA);
        }
    }

    private static void run(String engine, Map<String, Object> database) {
        Map<String, Object> p = new HashMap<>(database);
        p.put("flyway.datasources.default.enabled", true);
        p.put("scaler.history.retention", "36500d");
        Instant now = Instant.now();

        Map<String, Object> old = new HashMap<>(p);
        old.put("flyway.datasources.default.target", "3");
        try (ApplicationContext context = ApplicationContext.run(old)) {
            long started = System.nanoTime();
            long decisions = StatusPageBenchmark.fill(context.getBean(JdbcHistoryStore.class), now);
            System.out.printf(Locale.ROOT, "BENCH memory-rebuild %s history: %d targets, %d decisions stored in %.1f s"
                    + " (schema at migration 2)%n", engine, StatusPageBenchmark.TARGETS, decisions,
                    (System.nanoTime() - started) / 1e9);
            if (engine.equals("postgres")) {
                analyze(context);
            }
        }

        long t0 = System.nanoTime();
        try (ApplicationContext context = ApplicationContext.run(p)) {
            System.out.printf(Locale.ROOT, "BENCH memory-rebuild %s first start with the jar's migrations: %.1f s,"
                    + " migrations now %s%n", engine, (System.nanoTime() - t0) / 1e9, migrations(context));
        }

        for (int round = 1; round <= ROUNDS; round++) {
            long s0 = System.nanoTime();
            try (ApplicationContext context = ApplicationContext.run(p)) {
                double startSeconds = (System.nanoTime() - s0) / 1e9;
                HistoryStore store = context.getBean(HistoryStore.class);
                double[] each = new double[StatusPageBenchmark.TARGETS];
                long r0 = System.nanoTime();
                for (int i = 0; i < StatusPageBenchmark.TARGETS; i++) {
                    long l0 = System.nanoTime();
                    store.load(StatusPageBenchmark.name(i), LOOKBACK, now);
                    each[i] = (System.nanoTime() - l0) / 1e6;
                }
                double total = (System.nanoTime() - r0) / 1e9;
                double first = each[0];
                Arrays.sort(each);
                System.out.printf(Locale.ROOT, "BENCH memory-rebuild %s round %d: %d targets loaded in %.2f s"
                        + " (per target median %.1f ms, max %.1f ms, first %.1f ms; context start %.1f s)%n",
                        engine, round, StatusPageBenchmark.TARGETS, total, each[each.length / 2],
                        each[each.length - 1], first, startSeconds);
            }
        }
    }

    /** PostgreSQL's planner works from statistics; autovacuum may not have run after a bulk load. */
    private static void analyze(ApplicationContext context) {
        PostgresSchema.sql(context, c -> {
            try (Statement s = c.createStatement()) {
                s.execute("analyze decision");
                s.execute("analyze action");
            }
            return null;
        });
    }

    private static String migrations(ApplicationContext context) {
        return PostgresSchema.sql(context, c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select \"version\" from \"flyway_schema_history\""
                         + " where \"version\" is not null and \"success\" order by \"installed_rank\"")) {
                StringBuilder out = new StringBuilder();
                while (rs.next()) {
                    out.append(out.length() == 0 ? "" : ",").append(rs.getString(1));
                }
                return out.toString();
            }
        });
    }
}
