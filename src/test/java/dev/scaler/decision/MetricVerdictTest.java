package dev.scaler.decision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Table of several metrics combined and decided: the largest recommendation wins, a failing metric
 * blocks scale-down but not scale-up, every metric failing is "no metric" (fallback rules apply).
 * 4 replicas run; the policy has no stabilization or cooldown, so the combination shows directly.
 */
class MetricVerdictTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final Policy POLICY = new Policy(1, 10, 100, 0.1, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, StepLimit.NONE, StepLimit.NONE, Fallback.OFF,
            new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)));

    record Case(String name, List<RuleResult> results, String outcome, int replicas, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static RuleResult ok(String name, double value, int rec) {
        return new RuleResult(name, MetricReading.healthy(value, NOW), rec, value + " -> " + rec);
    }

    static RuleResult warned(String name, double value, int rec) {
        return new RuleResult(name, MetricReading.degraded(value, NOW, "partial data"), rec, value + " -> " + rec);
    }

    static RuleResult failed(String name, MetricState state) {
        return RuleResult.failure(name, MetricReading.failed(state, name + " broke"));
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("largest recommendation wins, up", List.of(ok("rps", 250, 3), ok("latency", 0.8, 6)),
                        "SCALE", 6, "largest: latency -> 6"),
                new Case("all agree on fewer: down to the largest of them", List.of(ok("rps", 100, 1), ok("cpu", 0.1, 2)),
                        "SCALE", 2, "scale down 4 -> 2"),
                new Case("one metric holds: no scale-down", List.of(ok("rps", 100, 1), ok("latency", 0.3, 4)),
                        "HOLD", 4, "the metrics recommend the 4 replicas running"),
                new Case("a failing metric does not stop scale-up", List.of(ok("rps", 800, 8), failed("cpu", MetricState.EMPTY)),
                        "SCALE", 8, "cpu EMPTY (cpu broke)"),
                new Case("a failing metric blocks scale-down",
                        List.of(ok("rps", 100, 1), failed("cpu", MetricState.ERROR)), "HOLD", 4,
                        "scale-down blocked: a metric failed or warned: cpu ERROR (cpu broke)"),
                new Case("a warned metric blocks scale-down", List.of(warned("rps", 100, 1), ok("cpu", 0.1, 2)),
                        "HOLD", 4, "scale-down blocked: a metric failed or warned: rps DEGRADED (partial data)"),
                new Case("every metric failed: no usable load",
                        List.of(failed("rps", MetricState.UNREACHABLE), failed("cpu", MetricState.EMPTY)), "HOLD", 4,
                        "metric UNREACHABLE (every metric failed: rps UNREACHABLE (rps broke); cpu EMPTY (cpu broke))"),
                new Case("max-replicas still clamps the winner", List.of(ok("rps", 5000, 50), ok("cpu", 0.5, 4)),
                        "SCALE", 10, "desired 10"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void combinedAndDecided(Case c) {
        MetricVerdict verdict = MetricVerdict.combine(c.results());
        Decision d = new Decider(Clock.fixed(NOW, ZoneOffset.UTC)).decide(POLICY, OptionalInt.of(4), verdict,
                DecisionHistory.EMPTY);

        String outcome = d instanceof Decision.Scale ? "SCALE" : d instanceof Decision.Hold ? "HOLD" : "RETRY";
        assertThat(outcome).as(d.reason()).isEqualTo(c.outcome());
        assertThat(d.targetReplicas()).as(d.reason()).isEqualTo(c.replicas());
        assertThat(d.reason()).contains(c.reason());
        for (RuleResult r : c.results()) {
            assertThat(d.reason()).as("names every metric").contains(r.name());
        }
    }

    @Test
    void aRestoreJudgesBandsFromTheDecidedCountNotFromWhatStillRuns() {
        MetricRule.Bands latency = new MetricRule.Bands("latency", "q", 50, Duration.ofSeconds(60), 20,
                Duration.ofSeconds(60), MetricRule.Step.replicas(1), MetricRule.Step.replicas(1), Duration.ofSeconds(15));
        List<RangeReading.Sample> above = new ArrayList<>();
        for (int t = 90; t >= 0; t -= 15) {
            above.add(new RangeReading.Sample(NOW.minusSeconds(t), 80));
        }
        List<MetricInput> inputs = List.of(new MetricInput.Range(latency, RangeReading.of(above, ""), NOW));
        // 1 of the 3 decided replicas runs; latency has been above its band: one more than the decided 3
        MetricVerdict verdict = MetricVerdict.judge(inputs, 1, POLICY);
        assertThat(verdict.recommendation()).isEqualTo(2);
        DecisionHistory decided3 = new DecisionHistory(List.of(), null, null, 0, 0, null, 3, null, 1);

        Decision d = new Decider(Clock.fixed(NOW, ZoneOffset.UTC)).decide(POLICY, OptionalInt.of(1), verdict, decided3);

        assertThat(d).isInstanceOf(Decision.Scale.class);
        assertThat(d.targetReplicas()).as(d.reason()).isEqualTo(4);
        assertThat(d.reason()).contains("availability: 1 of the 3 decided replicas run").contains("restoring to 4")
                .contains("latency");
    }
}
