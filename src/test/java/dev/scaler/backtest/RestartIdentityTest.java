package dev.scaler.backtest;

import dev.scaler.ScalerConfiguration;
import dev.scaler.history.HistoryStore;
import dev.scaler.history.JdbcHistoryStore;
import dev.scaler.history.WriteThroughHistoryStore;
import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import dev.scaler.decision.Policy;
import dev.scaler.execution.ActionOutcome;
import dev.scaler.execution.ComposeService;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.loop.LoopMetrics;
import dev.scaler.loop.StatusBoard;
import dev.scaler.loop.TargetEvaluator;
import dev.scaler.loop.TargetStatus;
import dev.scaler.target.Target;
import dev.scaler.target.Tick;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Scaler that restarts decides exactly as one that never stopped: the decider's memory lives in process
 * ({@link WriteThroughHistoryStore}) and a new process rebuilds it from the database. Three runs over the same
 * loads, each on its own H2 file: one context throughout; one restarted (a new context on the same file) every
 * 97 steps; and one that reads every memory from the database on every tick (the store before issue 11). Every
 * decision's outcome, count and reason must match, through cooldowns, stabilization, failed readings, the
 * fallback and failed actions with their backoff.
 */
class RestartIdentityTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration STEP = Duration.ofSeconds(15);
    private static final int STEPS = 500;
    private static final Set<Integer> FAILING_ACTIONS = Set.of(3, 4, 11, 23, 24, 25);

    @TempDir
    Path data;

    @Test
    void aRestartedScalerDecidesAsOneThatNeverStopped() {
        List<String> throughout = run("throughout", Integer.MAX_VALUE, false, false);
        List<String> restarted = run("restarted", 97, false, false);
        List<String> fromDatabase = run("database", Integer.MAX_VALUE, true, false);

        assertThat(throughout).hasSize(STEPS);
        assertThat(restarted).containsExactlyElementsOf(throughout);
        assertThat(fromDatabase).containsExactlyElementsOf(throughout);
        assertThat(String.join("\n", throughout))
                .contains("SCALE", "scale-up cooldown", "scale-down cooldown", "stabilization", "fallback",
                        "metric EMPTY", "backoff");
    }

    /**
     * In a dry run every scale is stored as a decision and a DRY_RUN action row through the group commit, and
     * those rows start cooldowns: the same three runs decide alike.
     */
    @Test
    void aRestartedDryRunScalerDecidesAsOneThatNeverStopped() {
        List<String> throughout = run("dry-throughout", Integer.MAX_VALUE, false, true);
        List<String> restarted = run("dry-restarted", 89, false, true);
        List<String> fromDatabase = run("dry-database", Integer.MAX_VALUE, true, true);

        assertThat(throughout).hasSize(STEPS);
        assertThat(restarted).containsExactlyElementsOf(throughout);
        assertThat(fromDatabase).containsExactlyElementsOf(throughout);
        assertThat(String.join("\n", throughout)).contains("SCALE", "scale-up cooldown", "metric EMPTY");
    }

    @Test
    void theDatabaseIsReadOnceATargetNotEveryTick() {
        try (ApplicationContext context = context("reads")) {
            Run run = new Run(context, context.getBean(HistoryStore.class), false);
            for (int i = 0; i < 40; i++) {
                run.step(i);
            }
            WriteThroughHistoryStore store = context.getBean(WriteThroughHistoryStore.class);
            assertThat(context.getBean(HistoryStore.class)).isSameAs(store);
            assertThat(store.databaseReads()).isEqualTo(1);
        }
    }

    private List<String> run(String name, int restartEvery, boolean databaseEveryTick, boolean dryRun) {
        List<String> decisions = new ArrayList<>();
        List<CompletableFuture<Long>> written = new ArrayList<>();
        int[] running = {2};
        int actions = 0;
        ApplicationContext context = context(name);
        try {
            for (int i = 0; i < STEPS; i++) {
                if (i > 0 && i % restartEvery == 0) {
                    context.close();
                    context = context(name);
                }
                HistoryStore store = databaseEveryTick ? context.getBean(JdbcHistoryStore.class)
                        : context.getBean(HistoryStore.class);
                Run run = new Run(context, store, dryRun);
                run.written = written;
                run.running[0] = running[0];
                run.actions = actions;
                decisions.add(run.step(i));
                running[0] = run.running[0];
                actions = run.actions;
            }
        } finally {
            context.close();
        }
        // each step's decision was handed over without waiting, as in a loop tick; a restart (closing the
        // context) committed whatever still waited
        assertThat(written).hasSize(STEPS).allSatisfy(w -> assertThat(w).isCompleted().isNotCompletedExceptionally());
        return decisions;
    }

    private ApplicationContext context(String name) {
        return ApplicationContext.run(Map.of(
                "datasources.default.url", "jdbc:h2:file:" + data.resolve(name).toAbsolutePath() + ";AUTO_SERVER=FALSE",
                "datasources.default.driver-class-name", "org.h2.Driver",
                "datasources.default.username", "sa",
                "datasources.default.password", "",
                "datasources.default.dialect", "H2",
                "flyway.datasources.default.enabled", true,
                "scaler.history.retention", "36500d"));
    }

    /** One evaluator over one store; its counts are carried from run to run across restarts. */
    private static final class Run {
        final SimulatedClock clock = new SimulatedClock(START);
        final int[] running = {2};
        int actions;
        final MetricReading[] current = new MetricReading[1];
        final TargetEvaluator evaluator;
        final Target target;
        List<CompletableFuture<Long>> written = new ArrayList<>();

        Run(ApplicationContext context, HistoryStore store, boolean dryRun) {
            evaluator = new TargetEvaluator(
                    (project, service) -> running[0],
                    query -> current[0],
                    store,
                    (name, service, replicas) -> {
                        boolean fails = FAILING_ACTIONS.contains(actions++);
                        if (!fails) {
                            running[0] = replicas;
                        }
                        return new PlaybookResult(fails ? ActionOutcome.FAILED : ActionOutcome.SUCCEEDED, fails ? 2 : 0,
                                clock.instant(), clock.instant(), fails ? "docker-compose failed" : "ok");
                    },
                    null, clock, new ScalerConfiguration(STEP, dryRun, 1), new StatusBoard(),
                    new LoopMetrics(new SimpleMeterRegistry()));
            target = new Target("identity", "load", new ComposeService("demo", Path.of("."), List.of(), "web"), null,
                    policy(), false);
        }

        String step(int i) {
            Instant now = START.plus(STEP.multipliedBy(i));
            clock.set(now);
            double load = load(i);
            current[0] = Double.isNaN(load) ? MetricReading.failed(MetricState.EMPTY, "no sample at " + now)
                    : MetricReading.healthy(load, now);
            int observed = running[0];
            // a loop tick's evaluation: a decision that acts on nothing is not waited for
            TargetEvaluator.Evaluated done = evaluator.evaluateAndStore(target, Tick.ofLoop("tick-" + i));
            written.add(done.written());
            TargetStatus status = done.status();
            return now + " " + observed + " " + status.outcome() + " " + status.desired() + " " + status.reason();
        }
    }

    static Policy policy() {
        return PolicyFile.parse("identity.yml", "busy", """
                min-replicas: 2
                max-replicas: 30
                capacity-per-replica: 100
                tolerance: 0.1
                scale-up-cooldown: 1m
                scale-down-cooldown: 2m
                scale-up-stabilization: 30s
                scale-down-stabilization: 3m
                scale-up-max-replicas: 4
                scale-down-max-percent: 50
                fallback-after-failures: 3
                fallback-replicas: 6
                """).get(0).policy();
    }

    /** A random walk with spikes and dips, and runs of missing samples for the fallback. */
    static double load(int i) {
        Random random = new Random(42L * i + 7);
        if ((i >= 200 && i < 206) || (i >= 390 && i < 393)) {
            return Double.NaN;
        }
        double level = 400 + 300 * Math.sin(i / 25.0) + random.nextGaussian() * 60;
        if (i >= 300 && i < 330) {
            level = 2600; // a surge that takes several limited scale-ups, each after the scale-up cooldown
        } else if (random.nextInt(25) == 0) {
            level *= 2.5;
        }
        return Math.max(0, Math.min(level, 3500));
    }
}
