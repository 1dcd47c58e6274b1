package dev.scaler.decision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Table of the threshold-band rule on range data: out above 50 for 60s, in below 20 for 120s, step
 * out 2, step in 1, resolution 10s, 4 replicas running. Each row gives the samples as values at
 * 10s steps ending at "now" (oldest first) unless it says otherwise.
 */
class MetricJudgeTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final Duration RES = Duration.ofSeconds(10);
    static final MetricRule.Bands RULE = new MetricRule.Bands("latency", "q", 50, Duration.ofSeconds(60), 20,
            Duration.ofSeconds(120), MetricRule.Step.replicas(2), MetricRule.Step.replicas(1), RES);

    record Case(String name, RangeReading range, Integer expected, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Values at NOW - (n-1)*10s ... NOW. */
    static RangeReading endingNow(double... values) {
        return endingAt(NOW, values);
    }

    static RangeReading endingAt(Instant last, double... values) {
        List<RangeReading.Sample> s = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            s.add(new RangeReading.Sample(last.minus(RES.multipliedBy(values.length - 1 - i)), values[i]));
        }
        return RangeReading.of(s, "");
    }

    static double[] repeat(double v, int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Stream<Case> cases() {
        double nan = Double.NaN;
        return Stream.of(
                new Case("above for the whole out-window: out by step-out", endingNow(repeat(60, 13)), 6,
                        "above 50 for the whole 60s (lowest 60): out +2 -> 6"),
                new Case("above only for the out-window, lower before it: still out",
                        endingNow(concat(repeat(30, 6), repeat(51, 7))), 6, "out +2 -> 6"),
                new Case("exactly at the out-threshold once: not above", endingNow(concat(repeat(60, 12), new double[] {50})),
                        4, "not above 50 for all of 60s (lowest 50)"),
                new Case("one dip inside the out-window: hold",
                        endingNow(concat(repeat(60, 8), concat(new double[] {40}, repeat(60, 4)))), 4,
                        "hold at 4: not above 50"),
                new Case("below for the whole in-window: in by step-in", endingNow(repeat(10, 13)), 3,
                        "below 20 for the whole 120s (highest 10): in -1 -> 3"),
                new Case("exactly at the in-threshold: not below", endingNow(concat(repeat(10, 12), new double[] {20})),
                        4, "not below 20 for all of 120s (highest 20)"),
                new Case("below only for the last 60s of 120s: hold", endingNow(concat(repeat(30, 6), repeat(10, 7))),
                        4, "not below 20 for all of 120s (highest 30)"),
                new Case("between the bands: hold", endingNow(repeat(35, 13)), 4, "35, hold at 4"),
                new Case("data only for the last 30s: not enough for out", endingNow(repeat(60, 4)), 4,
                        "not enough data for the 60s out-window: the data starts at"),
                new Case("out-window covered but in-window short: out still judged", endingNow(repeat(60, 7)), 6,
                        "out +2 -> 6"),
                new Case("in-window short: no scale-in", endingNow(repeat(10, 7)), 4,
                        "not enough data for the 120s in-window: the data starts at"),
                new Case("a gap of 30s inside the window: hold", gapped(), 4, "no data from"),
                new Case("stale: the latest sample is 40s old", endingAt(NOW.minusSeconds(40), repeat(60, 13)), 4,
                        "stale by now"),
                new Case("NaN inside the window: neither above nor below",
                        endingNow(concat(repeat(60, 10), new double[] {nan, 60, 60})), 4, "not above 50"),
                new Case("NaN as the latest sample: the metric failed", endingNow(concat(repeat(60, 12), new double[] {nan})),
                        null, "NOT_A_NUMBER"),
                new Case("no series: the metric failed", RangeReading.of(List.of(), ""), null, "EMPTY"),
                new Case("query error: the metric failed", RangeReading.failed(MetricState.ERROR, "bad_data: parse error"),
                        null, "ERROR (bad_data: parse error)"));
    }

    static RangeReading gapped() {
        List<RangeReading.Sample> s = new ArrayList<>();
        for (int t = 120; t >= 0; t -= 10) {
            if (t != 30 && t != 20) {
                s.add(new RangeReading.Sample(NOW.minusSeconds(t), 60));
            }
        }
        return RangeReading.of(s, "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bands(Case c) {
        RuleResult r = MetricJudge.bands(RULE, c.range(), 4, NOW);

        assertThat(r.recommendation()).as(r.toString()).isEqualTo(c.expected());
        assertThat(r.explanation()).as(r.toString()).contains(c.reason());
    }

    @Test
    void scaleInNeverGoesBelowZeroAndPercentStepsRoundUp() {
        MetricRule.Bands percent = new MetricRule.Bands("cpu", "q", 0.8, Duration.ofSeconds(60), 0.2,
                Duration.ofSeconds(60), MetricRule.Step.percent(50), MetricRule.Step.percent(50), RES);

        assertThat(MetricJudge.bands(percent, endingNow(repeat(0.9, 7)), 3, NOW).recommendation()).isEqualTo(5);
        assertThat(MetricJudge.bands(percent, endingNow(repeat(0.1, 7)), 1, NOW).recommendation()).isEqualTo(0);
        assertThat(MetricJudge.bands(percent, endingNow(repeat(0.9, 7)), 0, NOW).recommendation()).isEqualTo(1);
    }

    @Test
    void degradedRangeGivesADegradedReading() {
        RuleResult r = MetricJudge.bands(RULE, new RangeReading(MetricState.DEGRADED,
                endingNow(repeat(60, 13)).samples(), "Prometheus warned: partial"), 4, NOW);

        assertThat(r.recommendation()).isEqualTo(6);
        assertThat(r.reading().state()).isEqualTo(MetricState.DEGRADED);
    }

    @Test
    void trackingMatchesTheDecidersArithmetic() {
        Policy policy = Policy.defaults(1, 10, 100);
        MetricRule.Tracking own = new MetricRule.Tracking("rps", "q", 50.0, 0.0);

        assertThat(MetricJudge.tracking(MetricRule.shorthand("q"), MetricReading.healthy(300, NOW), 2, policy)
                .recommendation()).isEqualTo(3);
        assertThat(MetricJudge.tracking(MetricRule.shorthand("q"), MetricReading.healthy(305, NOW), 3, policy)
                .explanation()).contains("within tolerance of 3");
        assertThat(MetricJudge.tracking(own, MetricReading.healthy(301, NOW), 2, policy).recommendation()).isEqualTo(7);
        assertThat(MetricJudge.tracking(own, MetricReading.failed(MetricState.EMPTY, "none"), 2, policy).failed()).isTrue();
    }

    @Test
    void bandsAreValidatedWithTheFieldName() {
        assertThatThrownBy(() -> new MetricRule.Bands("l", "q", 50, Duration.ofSeconds(60), 80, Duration.ofSeconds(60),
                MetricRule.Step.replicas(1), MetricRule.Step.replicas(1), RES))
                .hasMessage("in-threshold: must be below out-threshold (50), got 80");
        assertThatThrownBy(() -> new MetricRule.Bands("l", "q", 50, Duration.ofSeconds(5), 10, Duration.ofSeconds(60),
                MetricRule.Step.replicas(1), MetricRule.Step.replicas(1), RES))
                .hasMessage("out-duration: must be at least the resolution (10s), got 5s");
    }
}
