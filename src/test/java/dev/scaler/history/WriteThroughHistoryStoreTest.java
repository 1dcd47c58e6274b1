package dev.scaler.history;

import dev.scaler.decision.DecisionHistory;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static dev.scaler.history.AbstractHistoryStoreTest.action;
import static dev.scaler.history.AbstractHistoryStoreTest.decision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The in-process memory answers what the database would, on H2: after every kind of write, across a wider
 * window, a clock that went back, a start's interrupted runs and a purge; and concurrent decisions are committed
 * together.
 */
class WriteThroughHistoryStoreTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(5);

    ApplicationContext context;
    String url;
    WriteThroughHistoryStore store;
    JdbcHistoryStore database;

    @BeforeEach
    void start() {
        url = "jdbc:h2:mem:write-through-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Map<String, Object> p = new java.util.HashMap<>(H2HistoryStoreTest.h2(url));
        p.put("flyway.datasources.default.enabled", true);
        p.put("scaler.history.retention", "36500d");
        context = ApplicationContext.run(p);
        store = context.getBean(WriteThroughHistoryStore.class);
        database = context.getBean(JdbcHistoryStore.class);
    }

    @AfterEach
    void stop() {
        context.close();
    }

    private void assertSameAsDatabase(String target, Duration window, Instant at) {
        DecisionHistory remembered = store.load(target, window, at);
        assertThat(remembered).isEqualTo(database.load(target, window, at));
    }

    @Test
    void everyWriteIsRememberedAsTheDatabaseHasIt() {
        assertSameAsDatabase("web", WINDOW, NOW);
        long d1 = store.saveDecision(decision("web", NOW.plusSeconds(15), 4, "HEALTHY"));
        store.saveAction(action(d1, "web", NOW.plusSeconds(20), 3, 4, "DRY_RUN"));
        assertSameAsDatabase("web", WINDOW, NOW.plusSeconds(30));
        HistoryStore.Started s = store.saveDecisionStartingAction(decision("web", NOW.plusSeconds(45), 6, "HEALTHY"),
                ActionRecord.running("web", NOW.plusSeconds(45), 4, 6));
        assertSameAsDatabase("web", WINDOW, NOW.plusSeconds(46));
        store.finishAction(s.actionId(), List.of(action(s.decisionId(), "web", NOW.plusSeconds(50), 4, 6, "FAILED")));
        store.saveDecision(decision("web", NOW.plusSeconds(60), null, "EMPTY"));
        assertSameAsDatabase("web", WINDOW, NOW.plusSeconds(61));
        HistoryStore.Started t = store.saveDecisionStartingAction(decision("web", NOW.plusSeconds(75), 6, "HEALTHY"),
                ActionRecord.running("web", NOW.plusSeconds(75), 4, 6));
        store.finishAction(t.actionId(), List.of(action(t.decisionId(), "web", NOW.plusSeconds(80), 4, 6, "SUCCEEDED")));
        assertSameAsDatabase("web", WINDOW, NOW.plusSeconds(90));
        // a fleet's rows: one per host, the decided count being the decision's total
        HistoryStore.Started f = store.saveDecisionStartingAction(decision("web", NOW.plusSeconds(105), 3, "HEALTHY"),
                ActionRecord.running("web", NOW.plusSeconds(105), 6, 3));
        store.finishAction(f.actionId(), List.of(
                new ActionRecord(null, f.decisionId(), "web", "h1", NOW.plusSeconds(105), NOW.plusSeconds(110), 3, 2, 0,
                        "SUCCEEDED", "ok"),
                new ActionRecord(null, f.decisionId(), "web", "h2", NOW.plusSeconds(105), NOW.plusSeconds(110), 3, 1, 4,
                        "UNREACHABLE", "no route")));
        assertSameAsDatabase("web", WINDOW, NOW.plusSeconds(120));
        assertThat(store.databaseReads()).as("read once, then followed").isEqualTo(1);
        // later ticks move the window on
        assertSameAsDatabase("web", WINDOW, NOW.plusSeconds(400));
        assertThat(store.databaseReads()).isEqualTo(1);
    }

    @Test
    void aWiderWindowOrAClockThatWentBackIsReadAfresh() {
        for (int i = 0; i < 20; i++) {
            store.saveDecision(decision("web", NOW.plusSeconds(15L * i), 2 + i % 3, "HEALTHY"));
        }
        assertSameAsDatabase("web", Duration.ofMinutes(1), NOW.plusSeconds(300));
        assertSameAsDatabase("web", Duration.ofMinutes(4), NOW.plusSeconds(300));
        assertThat(store.databaseReads()).isEqualTo(2);
        assertSameAsDatabase("web", Duration.ofMinutes(4), NOW.plusSeconds(200));
        assertThat(store.databaseReads()).isEqualTo(3);
    }

    @Test
    void interruptedRunsAndAPurgeMakeEveryMemoryReadAgain() {
        HistoryStore.Started s = store.saveDecisionStartingAction(decision("web", NOW, 6, "HEALTHY"),
                ActionRecord.running("web", NOW, 4, 6));
        assertSameAsDatabase("web", WINDOW, NOW.plusSeconds(1));
        store.closeInterrupted(NOW.plusSeconds(2), "Scaler stopped");
        assertSameAsDatabase("web", WINDOW, NOW.plusSeconds(3));
        assertThat(store.load("web", WINDOW, NOW.plusSeconds(3)).consecutiveActionFailures()).isEqualTo(1);
        assertThat(s.actionId()).isPositive();

        store.saveDecision(decision("api", NOW.minus(Duration.ofDays(40)), 9, "HEALTHY"));
        assertSameAsDatabase("api", Duration.ofDays(60), NOW);
        assertThat(store.purgeOlderThan(NOW.minus(Duration.ofDays(30)))).isEqualTo(1);
        assertSameAsDatabase("api", Duration.ofDays(60), NOW.plusSeconds(1));
        assertThat(store.load("api", Duration.ofDays(60), NOW.plusSeconds(1)).recommendations()).isEmpty();
    }

    @Test
    void decisionsStoredAtOnceAreCommittedTogetherEachWithItsOwnId() throws Exception {
        int threads = 8;
        int each = 50;
        List<List<Long>> perThread = concurrently(threads, target -> () -> {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                ids.add(store.saveDecision(decision(target, NOW.plusSeconds(i), i, "HEALTHY")));
            }
            return ids;
        });
        Set<Long> ids = new HashSet<>();
        perThread.forEach(ids::addAll);
        assertThat(ids).hasSize(threads * each);
        assertThat(store.recent(null, 1000)).hasSize(threads * each);
        for (int t = 0; t < threads; t++) {
            List<HistoryStore.HistoryEntry> mine = store.recent("t" + t, 1000);
            assertThat(mine).hasSize(each);
            assertThat(mine.get(0).decision().recommendation()).isEqualTo(each - 1);
        }
        assertThat(store.decisionBatches()).isBetween(1L, (long) threads * each);
    }

    @Test
    void dryRunActionsJoinTheGroupCommitAndAreRememberedAsTheDatabaseHasThem() throws Exception {
        int threads = 8;
        int each = 30;
        concurrently(threads, target -> () -> {
            store.load(target, WINDOW, NOW);
            for (int i = 0; i < each; i++) {
                // what a dry-run tick stores: the decision, then its DRY_RUN row
                Instant at = NOW.plusSeconds(15L * i);
                long id = store.saveDecision(decision(target, at, 2 + i % 2, "HEALTHY"));
                store.saveAction(action(id, target, at, 1 + i % 2, 2 - i % 2, "DRY_RUN"));
            }
            return null;
        });
        for (int t = 0; t < threads; t++) {
            List<HistoryStore.HistoryEntry> mine = store.recent("t" + t, 1000);
            assertThat(mine).hasSize(each).allSatisfy(e -> assertThat(e.actions()).hasSize(1));
            assertSameAsDatabase("t" + t, WINDOW, NOW.plusSeconds(15L * each));
        }
        assertThat(store.databaseReads()).isEqualTo(threads);
        assertThat(store.decisionBatches()).isBetween(1L, 2L * threads * each);
    }

    @Test
    void aDecisionWithItsDryRunRowIsOneEntryOfTheGroupCommitAndStoresWhatTwoCallsWould() throws Exception {
        int threads = 8;
        int each = 30;
        concurrently(threads, target -> () -> {
            store.load(target, WINDOW, NOW);
            for (int i = 0; i < each; i++) {
                Instant at = NOW.plusSeconds(15L * i);
                // the decision id in the row is replaced by the new decision's
                store.saveDecisionWithActions(decision(target, at, 2 + i % 2, "HEALTHY"),
                        List.of(action(0, target, at, 1 + i % 2, 2 - i % 2, "DRY_RUN")));
            }
            return null;
        });
        for (int t = 0; t < threads; t++) {
            List<HistoryStore.HistoryEntry> mine = store.recent("t" + t, 1000);
            assertThat(mine).hasSize(each).allSatisfy(e -> {
                assertThat(e.actions()).hasSize(1);
                assertThat(e.actions().get(0).decisionId()).isEqualTo(e.decision().id());
                assertThat(e.actions().get(0).result()).isEqualTo("DRY_RUN");
            });
            assertSameAsDatabase("t" + t, WINDOW, NOW.plusSeconds(15L * each));
        }
        assertThat(store.decisionBatches()).isBetween(1L, (long) threads * each);

        // the same rows as the decision and then its row, stored by the database alone (what a start reads)
        long id = database.saveDecisionWithActions(decision("x", NOW, 3, "HEALTHY"),
                List.of(action(0, "x", NOW, 2, 3, "DRY_RUN")));
        long d = database.saveDecision(decision("y", NOW, 3, "HEALTHY"));
        database.saveAction(action(d, "y", NOW, 2, 3, "DRY_RUN"));
        HistoryStore.HistoryEntry x = database.recent("x", 1).get(0);
        HistoryStore.HistoryEntry y = database.recent("y", 1).get(0);
        assertThat(x.actions()).singleElement().satisfies(a -> assertThat(a.decisionId()).isEqualTo(id));
        assertThat(x.actions().get(0).withDecisionId(0)).usingRecursiveComparison().ignoringFields("id", "target")
                .isEqualTo(y.actions().get(0).withDecisionId(0));
        assertThat(database.load("x", WINDOW, NOW.plusSeconds(1))).isEqualTo(database.load("y", WINDOW, NOW.plusSeconds(1)));
    }

    @Test
    void decisionsHandedOverWithoutWaitingAreCommittedTogetherAndRememberedAsTheDatabaseHasThem() throws Exception {
        int threads = 8;
        int each = 50;
        long batchesBefore = store.decisionBatches();
        List<List<CompletableFuture<Long>>> perThread = concurrently(threads, target -> () -> {
            store.load(target, WINDOW, NOW);
            List<CompletableFuture<Long>> written = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                Instant at = NOW.plusSeconds(15L * i);
                // every third one a dry run that has ended, its row stored with it
                written.add(store.saveDecisionLater(decision(target, at, 2 + i % 2, "HEALTHY"), i % 3 == 0
                        ? List.of(action(0, target, at, 1 + i % 2, 2 - i % 2, "DRY_RUN")) : List.of()));
            }
            return written;
        });
        Set<Long> ids = new HashSet<>();
        for (List<CompletableFuture<Long>> written : perThread) {
            for (CompletableFuture<Long> w : written) {
                ids.add(w.get(30, TimeUnit.SECONDS));
            }
        }
        assertThat(ids).hasSize(threads * each);
        for (int t = 0; t < threads; t++) {
            List<HistoryStore.HistoryEntry> mine = store.recent("t" + t, 1000);
            assertThat(mine).hasSize(each);
            assertThat(mine).filteredOn(e -> !e.actions().isEmpty()).hasSize((each + 2) / 3).allSatisfy(e ->
                    assertThat(e.actions()).singleElement().satisfies(a -> {
                        assertThat(a.decisionId()).isEqualTo(e.decision().id());
                        assertThat(a.result()).isEqualTo("DRY_RUN");
                    }));
            assertSameAsDatabase("t" + t, WINDOW, NOW.plusSeconds(15L * each));
        }
        assertThat(store.databaseReads()).isEqualTo(threads);
        long batches = store.decisionBatches() - batchesBefore;
        System.out.println("write-through: " + threads * each + " decisions handed over, " + batches + " commits");
        assertThat(batches).isBetween(1L, (long) threads * each - 1);
    }

    @Test
    void aDecisionThatWaitsIsCommittedAfterTheOnesHandedOverBeforeIt() {
        store.load("t", WINDOW, NOW);
        CompletableFuture<Long> first = store.saveDecisionLater(decision("t", NOW, 2, "HEALTHY"), List.of());
        long second = store.saveDecision(decision("t", NOW.plusSeconds(15), 3, "HEALTHY"));

        assertThat(first).isCompleted();
        assertThat(first.join()).isLessThan(second);
        assertSameAsDatabase("t", WINDOW, NOW.plusSeconds(30));
    }

    @Test
    void aShutdownCommitsWhatWaitsAndThenEveryCallerWritesItsOwn() {
        CompletableFuture<Long> waiting = store.saveDecisionLater(decision("t", NOW, 2, "HEALTHY"), List.of());
        store.flush();
        assertThat(waiting).isCompleted();

        CompletableFuture<Long> after = store.saveDecisionLater(decision("t", NOW.plusSeconds(15), 3, "HEALTHY"),
                List.of());
        assertThat(after).isCompleted();
        assertThat(store.recent("t", 10)).extracting(e -> e.decision().id()).containsExactly(after.join(), waiting.join());
    }

    @Test
    void aCommitThatFailsSaysSoAndTheMemoryIsReadAgainFromTheDatabase() throws Exception {
        store.load("t", WINDOW, NOW);
        store.saveDecisionLater(decision("t", NOW, 5, "HEALTHY"), List.of()).get(30, TimeUnit.SECONDS);
        assertThat(store.load("t", WINDOW, NOW.plusSeconds(1)).recommendations()).hasSize(1);

        execute("alter table decision rename to decision_away");
        CompletableFuture<Long> lost;
        try {
            lost = store.saveDecisionLater(decision("t", NOW.plusSeconds(15), 9, "HEALTHY"), List.of());
            assertThat(catchThrowable(() -> lost.get(30, TimeUnit.SECONDS))).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("DECISION");
        } finally {
            execute("alter table decision_away rename to decision");
        }
        // the memory had been told of the lost decision; it is read again and answers what the database has
        assertSameAsDatabase("t", WINDOW, NOW.plusSeconds(30));
        assertThat(store.load("t", WINDOW, NOW.plusSeconds(30)).recommendations()).hasSize(1);
        assertThat(store.databaseReads()).isEqualTo(2);
    }

    private void execute(String sql) throws Exception {
        // a connection of its own, as another client of the database would have
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs {@code work} for targets t0, t1, ... each on a thread of its own, all at once; their results in order. */
    private static <T> List<T> concurrently(int threads, Function<String, Callable<T>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<T>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                tasks.add(work.apply("t" + t));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(tasks)) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
