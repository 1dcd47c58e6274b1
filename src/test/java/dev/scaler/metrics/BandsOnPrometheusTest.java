package dev.scaler.metrics;

import dev.scaler.decision.Decider;
import dev.scaler.decision.Decision;
import dev.scaler.decision.DecisionHistory;
import dev.scaler.decision.MetricRule;
import dev.scaler.decision.MetricState;
import dev.scaler.decision.MetricVerdict;
import dev.scaler.decision.Policy;
import dev.scaler.decision.RangeReading;
import dev.scaler.decision.RuleResult;
import dev.scaler.testing.Await;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.TestExporter;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threshold bands and several metrics against a real Prometheus scraping a {@link TestExporter} every second:
 * the band rule is judged on real {@code query_range} data, and a failing metric (a series that does not exist,
 * a query Prometheus refuses) blocks scale-down but not scale-up. Nothing asserts on timing: the "not yet"
 * checks only run while it is logically impossible for the data to cover the window (less than the window has
 * passed since the value changed), and the "eventually" checks wait generously.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BandsOnPrometheusTest {

    private static final Duration GENEROUS = Duration.ofSeconds(90);
    private static final Duration OUT = Duration.ofSeconds(10);
    private static final Duration IN = Duration.ofSeconds(15);
    private static final MetricRule.Bands LATENCY = new MetricRule.Bands("latency", "webapp_latency", 50, OUT, 20, IN,
            MetricRule.Step.replicas(2), MetricRule.Step.replicas(1), Duration.ofSeconds(1));

    private TestExporter exporter;
    private PrometheusProcess prometheus;
    private PrometheusMetricSource source;
    private MetricRuleReader reader;

    @BeforeAll
    void start() {
        RealParts.requireCommand("prometheus");
        exporter = TestExporter.start();
        prometheus = PrometheusProcess.start(List.of(exporter.address()));
        source = new PrometheusMetricSource(PrometheusConfiguration.forUrl(prometheus.url()), Clock.systemUTC(),
                JsonMapper.createDefault());
        reader = new MetricRuleReader(source, Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        if (source != null) {
            source.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    void rangeReadingReturnsTheScrapedSeries() {
        exporter.set("webapp_range", 7);
        prometheus.awaitData("webapp_range", GENEROUS);
        Instant now = Instant.now();

        RangeReading range = source.readRange("webapp_range", now.minusSeconds(5), now, Duration.ofSeconds(1));

        assertThat(range.state()).as(range.toString()).isEqualTo(MetricState.HEALTHY);
        assertThat(range.samples()).isNotEmpty().allSatisfy(s -> assertThat(s.value()).isEqualTo(7.0));
        assertThat(source.readRange("webapp_no_such_series", now.minusSeconds(5), now, Duration.ofSeconds(1)).state())
                .isEqualTo(MetricState.EMPTY);
        assertThat(source.readRange("sum(", now.minusSeconds(5), now, Duration.ofSeconds(1)).state())
                .isEqualTo(MetricState.ERROR);
    }

    @Test
    void outOnlyAfterTheOutDurationAboveThenInOnlyAfterTheInDurationBelow() {
        Instant raised = Instant.now();
        exporter.set("webapp_latency", 80);
        prometheus.awaitData("webapp_latency", GENEROUS);

        // the window counts as covered when its first sample is within one resolution of its start
        RuleResult out = awaitRecommendation(6, raised.plus(OUT).minus(LATENCY.resolution()), "out", null);
        assertThat(out.explanation()).contains("above 50 for the whole 10s").contains("out +2 -> 6");

        Instant dropped = Instant.now();
        exporter.set("webapp_latency", 10);
        RuleResult in = awaitRecommendation(3, dropped.plus(IN).minus(LATENCY.resolution()), "in", 6);
        assertThat(in.explanation()).contains("below 20 for the whole 15s").contains("in -1 -> 3");
    }

    /**
     * Judges the band rule (4 running) until it recommends {@code expected}; while {@code notBefore} has not
     * passed, it must not, because the data cannot yet cover the window. Once the latest sample is below the
     * out-threshold, it must never recommend {@code neverOnceDropped} (the scale-out) again.
     */
    private RuleResult awaitRecommendation(int expected, Instant notBefore, String what, Integer neverOnceDropped) {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        RuleResult last = null;
        while (System.nanoTime() < deadline) {
            Instant asked = Instant.now();
            last = reader.read(List.of(LATENCY), OptionalInt.of(4), Policy.defaults(1, 10, 100)).results().get(0);
            if (neverOnceDropped != null && last.reading().state().hasValue()
                    && last.reading().value() < LATENCY.outThreshold()) {
                assertThat(last.recommendation()).as("%s: out again after the drop: %s", what, last)
                        .isNotEqualTo(neverOnceDropped);
            }
            if (asked.isBefore(notBefore)) {
                assertThat(last.recommendation()).as("%s too early: %s", what, last).isNotEqualTo(expected);
            } else if (last.recommendation() != null && last.recommendation() == expected) {
                return last;
            }
            Await.sleep(500);
        }
        throw new AssertionError("no " + what + " within " + GENEROUS + "; last: " + last);
    }

    @Test
    void aFailingMetricBlocksScaleDownButNotScaleUp() {
        exporter.set("webapp_rps", 100);
        prometheus.awaitData("webapp_rps", GENEROUS);
        Policy policy = new Policy(1, 10, 100, 0.1, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                dev.scaler.decision.StepLimit.NONE, dev.scaler.decision.StepLimit.NONE, dev.scaler.decision.Fallback.OFF,
                new dev.scaler.decision.Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)));
        List<MetricRule> rules = List.of(new MetricRule.Tracking("rps", "webapp_rps", 100.0, null),
                new MetricRule.Bands("cpu", "webapp_no_such_cpu", 0.8, OUT, 0.2, IN, MetricRule.Step.replicas(1),
                        MetricRule.Step.replicas(1), Duration.ofSeconds(1)),
                new MetricRule.Tracking("broken", "sum(", 1.0, null));
        Decider decider = new Decider(Clock.systemUTC());

        MetricVerdict low = reader.read(rules, OptionalInt.of(3), policy);
        Decision hold = decider.decide(policy, OptionalInt.of(3), low, DecisionHistory.EMPTY);

        assertThat(low.reading().state()).as(low.toString()).isEqualTo(MetricState.DEGRADED);
        assertThat(hold).as(hold.reason()).isInstanceOf(Decision.Hold.class);
        assertThat(hold.reason()).contains("scale-down blocked").contains("cpu EMPTY").contains("broken ERROR")
                .contains("rps 100 / 100 per replica -> 1");

        exporter.set("webapp_rps", 500);
        prometheus.awaitData("webapp_rps == 500", GENEROUS);
        MetricVerdict high = reader.read(rules, OptionalInt.of(3), policy);
        Decision up = decider.decide(policy, OptionalInt.of(3), high, DecisionHistory.EMPTY);

        assertThat(up).as(up.reason()).isInstanceOf(Decision.Scale.class);
        assertThat(up.targetReplicas()).isEqualTo(5);
        assertThat(up.reason()).contains("scale up 3 -> 5").contains("largest: rps -> 5").contains("cpu EMPTY");
    }
}
