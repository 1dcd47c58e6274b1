package dev.scaler.history;

import dev.scaler.testing.PostgresSchema;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history's newest-first and in-order queries read an index in their order instead of sorting a target's
 * rows (issue 11: rebuilding the decider's memory over 7 days of history sorted 40,320 rows per target). Asked
 * of each engine's own planner (EXPLAIN ANALYZE) over a history of 20 targets with 5,000 decisions each, in a
 * schema made by the jar's migrations.
 */
class HistoryQueryPlanTest {

    static final int TARGETS = 20;
    static final int PER_TARGET = 5000;
    static final long TICK_MS = 15_000;
    static final long END = PER_TARGET * TICK_MS;
    static final int EVERY = 16;
    static final int ACTIONS = (PER_TARGET + EVERY - 1) / EVERY;

    @Test
    void h2ReadsEveryQueryInItsIndexOrder(@TempDir Path dir) {
        Map<String, Object> p = H2HistoryStoreTest.h2("jdbc:h2:file:" + dir.resolve("history").toAbsolutePath());
        try (ApplicationContext context = ApplicationContext.run(migrated(p))) {
            fill(context, "system_range(1, " + TARGETS * PER_TARGET + ") g", "mod(x, " + TARGETS + ")");
            // H2 marks a plan whose rows come in the index's order with "index sorted" (else it sorts them all,
            // or "index sorted: 1 of 3 columns" and sorts within); scanCount is the rows it read
            assertH2(context, JdbcHistoryStore.NEWEST_READINGS, "DECISION_TARGET_DECIDED_AT_ID", 1000, "app7");
            assertH2(context, JdbcHistoryStore.newestDecisions(true, 50), "DECISION_TARGET_DECIDED_AT_ID", 50, "app7");
            assertH2(context, JdbcHistoryStore.newestDecisions(false, 50), "DECISION_DECIDED_AT_ID", 50);
            assertH2(context, JdbcHistoryStore.RECOMMENDATIONS_SINCE, "DECISION_TARGET_DECIDED_AT_ID", 20, "app7",
                    END - 300_000);
            assertH2(context, JdbcHistoryStore.WINDOW_POINTS, "DECISION_TARGET_DECIDED_AT_ID", 240, "app7",
                    END - 3_600_000, END - 1);
            assertH2(context, JdbcHistoryStore.windowActed(10), "DECISION_TARGET_DECIDED_AT_ID", EVERY * 11, "app7",
                    0L, END);
            assertH2(context, JdbcHistoryStore.NEWEST_SCALE_UP, "ACTION_TARGET_ENDED_AT_ID", 2, "app7");
            assertH2(context, JdbcHistoryStore.NEWEST_SCALE_DOWN, "ACTION_TARGET_ENDED_AT_ID", 2, "app7");
            assertH2(context, JdbcHistoryStore.NEWEST_RESULTS, "ACTION_TARGET_ENDED_AT_ID", ACTIONS, "app7");
            assertH2(context, JdbcHistoryStore.NEWEST_DECIDED, "ACTION_TARGET_ENDED_AT_ID", 32, "app7");
        }
    }

    @Test
    void postgresReadsTheNewestRowsBackwardsThroughAnIndex() {
        Map<String, Object> p = PostgresSchema.fresh("query_plan_test");
        try (ApplicationContext context = ApplicationContext.run(migrated(p))) {
            fill(context, "generate_series(1, " + TARGETS * PER_TARGET + ") g(x)", "(x % " + TARGETS + ")");
            PostgresSchema.sql(context, c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("analyze decision");
                    s.execute("analyze action");
                }
                return null;
            });
            // PostgreSQL chooses by cost: a query that keeps a few of a target's many rows walks the index
            // backwards and stops at the limit; one that reads all of a few rows may sort them, which is cheap
            assertPostgres(context, JdbcHistoryStore.NEWEST_READINGS, "decision_target_decided_at_id", "app7");
            assertPostgres(context, JdbcHistoryStore.newestDecisions(true, 50), "decision_target_decided_at_id", "app7");
            assertPostgres(context, JdbcHistoryStore.newestDecisions(false, 50), "decision_decided_at_id");
            assertPostgres(context, JdbcHistoryStore.NEWEST_DECIDED, "action_target_ended_at_id", "app7");
        } finally {
            PostgresSchema.drop("query_plan_test");
        }
    }

    private static Map<String, Object> migrated(Map<String, Object> database) {
        Map<String, Object> p = new HashMap<>(database);
        p.put("flyway.datasources.default.enabled", true);
        p.put("scaler.history.retention", "36500d");
        return p;
    }

    /**
     * TARGETS targets, a decision every TICK_MS each, and an action for every EVERY-th decision of a target
     * (ACTIONS per target, alternately up and down), all succeeded.
     */
    private static void fill(ApplicationContext context, String series, String targetOf) {
        PostgresSchema.sql(context, c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("insert into decision (target, decided_at, metric_state, recommendation,"
                        + " final_replicas, outcome, dry_run) select 'app' || " + targetOf + ", ((x - 1) / " + TARGETS
                        + ") * " + TICK_MS + ", 'HEALTHY', 2, 2, 'HOLD', false from " + series);
                String tick = "decided_at / " + TICK_MS;
                s.executeUpdate("insert into action (decision_id, target, started_at, ended_at, from_replicas,"
                        + " to_replicas, result) select id, target, decided_at, decided_at + 6000,"
                        + " 1 + mod(" + tick + " / " + EVERY + ", 2), 2 - mod(" + tick + " / " + EVERY + ", 2),"
                        + " 'SUCCEEDED' from decision where mod(" + tick + ", " + EVERY + ") = 0");
            }
            return null;
        });
    }

    private static void assertH2(ApplicationContext context, String query, String index, int maxScanned,
                                 Object... parameters) {
        String plan = explain(context, "explain analyze " + query, parameters);
        assertThat(plan).as(plan).containsPattern("PUBLIC\\." + index + "\\b").contains("/* index sorted */");
        // the rows read from the first table (a join's second is looked up by its primary key); one row past
        // the last is read to find the end of a range
        String scanned = plan.substring(plan.indexOf("scanCount: ") + "scanCount: ".length());
        assertThat(Integer.parseInt(scanned.substring(0, scanned.indexOf(' ')))).as(plan)
                .isLessThanOrEqualTo(maxScanned + 1);
    }

    private static void assertPostgres(ApplicationContext context, String query, String index, Object... parameters) {
        String plan = explain(context, "explain (analyze, costs off, timing off, summary off) " + query, parameters);
        assertThat(plan).as(plan).contains("Index Scan Backward using " + index + " ").doesNotContain("Sort");
    }

    private static String explain(ApplicationContext context, String sql, Object... parameters) {
        return PostgresSchema.sql(context, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    ps.setObject(i + 1, parameters[i]);
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            }
        });
    }
}
