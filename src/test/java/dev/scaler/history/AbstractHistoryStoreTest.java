package dev.scaler.history;

import dev.scaler.decision.DecisionHistory;
import dev.scaler.decision.Recommendation;
import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same cases against every database the store must run on; subclasses only say which one.
 * The context is started once per class (Flyway migrates on start) and the tables are emptied
 * before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractHistoryStoreTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456789Z");

    ApplicationContext context;
    HistoryStore store;

    /** Data source properties of the database under test. */
    abstract Map<String, Object> databaseProperties();

    Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>(databaseProperties());
        properties.put("flyway.datasources.default.enabled", true);
        // the retention job runs at startup: keep it away from the fixed 2026 test data
        properties.put("scaler.history.retention", "36500d");
        return properties;
    }

    @BeforeAll
    void startContext() {
        context = dev.scaler.testing.Leaders.awaitLead(ApplicationContext.run(properties()));
        // the database's own contract; the tables are emptied behind the store's back before each test, which
        // only the store that reads the database every time may see (WriteThroughHistoryStoreTest for the other)
        store = context.getBean(JdbcHistoryStore.class);
    }

    @AfterAll
    void stopContext() {
        if (context != null) {
            context.close();
        }
    }

    @BeforeEach
    void emptyTables() {
        sql(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("delete from action");
                s.executeUpdate("delete from decision");
            }
            return null;
        });
    }

    interface SqlWork<R> {
        R run(Connection connection) throws Exception;
    }

    /** Raw SQL for setup and checks the store's interface does not offer. */
    @SuppressWarnings("unchecked")
    <R> R sql(SqlWork<R> work) {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        return tx.executeWrite(status -> work.run(status.getConnection()));
    }

    static DecisionRecord decision(String target, Instant at, Integer recommendation, String metricState) {
        return new DecisionRecord(null, target, "tick-" + at.toEpochMilli(), at, 2, metricState, 0.5, null,
                3, 3, 3, 3, 3, recommendation, "SCALE", "because", false);
    }

    static ActionRecord action(long decisionId, String target, Instant endedAt, int from, int to, String result) {
        return new ActionRecord(null, decisionId, target, null, endedAt.minusSeconds(5), endedAt, from, to,
                "SUCCEEDED".equals(result) ? 0 : null, result, "ok");
    }

    @Test
    void aDecisionToActIsStoredWithItsRunningActionAndTheRunReplacesIt() {
        HistoryStore.Started started = store.saveDecisionStartingAction(decision("web", NOW, 3, "HEALTHY"),
                new ActionRecord(null, 0, "web", null, NOW, NOW, 2, 3, null, "RUNNING", "running since now"));

        assertThat(store.recent("web", 10)).singleElement().satisfies(e -> {
            assertThat(e.decision().id()).isEqualTo(started.decisionId());
            assertThat(e.actions()).singleElement().satisfies(a -> {
                assertThat(a.id()).isEqualTo(started.actionId());
                assertThat(a.decisionId()).isEqualTo(started.decisionId());
                assertThat(a.result()).isEqualTo("RUNNING");
            });
        });
        assertThat(store.load("web", Duration.ofMinutes(5), NOW).consecutiveActionFailures())
                .as("a running action is neither a success nor a failure").isZero();

        store.finishAction(started.actionId(), List.of(
                action(started.decisionId(), "web", NOW.plusSeconds(4), 2, 3, "SUCCEEDED")));

        assertThat(store.recent("web", 10).get(0).actions()).extracting(ActionRecord::result)
                .containsExactly("SUCCEEDED");
        assertThat(store.closeInterrupted(NOW.plusSeconds(5), "why")).isEmpty();
    }

    @Test
    void aFleetRunReplacesItsRunningRowByOneRowPerHost() {
        HistoryStore.Started started = store.saveDecisionStartingAction(decision("shop", NOW, 3, "HEALTHY"),
                new ActionRecord(null, 0, "shop", null, NOW, NOW, 1, 3, null, "RUNNING", ""));
        store.finishAction(started.actionId(), List.of(
                new ActionRecord(null, started.decisionId(), "shop", "h1", NOW, NOW.plusSeconds(3), 1, 2, 0,
                        "SUCCEEDED", "ok"),
                new ActionRecord(null, started.decisionId(), "shop", "h2", NOW, NOW.plusSeconds(3), 0, 1, 4,
                        "UNREACHABLE", "host key changed")));

        assertThat(store.recent("shop", 10).get(0).actions()).extracting(ActionRecord::host, ActionRecord::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("h1", "SUCCEEDED"),
                        org.assertj.core.groups.Tuple.tuple("h2", "UNREACHABLE"));
    }

    @Test
    void startUpClosesWhatADeadScalerLeftRunningAsInterruptedWhichCountsAsAFailure() {
        HistoryStore.Started web = store.saveDecisionStartingAction(decision("web", NOW, 3, "HEALTHY"),
                new ActionRecord(null, 0, "web", null, NOW, NOW, 2, 3, null, "RUNNING", "running since then"));
        long done = store.saveDecision(decision("api", NOW, 3, "HEALTHY"));
        store.saveAction(action(done, "api", NOW.plusSeconds(1), 2, 3, "SUCCEEDED"));

        List<ActionRecord> closed = store.closeInterrupted(NOW.plusSeconds(60), "scaler: found at start-up");

        assertThat(closed).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(web.actionId());
            assertThat(a.result()).isEqualTo("INTERRUPTED");
            assertThat(a.endedAt()).isEqualTo(NOW.plusSeconds(60).truncatedTo(ChronoUnit.MILLIS));
            assertThat(a.outputTail()).isEqualTo("running since then\nscaler: found at start-up");
        });
        assertThat(store.recent("web", 10).get(0).actions()).singleElement()
                .satisfies(a -> assertThat(a.result()).isEqualTo("INTERRUPTED"));
        assertThat(store.recent("api", 10).get(0).actions()).singleElement()
                .satisfies(a -> assertThat(a.result()).isEqualTo("SUCCEEDED"));
        DecisionHistory history = store.load("web", Duration.ofMinutes(5), NOW.plusSeconds(61));
        assertThat(history.consecutiveActionFailures()).as("backs off once").isEqualTo(1);
        assertThat(history.lastScaleUpAt()).as("an interrupted run starts no cooldown").isNull();
        assertThat(store.closeInterrupted(NOW.plusSeconds(70), "again")).as("closed once").isEmpty();
    }

    @Test
    void flywayMigratedTheSchema() {
        Integer applied = sql(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(
                         "select count(*) from \"flyway_schema_history\" where \"version\" = '1' and \"success\" = true")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(applied).isEqualTo(1);
    }

    @Test
    void everyFieldRoundTripsAtMillisecondPrecision() {
        var decision = new DecisionRecord(null, "web", "tick-42", NOW, 2, "DEGRADED", 0.8125, "warnings: x",
                5, 4, 4, 3, 3, 5, "SCALE", "cpu 81% over target 50%", true);
        long id = store.saveDecision(decision);
        var action = new ActionRecord(null, id, "web", "host-a", NOW.plusMillis(10), NOW.plusSeconds(7),
                2, 3, 0, "DRY_RUN", "PLAY RECAP ok=3");
        store.saveAction(action);
        var bare = new DecisionRecord(null, "web", null, NOW.plusSeconds(1), null, null, null, null,
                null, null, null, null, 2, null, "HOLD", null, false);
        long bareId = store.saveDecision(bare);

        var entries = store.recent("web", 10);

        Instant millis = NOW.truncatedTo(ChronoUnit.MILLIS);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).decision()).isEqualTo(new DecisionRecord(bareId, "web", null,
                NOW.plusSeconds(1).truncatedTo(ChronoUnit.MILLIS), null, null, null, null, null, null, null, null,
                2, null, "HOLD", null, false));
        assertThat(entries.get(0).actions()).isEmpty();
        assertThat(entries.get(1).decision()).isEqualTo(new DecisionRecord(id, "web", "tick-42", millis, 2,
                "DEGRADED", 0.8125, "warnings: x", 5, 4, 4, 3, 3, 5, "SCALE", "cpu 81% over target 50%", true));
        assertThat(entries.get(1).actions()).singleElement().satisfies(a -> {
            assertThat(a.id()).isNotNull();
            assertThat(a).isEqualTo(new ActionRecord(a.id(), id, "web", "host-a", millis.plusMillis(10),
                    millis.plusSeconds(7), 2, 3, 0, "DRY_RUN", "PLAY RECAP ok=3"));
        });
    }

    @Test
    void windowHoldsTheTargetsPointsInTimeAndItsNewestActedDecisions() {
        store.saveDecision(decision("web", NOW.minusSeconds(3601), 1, "HEALTHY"));
        store.saveDecision(decision("web", NOW.minusSeconds(3600), 2, "HEALTHY"));
        long acted = store.saveDecision(decision("web", NOW.minusSeconds(60), 3, "UNREACHABLE"));
        store.saveAction(action(acted, "web", NOW.minusSeconds(50), 2, 3, "FAILED"));
        long actedLater = store.saveDecision(decision("web", NOW.minusSeconds(30), 3, "HEALTHY"));
        store.saveAction(action(actedLater, "web", NOW.minusSeconds(20), 2, 3, "SUCCEEDED"));
        store.saveDecision(decision("api", NOW.minusSeconds(10), 9, "HEALTHY"));
        store.saveDecision(decision("web", NOW.plusSeconds(1), 4, "HEALTHY"));

        HistoryStore.Window w = store.window("web", NOW.minusSeconds(3600), NOW, 10);
        assertThat(w.points()).extracting(HistoryStore.Point::atMillis).containsExactly(
                NOW.minusSeconds(3600).toEpochMilli(), NOW.minusSeconds(60).toEpochMilli(),
                NOW.minusSeconds(30).toEpochMilli());
        assertThat(w.acted()).extracting(e -> e.decision().id()).containsExactly(acted, actedLater);
        assertThat(w.acted().get(0).actions()).extracting(ActionRecord::result).containsExactly("FAILED");
        assertThat(store.window("web", NOW.minusSeconds(3600), NOW, 1).acted())
                .extracting(e -> e.decision().id()).containsExactly(actedLater);
        assertThat(store.window("web", NOW.minusSeconds(3600), NOW, 0).acted()).isEmpty();
    }

    @Test
    void recentIsNewestFirstAndLimited() {
        long oldest = store.saveDecision(decision("web", NOW.minusSeconds(30), 1, "HEALTHY"));
        long sameTimeFirst = store.saveDecision(decision("web", NOW.minusSeconds(10), 2, "HEALTHY"));
        long sameTimeSecond = store.saveDecision(decision("web", NOW.minusSeconds(10), 3, "HEALTHY"));
        long newest = store.saveDecision(decision("web", NOW, 4, "HEALTHY"));
        long middle = store.saveDecision(decision("web", NOW.minusSeconds(20), 5, "HEALTHY"));

        assertThat(ids(store.recent("web", 10))).containsExactly(newest, sameTimeSecond, sameTimeFirst, middle, oldest);
        assertThat(ids(store.recent("web", 2))).containsExactly(newest, sameTimeSecond);
        assertThat(ids(store.recent("web", 5000))).hasSize(5);
        assertThatThrownBy(() -> store.recent("web", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }

    @Test
    void recentFiltersByTargetOrShowsAll() {
        long web = store.saveDecision(decision("web", NOW, 1, "HEALTHY"));
        long api = store.saveDecision(decision("api", NOW.plusSeconds(1), 1, "HEALTHY"));
        store.saveAction(action(api, "api", NOW.plusSeconds(2), 1, 2, "SUCCEEDED"));

        assertThat(ids(store.recent("web", 10))).containsExactly(web);
        assertThat(ids(store.recent(null, 10))).containsExactly(api, web);
        assertThat(store.recent(null, 10).get(0).actions()).hasSize(1);
        assertThat(store.recent(null, 10).get(1).actions()).isEmpty();
        assertThat(store.recent("nothing", 10)).isEmpty();
    }

    @Test
    void loadKeepsRecommendationsInsideTheWindowOnly() {
        store.saveDecision(decision("web", NOW.minus(Duration.ofMinutes(5)).minusMillis(1), 9, "HEALTHY"));
        store.saveDecision(decision("web", NOW.minus(Duration.ofMinutes(5)), 4, "HEALTHY"));
        store.saveDecision(decision("web", NOW.minusSeconds(30), null, "UNREACHABLE"));
        store.saveDecision(decision("web", NOW.minusSeconds(10), 6, "HEALTHY"));
        store.saveDecision(decision("api", NOW.minusSeconds(10), 7, "HEALTHY"));

        DecisionHistory history = store.load("web", Duration.ofMinutes(5), NOW);

        Instant millis = NOW.truncatedTo(ChronoUnit.MILLIS);
        assertThat(history.recommendations()).containsExactlyInAnyOrder(
                new Recommendation(millis.minus(Duration.ofMinutes(5)), 4),
                new Recommendation(millis.minusSeconds(10), 6));
    }

    @Test
    void emptyHistoryLoadsAsEmpty() {
        assertThat(store.load("web", Duration.ofMinutes(5), NOW)).isEqualTo(DecisionHistory.EMPTY);
    }

    @Test
    void cooldownStartsAreFoundBeyondTheWindowAndDryRunsCount() {
        long d = store.saveDecision(decision("web", NOW.minus(Duration.ofHours(3)), 3, "HEALTHY"));
        store.saveAction(action(d, "web", NOW.minus(Duration.ofHours(3)), 2, 3, "SUCCEEDED"));
        store.saveAction(action(d, "web", NOW.minus(Duration.ofHours(2)), 2, 3, "SUCCEEDED"));
        store.saveAction(action(d, "web", NOW.minus(Duration.ofMinutes(90)), 3, 2, "DRY_RUN"));
        // failures never start a cooldown, nor do other targets' actions or no-change actions
        store.saveAction(action(d, "web", NOW.minus(Duration.ofMinutes(10)), 2, 3, "FAILED"));
        store.saveAction(action(d, "web", NOW.minus(Duration.ofMinutes(9)), 3, 2, "TIMED_OUT"));
        store.saveAction(action(d, "web", NOW.minus(Duration.ofMinutes(8)), 3, 3, "SUCCEEDED"));
        long other = store.saveDecision(decision("api", NOW, 3, "HEALTHY"));
        store.saveAction(action(other, "api", NOW, 2, 3, "SUCCEEDED"));
        store.saveAction(action(other, "api", NOW, 3, 2, "SUCCEEDED"));

        DecisionHistory history = store.load("web", Duration.ofMinutes(5), NOW);

        Instant millis = NOW.truncatedTo(ChronoUnit.MILLIS);
        assertThat(history.lastScaleUpAt()).isEqualTo(millis.minus(Duration.ofHours(2)));
        assertThat(history.lastScaleDownAt()).isEqualTo(millis.minus(Duration.ofMinutes(90)));
    }

    @Test
    void theDecidedCountIsTheNewestSuccessOnlyAndAFleetsIsItsDecisionsTotal() {
        assertThat(store.load("web", Duration.ofMinutes(5), NOW).decidedReplicas()).isNull();
        long d = store.saveDecision(decision("web", NOW.minusSeconds(100), 3, "HEALTHY"));
        store.saveAction(action(d, "web", NOW.minusSeconds(90), 2, 4, "SUCCEEDED"));
        // failures, timeouts and dry runs change nothing that runs
        store.saveAction(action(d, "web", NOW.minusSeconds(80), 4, 6, "FAILED"));
        store.saveAction(action(d, "web", NOW.minusSeconds(70), 4, 7, "TIMED_OUT"));
        store.saveAction(action(d, "web", NOW.minusSeconds(60), 4, 1, "DRY_RUN"));
        assertThat(store.load("web", Duration.ofMinutes(5), NOW).decidedReplicas()).isEqualTo(4);
        assertThat(store.load("web", Duration.ofMinutes(5), NOW).decidedAt())
                .isEqualTo(NOW.minusSeconds(90).truncatedTo(ChronoUnit.MILLIS));
        assertThat(store.load("web", Duration.ofMinutes(5), NOW).decidedTimes()).isEqualTo(1);
        // two more actions set 4 (restores that did not hold): three in a row
        long restore = store.saveDecision(decision("web", NOW.minusSeconds(55), 4, "HEALTHY"));
        store.saveAction(action(restore, "web", NOW.minusSeconds(50), 3, 4, "SUCCEEDED"));
        long again = store.saveDecision(decision("web", NOW.minusSeconds(48), 4, "HEALTHY"));
        store.saveAction(action(again, "web", NOW.minusSeconds(45), 2, 4, "SUCCEEDED"));
        assertThat(store.load("web", Duration.ofMinutes(5), NOW).decidedTimes()).isEqualTo(3);

        // a fleet's host rows carry one host's count; what was decided is the decision's total (3)
        long fleet = store.saveDecision(decision("fleet", NOW.minusSeconds(50), 3, "HEALTHY"));
        store.saveAction(new ActionRecord(null, fleet, "fleet", "host-a", NOW.minusSeconds(45), NOW.minusSeconds(40),
                0, 1, 0, "SUCCEEDED", "ok"));
        store.saveAction(new ActionRecord(null, fleet, "fleet", "host-b", NOW.minusSeconds(45), NOW.minusSeconds(40),
                1, 2, 0, "SUCCEEDED", "ok"));
        assertThat(store.load("fleet", Duration.ofMinutes(5), NOW).decidedReplicas()).isEqualTo(3);
        assertThat(store.load("fleet", Duration.ofMinutes(5), NOW).decidedTimes()).as("one decision, two host rows")
                .isEqualTo(1);
    }

    @Test
    void actionFailuresCountBackToTheLastSuccessIgnoringDryRuns() {
        long d = store.saveDecision(decision("web", NOW.minusSeconds(100), 3, "HEALTHY"));
        store.saveAction(action(d, "web", NOW.minusSeconds(90), 2, 3, "FAILED"));
        store.saveAction(action(d, "web", NOW.minusSeconds(80), 2, 3, "SUCCEEDED"));
        store.saveAction(action(d, "web", NOW.minusSeconds(70), 2, 3, "FAILED"));
        store.saveAction(action(d, "web", NOW.minusSeconds(60), 2, 3, "DRY_RUN"));
        store.saveAction(action(d, "web", NOW.minusSeconds(50), 2, 3, "TIMED_OUT"));
        store.saveAction(action(d, "web", NOW.minusSeconds(40), 2, 3, "DRY_RUN"));

        DecisionHistory history = store.load("web", Duration.ofMinutes(5), NOW);

        assertThat(history.consecutiveActionFailures()).isEqualTo(2);
        assertThat(history.lastActionFailureAt()).isEqualTo(NOW.minusSeconds(50).truncatedTo(ChronoUnit.MILLIS));

        store.saveAction(action(d, "web", NOW.minusSeconds(30), 2, 3, "SUCCEEDED"));
        DecisionHistory afterSuccess = store.load("web", Duration.ofMinutes(5), NOW);
        assertThat(afterSuccess.consecutiveActionFailures()).isZero();
        assertThat(afterSuccess.lastActionFailureAt()).isNull();
    }

    @Test
    void metricFailuresCountBackToTheLastUsableReading() {
        store.saveDecision(decision("web", NOW.minusSeconds(60), 3, "UNREACHABLE"));
        store.saveDecision(decision("web", NOW.minusSeconds(50), 3, "HEALTHY"));
        store.saveDecision(decision("web", NOW.minusSeconds(40), null, "STALE"));
        store.saveDecision(decision("web", NOW.minusSeconds(30), null, null));
        store.saveDecision(decision("web", NOW.minusSeconds(20), null, "EMPTY"));
        store.saveDecision(decision("web", NOW.minusSeconds(10), null, "ERROR"));
        store.saveDecision(decision("api", NOW.minusSeconds(5), null, "ERROR"));

        assertThat(store.load("web", Duration.ofMinutes(5), NOW).consecutiveMetricFailures()).isEqualTo(3);

        store.saveDecision(decision("web", NOW.minusSeconds(5), 3, "DEGRADED"));
        assertThat(store.load("web", Duration.ofMinutes(5), NOW).consecutiveMetricFailures()).isZero();
    }

    @Test
    void purgeDeletesOldDecisionsWithTheirActions() {
        long old1 = store.saveDecision(decision("web", NOW.minus(Duration.ofDays(31)), 3, "HEALTHY"));
        store.saveAction(action(old1, "web", NOW.minus(Duration.ofDays(31)), 2, 3, "SUCCEEDED"));
        long old2 = store.saveDecision(decision("api", NOW.minus(Duration.ofDays(40)), 3, "HEALTHY"));
        store.saveAction(action(old2, "api", NOW.minus(Duration.ofDays(40)), 3, 2, "FAILED"));
        long kept = store.saveDecision(decision("web", NOW.minus(Duration.ofDays(30)), 3, "HEALTHY"));
        store.saveAction(action(kept, "web", NOW.minus(Duration.ofDays(30)), 3, 2, "SUCCEEDED"));

        int purged = store.purgeOlderThan(NOW.minus(Duration.ofDays(30)));

        assertThat(purged).isEqualTo(2);
        assertThat(ids(store.recent(null, 10))).containsExactly(kept);
        Integer actions = sql(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from action")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(actions).isEqualTo(1);
        assertThat(store.load("web", Duration.ofMinutes(1), NOW).lastScaleUpAt()).isNull();
        assertThat(store.purgeOlderThan(NOW.minus(Duration.ofDays(30)))).isZero();
    }

    @Test
    void hugeTextIsTruncatedNotRejected() {
        String reason = "R".repeat(10_000);
        long id = store.saveDecision(new DecisionRecord(null, "web", "t", NOW, 1, "ERROR", null, "D".repeat(5000),
                null, null, null, null, 1, null, "RETRY", reason, false));
        // 1 MB of output, with a NUL byte PostgreSQL could not store, and the recap at the end
        String output = "x".repeat(1_000_000) + "\u0000binary\n" + "PLAY RECAP failed=1";
        store.saveAction(new ActionRecord(null, id, "web", "h", NOW, NOW.plusSeconds(1), 1, 2, 2, "FAILED", output));

        var entry = store.recent("web", 1).get(0);

        assertThat(entry.decision().reason()).hasSize(HistoryText.REASON_MAX).startsWith("RRR");
        assertThat(entry.decision().metricDetail()).hasSize(HistoryText.DETAIL_MAX);
        String tail = entry.actions().get(0).outputTail();
        assertThat(tail).hasSize(HistoryText.OUTPUT_TAIL_MAX).endsWith("binary\nPLAY RECAP failed=1");
    }

    @Test
    void anActionOfAnUnknownDecisionIsRejectedAndNothingIsWritten() {
        assertThatThrownBy(() -> store.saveAction(action(987_654_321L, "web", NOW, 1, 2, "SUCCEEDED")))
                .isInstanceOf(RuntimeException.class);
        assertThat(store.load("web", Duration.ofMinutes(1), NOW).lastScaleUpAt()).isNull();
    }

    @Test
    void aBatchStoresEveryRowInOneTransactionAndReturnsEachDecisionsOwnId() {
        JdbcHistoryStore database = (JdbcHistoryStore) store;
        long earlier = database.saveDecision(decision("api", NOW, 7, "HEALTHY"));
        List<Long> ids = database.saveAll(List.of(
                        decision("a", NOW.plusSeconds(1), 1, "HEALTHY"),
                        decision("b", NOW.plusSeconds(2), 2, "EMPTY"),
                        decision("c", NOW.plusSeconds(3), 3, "HEALTHY")),
                List.of(action(earlier, "api", NOW.plusSeconds(4), 6, 7, "DRY_RUN")));
        assertThat(ids).hasSize(3).doesNotHaveDuplicates().doesNotContain(earlier);
        for (int i = 0; i < 3; i++) {
            List<HistoryStore.HistoryEntry> of = store.recent(List.of("a", "b", "c").get(i), 10);
            assertThat(ids(of)).containsExactly(ids.get(i));
            assertThat(of.get(0).decision().recommendation()).isEqualTo(i + 1);
        }
        assertThat(store.recent("api", 10).get(0).actions()).extracting(ActionRecord::result).containsExactly("DRY_RUN");

        // one bad row and nothing of the batch is written
        assertThatThrownBy(() -> database.saveAll(List.of(decision("d", NOW.plusSeconds(5), 4, "HEALTHY")),
                List.of(action(987_654_321L, "d", NOW.plusSeconds(5), 1, 2, "DRY_RUN"))))
                .isInstanceOf(RuntimeException.class);
        assertThat(store.recent("d", 10)).isEmpty();
    }

    static List<Long> ids(List<HistoryStore.HistoryEntry> entries) {
        return entries.stream().map(e -> e.decision().id()).toList();
    }
}
