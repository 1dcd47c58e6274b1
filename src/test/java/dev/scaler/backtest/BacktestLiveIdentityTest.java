package dev.scaler.backtest;

import dev.scaler.ScalerConfiguration;
import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import dev.scaler.execution.ActionOutcome;
import dev.scaler.execution.ComposeService;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.history.HistoryStore;
import dev.scaler.loop.LoopMetrics;
import dev.scaler.loop.StatusBoard;
import dev.scaler.loop.TargetEvaluator;
import dev.scaler.loop.TargetStatus;
import dev.scaler.target.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backtest makes exactly the live loop's decisions. The live side is the real {@link TargetEvaluator}
 * over an H2-backed {@code JdbcHistoryStore}, with fakes only at the edges (observed count, metric,
 * executor); the backtest replays the same loads. Every decision's outcome, replica count and reason
 * (which spells out every intermediate number and cooldown) must match.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BacktestLiveIdentityTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration STEP = Duration.ofSeconds(15);

    private ApplicationContext context;

    @BeforeAll
    void startDatabase() {
        context = ApplicationContext.run(Map.of(
                "datasources.default.url", "jdbc:h2:mem:identity-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "datasources.default.driver-class-name", "org.h2.Driver",
                "datasources.default.username", "sa",
                "datasources.default.password", "",
                "datasources.default.dialect", "H2",
                "flyway.datasources.default.enabled", true,
                "scaler.history.retention", "36500d"));
    }

    @AfterAll
    void stopDatabase() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void everyDecisionOfAReplayMatchesTheLiveLoop() {
        NamedPolicy policy = PolicyFile.parse("identity.yml", "busy", """
                min-replicas: 2
                max-replicas: 30
                capacity-per-replica: 100
                tolerance: 0.1
                scale-up-cooldown: 30s
                scale-down-cooldown: 2m
                scale-up-stabilization: 30s
                scale-down-stabilization: 3m
                scale-up-max-replicas: 4
                scale-down-max-percent: 50
                fallback-after-failures: 3
                fallback-replicas: 6
                """).get(0);
        LoadTrace trace = spikyTraceWithAGap(600);

        List<String> backtest = new ArrayList<>();
        Replay.run(trace, policy, new ReplaySettings(100, Duration.ofSeconds(45), null, null),
                (i, at, observed, reading, decision) -> backtest.add(at + " " + observed + " "
                        + decision.getClass().getSimpleName() + " " + decision.targetReplicas() + " " + decision.reason()),
                (done, total) -> { });

        List<String> live = live(trace, policy);

        assertThat(backtest).hasSize(trace.size());
        assertThat(live).containsExactlyElementsOf(backtest);
        // the run exercised the interesting paths, not only holds
        assertThat(String.join("\n", backtest))
                .contains("Scale", "scale-up cooldown", "scale-down cooldown", "stabilization", "fallback",
                        "metric EMPTY");
    }

    /** The live loop over the same loads: TargetEvaluator, JdbcHistoryStore on H2, the Decider. */
    private List<String> live(LoadTrace trace, NamedPolicy policy) {
        SimulatedClock clock = new SimulatedClock(START);
        int[] running = {policy.policy().minReplicas()};
        MetricReading[] current = new MetricReading[1];
        TargetEvaluator evaluator = new TargetEvaluator(
                (project, service) -> running[0],
                query -> current[0],
                context.getBean(HistoryStore.class),
                (name, service, replicas) -> {
                    running[0] = replicas;
                    return new PlaybookResult(ActionOutcome.SUCCEEDED, 0, clock.instant(), clock.instant(), "ok");
                },
                null, // no fleet: a local target
                clock, new ScalerConfiguration(STEP, false, 1), new StatusBoard(),
                new LoopMetrics(new SimpleMeterRegistry()));
        Target target = new Target("identity-" + UUID.randomUUID(), "load",
                new ComposeService("demo", Path.of("."), List.of(), "web"), null, policy.policy(), false);

        List<String> decisions = new ArrayList<>();
        for (int i = 0; i < trace.size(); i++) {
            Instant now = START.plus(STEP.multipliedBy(i));
            clock.set(now);
            double load = trace.value(i);
            current[0] = Double.isNaN(load)
                    ? MetricReading.failed(MetricState.EMPTY, "no sample in the trace at " + now)
                    : MetricReading.healthy(load, now);
            int observed = running[0];
            TargetStatus status = evaluator.evaluate(target, "tick-" + i);
            String kind = switch (status.outcome()) {
                case "SCALE" -> "Scale";
                case "RETRY" -> "RetryLater";
                default -> "Hold";
            };
            int replicas = kind.equals("Scale") ? status.desired() : observed;
            decisions.add(now + " " + observed + " " + kind + " " + replicas + " " + status.reason());
        }
        return decisions;
    }

    /** A random walk with spikes and dips, and a run of missing samples to trigger the fallback. */
    static LoadTrace spikyTraceWithAGap(int steps) {
        Random random = new Random(42);
        double[] values = new double[steps];
        double level = 400;
        for (int i = 0; i < steps; i++) {
            level = Math.max(0, level + random.nextGaussian() * 80);
            double v = level;
            if (random.nextInt(25) == 0) {
                v = level * (1.5 + random.nextDouble() * 2); // a spike
            } else if (random.nextInt(30) == 0) {
                v = level * 0.3; // a dip
            }
            values[i] = Math.min(v, 3500);
        }
        for (int i = 200; i < 206; i++) {
            values[i] = Double.NaN;
        }
        return new LoadTrace("identity", START, STEP, values);
    }
}
